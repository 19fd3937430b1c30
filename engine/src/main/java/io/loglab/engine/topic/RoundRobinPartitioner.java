package io.loglab.engine.topic;

import org.agrona.DirectBuffer;

/**
 * Each record to the next partition in turn, whatever its key.
 */
public final class RoundRobinPartitioner implements Partitioner
{
    private int next;

    @Override
    public int partition(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength, final int count)
    {
        final int partition = Math.floorMod(next, count);
        next = partition + 1;
        return partition;
    }
}
