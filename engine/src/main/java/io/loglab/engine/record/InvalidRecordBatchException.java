package io.loglab.engine.record;

/**
 * A record batch whose bytes break the RecordBatch v2 format; the message says which rule and where.
 * Thrown on the cold path only: a rejected append writes nothing.
 */
public class InvalidRecordBatchException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public InvalidRecordBatchException(final String message)
    {
        super(message);
    }
}
