package io.loglab.engine.producer;

/**
 * Told the outcome of every batch a producer sent, on the producer's own thread (from {@code poll}, or from a
 * blocking call while it waits), in the order the batches were sent to each partition. Every record a producer
 * accepted is reported exactly once, acknowledged or failed, so a caller that keeps per-record state (the intended
 * send time of each record, say) in its own ring per partition can pop {@code recordCount} entries per call.
 * <p>
 * {@code partition} is the index in the producer's partitions: for a producer over a topic, the partition id.
 */
public interface ProducerListener
{
    /** Told nothing: for callers that only poll. */
    ProducerListener NONE = new ProducerListener()
    {
        @Override
        public void onAcknowledged(
            final int partition,
            final long baseOffset,
            final long lastOffset,
            final int recordCount,
            final int sizeInBytes,
            final boolean durable)
        {
        }

        @Override
        public void onFailed(final int partition, final int recordCount, final Throwable cause)
        {
        }
    };

    /**
     * A batch was appended.
     *
     * @param sizeInBytes the batch's bytes in the log, header included.
     * @param durable     whether it is fsynced too (flush=every); otherwise it is written to the page cache, and the
     *                    partition's durable end offset tells when it becomes durable.
     */
    void onAcknowledged(int partition, long baseOffset, long lastOffset, int recordCount, int sizeInBytes,
        boolean durable);

    /**
     * A batch was not appended: the log published none of its records.
     */
    void onFailed(int partition, int recordCount, Throwable cause);

    /**
     * The producer is about to take its first record for {@code partition}, before anything is sent to it: the
     * moment to note where the partition's log ended before this producer. Partitions the producer never sends to
     * are never named, so a listener need not open their logs.
     */
    default void onFirstRecord(final int partition)
    {
    }
}
