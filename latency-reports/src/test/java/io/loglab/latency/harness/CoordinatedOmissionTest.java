package io.loglab.latency.harness;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the real producer duty cycle with a simulated clock against a simulated log that acknowledges every batch
 * 100 µs after it is offered, except that it freezes for 500 ms one second in. No engine, no real time.
 */
class CoordinatedOmissionTest
{
    private static final long START = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final long STALL_FROM = START + 1_000 * MILLI;
    private static final long STALL_UNTIL = STALL_FROM + 500 * MILLI;
    private static final long ACK_DELAY = 100_000L;
    private static final long STEP = 50_000L;
    private static final long END = START + 3_200 * MILLI;

    /**
     * A log that completes batches in the order offered, {@link #ACK_DELAY} after the offer, nothing during the
     * stall.
     */
    private static final class StallingLog implements AppendTarget
    {
        private final Map<OutboundBatch, Long> completesAt = new IdentityHashMap<>();
        private final Map<OutboundBatch, Long> baseOffsets = new IdentityHashMap<>();
        private long now;
        private long nextOffset;

        public int offer(final OutboundBatch batch)
        {
            long at = now + ACK_DELAY;
            if (at >= STALL_FROM && at < STALL_UNTIL)
            {
                at = STALL_UNTIL;
            }
            completesAt.put(batch, at);
            baseOffsets.put(batch, nextOffset);
            nextOffset += batch.recordCount();
            return Partition.OFFERED;
        }

        public int status(final OutboundBatch batch)
        {
            return completesAt.get(batch) <= now ? AppendRequest.WRITTEN : AppendRequest.PENDING;
        }

        public long baseOffset(final OutboundBatch batch)
        {
            return baseOffsets.get(batch);
        }

        public Throwable failure(final OutboundBatch batch)
        {
            return null;
        }

        public long durableEndOffset()
        {
            return 0;
        }
    }

    private static ProducerAgent producer(final StallingLog log, final FixedRateSchedule schedule)
    {
        final OutboundBatch[] ring = new OutboundBatch[RunWiring.IN_FLIGHT_BATCHES_PER_PARTITION];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = new OutboundBatch(1024, 100);
        }
        return new ProducerAgent(
            "simulated", new ProducerLane[]{ new ProducerLane(log, ring, null) }, schedule, 0, 100, () -> 0L);
    }

    private static void drive(final StallingLog log, final ProducerAgent producer)
    {
        for (long now = START; now <= END; now += STEP)
        {
            log.now = now;
            producer.doWork(now);
        }
    }

    @Test
    void shouldChargeEveryRecordScheduledDuringAStallWhenRunningOpenLoop()
    {
        final StallingLog log = new StallingLog();
        final FixedRateSchedule schedule = new FixedRateSchedule(START, 1000);
        final ProducerAgent producer = producer(log, schedule);

        drive(log, producer);

        final Histogram ackWritten = producer.measurements().ackWritten().getIntervalHistogram();
        final Histogram sendDelay = producer.measurements().sendDelay().getIntervalHistogram();
        final long due = schedule.dueBy(END - ACK_DELAY);
        assertEquals(due, ackWritten.getTotalCount(), "every due record sent and acknowledged, none omitted");
        // 500 of ~3200 records were due during the stall; the worst waited ~500 ms, the one before the p99 ~470 ms.
        final double p99Millis = ackWritten.getValueAtPercentile(99) / 1e6;
        final double p90Millis = ackWritten.getValueAtPercentile(90) / 1e6;
        final double maxMillis = ackWritten.getMaxValue() / 1e6;
        System.out.printf("open loop: records=%d p50=%.3f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n",
            ackWritten.getTotalCount(), ackWritten.getValueAtPercentile(50) / 1e6, p90Millis, p99Millis, maxMillis);
        assertTrue(p99Millis > 400 && p99Millis < 510, "p99 " + p99Millis + " ms");
        assertTrue(p90Millis > 100, "p90 " + p90Millis + " ms");
        assertTrue(maxMillis > 490 && maxMillis < 510, "max " + maxMillis + " ms");
        assertTrue(ackWritten.getValueAtPercentile(50) < MILLI, "half the records never met the stall");
        assertTrue(sendDelay.getValueAtPercentile(99) / 1e6 > 400, "the stall shows as publish delay too");
    }

    @Test
    void shouldHideTheStallBehindTinyPercentilesWhenMeasuredClosedLoop()
    {
        final StallingLog log = new StallingLog();
        final ProducerAgent producer = producer(log, null);

        drive(log, producer);

        final Histogram ackWritten = producer.measurements().ackWritten().getIntervalHistogram();
        final double p99Millis = ackWritten.getValueAtPercentile(99) / 1e6;
        System.out.printf("closed loop: records=%d p99=%.3f ms max=%.1f ms%n",
            ackWritten.getTotalCount(), p99Millis, ackWritten.getMaxValue() / 1e6);
        // Only the few batches in flight when the log froze saw it; the producer simply sent nothing meanwhile.
        assertTrue(p99Millis < 1, "p99 " + p99Millis + " ms");
        assertTrue(ackWritten.getMaxValue() / 1e6 > 490, "the stall itself was seen by the batches in flight");
    }
}
