package io.loglab.latency.harness;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer agent against a real engine, in real time, driven by the test thread as its {@link AgentThread}
 * would drive it. Once warm, its duty cycle (the schedule, the producer client, the rings of intended times, the
 * trackers of records not yet durable, the recorders) allocates nothing per record: counted by the JVM's per-thread
 * allocation counter, not timed.
 */
class ProducerAgentTest
{
    private static final int PARTITIONS = 2;
    private static final int RECORD_SIZE = 100;
    private static final long RECORDS = 200_000;
    private static final int DURABLE_TRACKED = 1 << 16;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dataDir;

    private LogManager manager;
    private Partition[] partitions;

    @BeforeEach
    void open() throws IOException
    {
        manager = LogManager.open(new LogManagerContext().dataDir(dataDir));
        final Topic topic = manager.createTopic("load", PARTITIONS, new LogConfig()
            .flushPolicy(FlushPolicy.interval(5))
            .retentionMs(-1));
        partitions = new Partition[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++)
        {
            partitions[p] = topic.partition(p);
            // Opened on first use: open it now, as a run does.
            partitions[p].logEndOffset();
        }
    }

    @AfterEach
    void close()
    {
        manager.close();
    }

    private ProducerAgent producer(final FixedRateSchedule schedule)
    {
        final ProducerContext client = new ProducerContext()
            .batchBytes(16 * 1024)
            .lingerNs(TimeUnit.MICROSECONDS.toNanos(200))
            .inFlightPerPartition(RunWiring.IN_FLIGHT_BATCHES_PER_PARTITION);
        final String name = schedule == null ? "closed-loop" : "open-loop";
        return new ProducerAgent(name, partitions, client, schedule, RECORD_SIZE, DURABLE_TRACKED,
            SystemEpochClock.INSTANCE);
    }

    /**
     * Run the agent's duty cycle until {@code records} more are acknowledged.
     */
    private static void runUntilAcknowledged(final ProducerAgent producer, final long records)
    {
        final long target = producer.measurements().acknowledgedRecords() + records;
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (producer.measurements().acknowledgedRecords() < target)
        {
            final long now = System.nanoTime();
            if (now - deadlineNs > 0)
            {
                throw new AssertionError("timed out producing " + records + " records");
            }
            if (producer.doWork(now) == 0)
            {
                Thread.yield();
            }
        }
    }

    private static void assertNoAllocationPerRecord(final ProducerAgent producer)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ProducerMeasurements measurements = producer.measurements();
        runUntilAcknowledged(producer, RECORDS);
        // HdrHistogram grows a histogram's counts the first time it meets a larger value, once per doubling; a run
        // reaches its largest latencies early. Grow them now, so a late hiccup is not taken for allocation per record.
        final long longest = TimeUnit.MINUTES.toNanos(10);
        measurements.ackWritten().recordValue(longest);
        measurements.ackDurable().recordValue(longest);
        measurements.sendDelay().recordValue(longest);

        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        runUntilAcknowledged(producer, RECORDS);
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        System.out.printf("%s: allocated %d bytes producing %d records%n", producer.name(), allocated, RECORDS);
        assertEquals(0, measurements.failedRecords());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes producing " + RECORDS + " records");
        final long durable = measurements.ackDurable().getIntervalHistogram().getTotalCount();
        assertTrue(durable > RECORDS, "records followed until durable: " + durable);
    }

    @Test
    void shouldAllocateNothingPerRecordWhenSteadyOpenLoop()
    {
        final ProducerAgent producer = producer(new FixedRateSchedule(System.nanoTime(), 200_000));
        assertNoAllocationPerRecord(producer);
    }

    @Test
    void shouldAllocateNothingPerRecordWhenSteadyClosedLoop()
    {
        assertNoAllocationPerRecord(producer(null));
    }
}
