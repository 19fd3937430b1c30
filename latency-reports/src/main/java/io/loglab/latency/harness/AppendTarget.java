package io.loglab.latency.harness;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;

/**
 * Where a producer sends a partition's batches and learns their fate: the engine's {@link Partition}, or a
 * simulated log in tests, so the producer's scheduling and latency accounting can be checked without real time.
 */
interface AppendTarget
{
    /**
     * @return {@link Partition#OFFERED}, {@link Partition#BACK_PRESSURED} or {@link Partition#CLOSED}.
     */
    int offer(OutboundBatch batch);

    /**
     * @return {@link AppendRequest#PENDING}, {@link AppendRequest#WRITTEN}, {@link AppendRequest#DURABLE} or
     *         {@link AppendRequest#FAILED} for a batch offered earlier.
     */
    int status(OutboundBatch batch);

    /**
     * @return the offset given to the batch's first record, once written.
     */
    long baseOffset(OutboundBatch batch);

    /**
     * @return why a {@link AppendRequest#FAILED} batch failed.
     */
    Throwable failure(OutboundBatch batch);

    /**
     * @return the offset below which every record is fsynced.
     */
    long durableEndOffset();

    /**
     * The engine's partition, its batches carried by their own reusable {@link AppendRequest}.
     */
    static AppendTarget of(final Partition partition)
    {
        return new AppendTarget()
        {
            public int offer(final OutboundBatch batch)
            {
                return partition.offer(batch.request());
            }

            public int status(final OutboundBatch batch)
            {
                return batch.request().status();
            }

            public long baseOffset(final OutboundBatch batch)
            {
                return batch.request().baseOffset();
            }

            public Throwable failure(final OutboundBatch batch)
            {
                return batch.request().failure();
            }

            public long durableEndOffset()
            {
                return partition.durableEndOffset();
            }

            public String toString()
            {
                return partition.toString();
            }
        };
    }
}
