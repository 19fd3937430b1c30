package io.loglab.engine.log;

/**
 * An idempotent producer's batch the log refuses: its epoch is fenced, its sequence out of order, or it retries a
 * batch still being written. {@link #verdict()} is the {@link ProducerStateTable} verdict, for callers that answer
 * each with a protocol's own error.
 */
public final class IdempotenceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int verdict;

    public IdempotenceException(final int verdict, final String message)
    {
        super(message);
        this.verdict = verdict;
    }

    /**
     * {@link ProducerStateTable#FENCED}, {@link ProducerStateTable#OUT_OF_SEQUENCE} or
     * {@link ProducerStateTable#IN_FLIGHT}.
     */
    public int verdict()
    {
        return verdict;
    }
}
