package io.loglab.latency.harness;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the real producer duty cycle, and the engine's producer client in it, on a simulated clock against a real
 * engine partition whose writer a {@link WriterGate} holds for 500 ms of simulated time, one second in. Before each
 * step of the clock the test waits (in real time, bounded) until the writer has answered everything offered, so a
 * batch offered at one step is acknowledged when the producer polls at the next: a log that answers in one step,
 * except during the stall, when it answers nothing. The figures come from the simulated clock alone.
 */
class CoordinatedOmissionTest
{
    private static final long START = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final long STALL_FROM = START + 1_000 * MILLI;
    private static final long STALL_UNTIL = STALL_FROM + 500 * MILLI;
    private static final long STEP = MILLI;
    private static final long END = START + 3_200 * MILLI;
    private static final int RECORD_SIZE = 100;
    /** A record per batch, so the closed loop, which fills the window at every step, writes little. */
    private static final int BATCH_BYTES = 256;

    @TempDir
    Path dataDir;

    private final WriterGate gate = new WriterGate();
    private LogManager manager;
    private Partition partition;

    @BeforeEach
    void open() throws IOException
    {
        manager = LogManager.open(new LogManagerContext()
            .dataDir(dataDir)
            .writerThreads(1)
            .writerIdleStrategy(gate.supplier()));
        partition = manager.createTopic("load", 1, new LogConfig().flushPolicy(FlushPolicy.OS).retentionMs(-1))
            .partition(0);
        partition.logEndOffset();
    }

    @AfterEach
    void close()
    {
        gate.release();
        manager.close();
    }

    private ProducerAgent producer(final FixedRateSchedule schedule)
    {
        final ProducerContext client = new ProducerContext()
            .batchBytes(BATCH_BYTES)
            .lingerNs(0)
            .inFlightPerPartition(RunWiring.IN_FLIGHT_BATCHES_PER_PARTITION);
        return new ProducerAgent("simulated", new Partition[]{ partition }, client, schedule, RECORD_SIZE, 0,
            SystemEpochClock.INSTANCE);
    }

    private void drive(final ProducerAgent producer)
    {
        for (long now = START; now <= END; now += STEP)
        {
            final boolean stalled = now >= STALL_FROM && now < STALL_UNTIL;
            if (!stalled)
            {
                gate.release();
            }
            if (producer.inFlight() > 0 && (!stalled || now == STALL_FROM))
            {
                gate.awaitAnswered();
            }
            if (stalled)
            {
                gate.hold();
            }
            producer.doWork(now);
        }
    }

    @Test
    void shouldChargeEveryRecordScheduledDuringAStallWhenRunningOpenLoop()
    {
        final FixedRateSchedule schedule = new FixedRateSchedule(START, 1000);
        final ProducerAgent producer = producer(schedule);

        drive(producer);

        final Histogram ackWritten = producer.measurements().ackWritten().getIntervalHistogram();
        final Histogram sendDelay = producer.measurements().sendDelay().getIntervalHistogram();
        final long due = schedule.dueBy(END - STEP);
        assertEquals(due, ackWritten.getTotalCount(), "every due record sent and acknowledged, none omitted");
        assertEquals(due, producer.measurements().acknowledgedRecords());
        // 500 of ~3200 records were due during the stall; the worst waited ~500 ms, the one before the p99 ~470 ms.
        final double p99Millis = ackWritten.getValueAtPercentile(99) / 1e6;
        final double p90Millis = ackWritten.getValueAtPercentile(90) / 1e6;
        final double maxMillis = ackWritten.getMaxValue() / 1e6;
        System.out.printf("open loop: records=%d p50=%.3f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n",
            ackWritten.getTotalCount(), ackWritten.getValueAtPercentile(50) / 1e6, p90Millis, p99Millis, maxMillis);
        assertTrue(p99Millis > 400 && p99Millis < 510, "p99 " + p99Millis + " ms");
        assertTrue(p90Millis > 100, "p90 " + p90Millis + " ms");
        assertTrue(maxMillis > 490 && maxMillis < 510, "max " + maxMillis + " ms");
        assertTrue(ackWritten.getValueAtPercentile(50) < 2 * STEP, "half the records never met the stall");
        assertTrue(sendDelay.getValueAtPercentile(99) / 1e6 > 400, "the stall shows as publish delay too");
    }

    @Test
    void shouldHideTheStallBehindTinyPercentilesWhenMeasuredClosedLoop()
    {
        final ProducerAgent producer = producer(null);

        drive(producer);

        final Histogram ackWritten = producer.measurements().ackWritten().getIntervalHistogram();
        final double p99Millis = ackWritten.getValueAtPercentile(99) / 1e6;
        System.out.printf("closed loop: records=%d p99=%.3f ms max=%.1f ms%n",
            ackWritten.getTotalCount(), p99Millis, ackWritten.getMaxValue() / 1e6);
        // Only the few batches in flight when the log froze saw it; the producer simply sent nothing meanwhile. The
        // rest waited one step, the log's answer time.
        assertTrue(ackWritten.getValueAtPercentile(99) < 2 * STEP, "p99 " + p99Millis + " ms");
        assertTrue(ackWritten.getMaxValue() / 1e6 > 490, "the stall itself was seen by the batches in flight");
    }
}
