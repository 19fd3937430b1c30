package io.loglab.latency.harness;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.collections.LongArrayQueue;

/**
 * Records written but not yet durable (flush=interval), oldest first, until the partition's durable end offset
 * passes them: then their ack-durable latency is recorded. Bounded, and allocated once: records that find it full are
 * not tracked and are counted instead, so a report can say how many durable samples are missing.
 * <p>
 * Threading: the producer thread only.
 */
final class DurableTracker
{
    private final int capacity;
    private final LongArrayQueue offsets;
    private final LongArrayQueue intendedNanos;
    private long untracked;

    /**
     * @param capacity records tracked at most.
     */
    DurableTracker(final int capacity)
    {
        this.capacity = capacity;
        // The queues never grow: add() checks the bound first.
        final int queueCapacity = Math.max(capacity, LongArrayQueue.MIN_CAPACITY);
        this.offsets = new LongArrayQueue(queueCapacity, Long.MIN_VALUE);
        this.intendedNanos = new LongArrayQueue(queueCapacity, Long.MIN_VALUE);
    }

    /**
     * Track a record written at {@code offset}, or count it untracked if the tracker is full. Records come in offset
     * order.
     */
    void add(final long offset, final long intendedNanos)
    {
        if (offsets.size() == capacity)
        {
            untracked++;
            return;
        }
        offsets.addLong(offset);
        this.intendedNanos.addLong(intendedNanos);
    }

    /**
     * Record the ack-durable latency of every tracked record below {@code durableEndOffset}, as observed now.
     *
     * @return records that became durable.
     */
    int onDurable(final long durableEndOffset, final long nowNanos, final SingleWriterRecorder ackDurable)
    {
        int durable = 0;
        while (!offsets.isEmpty() && offsets.peekLong() < durableEndOffset)
        {
            offsets.pollLong();
            ackDurable.recordValue(Math.max(0, nowNanos - intendedNanos.pollLong()));
            durable++;
        }
        return durable;
    }

    int pending()
    {
        return offsets.size();
    }

    long untracked()
    {
        return untracked;
    }
}
