package io.loglab.latency.harness;

import org.HdrHistogram.SingleWriterRecorder;

/**
 * Records written but not yet durable (flush=interval), oldest first, until the partition's durable end offset
 * passes them: then their ack-durable latency is recorded. A bounded ring, allocated once; records that find it full
 * are not tracked and are counted instead, so a report can say how many durable samples are missing.
 * <p>
 * Threading: the producer thread only.
 */
final class DurableTracker
{
    private final long[] offsets;
    private final long[] intendedNanos;
    private final int mask;
    private long head;
    private long tail;
    private long untracked;

    /**
     * @param capacity rounded up to a power of two.
     */
    DurableTracker(final int capacity)
    {
        final int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        offsets = new long[size];
        intendedNanos = new long[size];
        mask = size - 1;
    }

    /**
     * Track the records of a batch written at {@code baseOffset}.
     */
    void add(final OutboundBatch batch, final long baseOffset)
    {
        final int count = batch.recordCount();
        for (int i = 0; i < count; i++)
        {
            if (tail - head == offsets.length)
            {
                untracked += count - i;
                return;
            }
            final int index = (int)(tail++ & mask);
            offsets[index] = baseOffset + i;
            intendedNanos[index] = batch.intendedNanos(i);
        }
    }

    /**
     * Record the ack-durable latency of every tracked record below {@code durableEndOffset}, as observed now.
     *
     * @return records that became durable.
     */
    int onDurable(final long durableEndOffset, final long nowNanos, final SingleWriterRecorder ackDurable)
    {
        int durable = 0;
        while (head < tail && offsets[(int)(head & mask)] < durableEndOffset)
        {
            ackDurable.recordValue(Math.max(0, nowNanos - intendedNanos[(int)(head & mask)]));
            head++;
            durable++;
        }
        return durable;
    }

    int pending()
    {
        return (int)(tail - head);
    }

    long untracked()
    {
        return untracked;
    }
}
