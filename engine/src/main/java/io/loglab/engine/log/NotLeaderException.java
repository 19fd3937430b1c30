package io.loglab.engine.log;

/**
 * An append as leader to a log replication owns while it does not lead ({@link LeaderAppends#taken}):
 * nothing was written. A protocol answers it with its own "not the leader" error, so the producer asks where the
 * leader went.
 */
public final class NotLeaderException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public NotLeaderException(final String message)
    {
        super(message);
    }
}
