package io.loglab.latency.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurableTrackerTest
{
    private static OutboundBatch batchOf(final long... intendedNanos)
    {
        final OutboundBatch batch = new OutboundBatch(4096, 8);
        final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
        for (final long intended : intendedNanos)
        {
            batch.tryAdd(0, value, 8, intended, intended);
        }
        return batch;
    }

    @Test
    void shouldRecordOnlyRecordsBelowTheDurableEndOffsetWhenAnFsyncCoversPartOfThem()
    {
        final DurableTracker tracker = new DurableTracker(16);
        final SingleWriterRecorder ackDurable = new SingleWriterRecorder(3);
        tracker.add(batchOf(100, 200, 300), 10);

        assertEquals(2, tracker.onDurable(12, 1_000, ackDurable));
        final Histogram firstTwo = ackDurable.getIntervalHistogram();
        assertEquals(2, firstTwo.getTotalCount());
        assertEquals(900, firstTwo.getMaxValue(), 1);
        assertEquals(1, tracker.pending());

        assertEquals(1, tracker.onDurable(13, 2_000, ackDurable));
        assertEquals(1700, ackDurable.getIntervalHistogram().getMaxValue(), 2);
        assertEquals(0, tracker.pending());
    }

    @Test
    void shouldCountRecordsItCannotHoldWhenThePendingListIsFull()
    {
        final DurableTracker tracker = new DurableTracker(4);
        tracker.add(batchOf(1, 2, 3), 0);
        tracker.add(batchOf(4, 5, 6), 3);

        assertEquals(4, tracker.pending());
        assertEquals(2, tracker.untracked());
    }
}
