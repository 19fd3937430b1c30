package io.loglab.engine.record;

/**
 * A record batch whose CRC32C does not match its bytes: damaged in transit or on disk, where
 * {@link InvalidRecordBatchException} alone says the format is broken. Kafka answers the two with different errors
 * (CORRUPT_MESSAGE against INVALID_RECORD).
 */
public final class CorruptRecordBatchException extends InvalidRecordBatchException
{
    private static final long serialVersionUID = 1L;

    public CorruptRecordBatchException(final String message)
    {
        super(message);
    }
}
