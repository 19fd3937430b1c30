package io.loglab.engine.topic;

import org.agrona.DirectBuffer;

/**
 * Chooses the partition of a record from its key. Supply your own, or use {@link KeyHashPartitioner} (Kafka's default
 * for keyed records) over {@link RoundRobinPartitioner} or {@link StickyPartitioner} for null keys.
 * Instances belong to one producer thread.
 */
public interface Partitioner
{
    /**
     * @param keyBuffer null for a null key.
     * @return a partition in {@code [0, partitionCount)}.
     */
    int partition(DirectBuffer keyBuffer, int keyOffset, int keyLength, int partitionCount);

    /**
     * The producer closed a batch for {@code partition}: a sticky partitioner moves on.
     */
    default void onBatchComplete(final int partition, final int partitionCount)
    {
    }
}
