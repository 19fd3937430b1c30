package io.loglab.engine.topic;

import org.agrona.DirectBuffer;

/**
 * Every record to one partition until the producer completes a batch for it, then to the next: Kafka's answer to
 * null keys, which fills whole batches instead of spreading tiny ones over every partition.
 */
public final class StickyPartitioner implements Partitioner
{
    private int current;

    @Override
    public int partition(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength, final int count)
    {
        return Math.floorMod(current, count);
    }

    @Override
    public void onBatchComplete(final int partition, final int partitionCount)
    {
        if (partition == Math.floorMod(current, partitionCount))
        {
            current = partition + 1;
        }
    }
}
