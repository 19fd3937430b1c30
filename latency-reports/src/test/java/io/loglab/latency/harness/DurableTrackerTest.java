package io.loglab.latency.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurableTrackerTest
{
    private static void addBatch(final DurableTracker tracker, final long baseOffset, final long... intendedNanos)
    {
        for (int i = 0; i < intendedNanos.length; i++)
        {
            tracker.add(baseOffset + i, intendedNanos[i]);
        }
    }

    @Test
    void shouldRecordOnlyRecordsBelowTheDurableEndOffsetWhenAnFsyncCoversPartOfThem()
    {
        final DurableTracker tracker = new DurableTracker(16);
        final SingleWriterRecorder ackDurable = new SingleWriterRecorder(3);
        addBatch(tracker, 10, 100, 200, 300);

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
        addBatch(tracker, 0, 1, 2, 3);
        addBatch(tracker, 3, 4, 5, 6);

        assertEquals(4, tracker.pending());
        assertEquals(2, tracker.untracked());
    }
}
