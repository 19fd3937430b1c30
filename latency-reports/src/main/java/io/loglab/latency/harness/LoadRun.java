package io.loglab.latency.harness;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.PercentilePoint;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.TimePoint;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.IoUtil;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Runs one {@link RunConfig} against a fresh embedded engine and measures it: producers at a fixed rate (or closed
 * loop), consumers, a sampler, a warm-up excluded from every figure, then the measured period with one HdrHistogram
 * interval per second per latency kind. See {@link RunResult} for what comes back.
 * <p>
 * Threading: the calling thread coordinates: it starts and stops the agents' threads, swaps their recorders'
 * histograms at the warm-up boundary and every second, and reads their published counters. Everything an agent
 * thread owns is read only after that thread is joined.
 */
public final class LoadRun
{
    static final String TOPIC = "load";
    static final int IN_FLIGHT_BATCHES_PER_PARTITION = 8;
    static final double RATE_TOLERANCE = 0.95;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long INTERVAL_NANOS = NANOS_PER_SECOND;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SAMPLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long COORDINATOR_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PRODUCER_STOP_GRACE_MS = 5_000;
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final long ENGINE_CLOSE_TIMEOUT_MS = 30_000;
    private static final int CONSUMER_READ_BYTES = 1024 * 1024;
    private static final int MAX_DURABLE_TRACKED_PER_PARTITION = 1 << 20;

    private final List<String> problems = new ArrayList<>();
    private boolean failed;

    /**
     * Run {@code config}, writing its {@code .hlog} and {@code .hgrm} files into {@code runDir}, with the engine's
     * data in a directory under it that is deleted afterwards.
     *
     * @param baselines the machine's disk and loopback figures, for {@link RunResult#diskRatio()}.
     * @throws IOException if the run's files or the engine's directory cannot be created.
     */
    public static RunResult run(
        final RunConfig config, final Path runDir, final Baselines baselines, final ProgressListener progress)
        throws IOException, InterruptedException
    {
        return new LoadRun().execute(config, runDir, baselines, progress);
    }

    private RunResult execute(
        final RunConfig config, final Path runDir, final Baselines baselines, final ProgressListener progress)
        throws IOException, InterruptedException
    {
        checkRecordFitsBatch(config);
        Files.createDirectories(runDir);
        final Path dataDir = runDir.resolve(config.name() + ".data");
        IoUtil.delete(dataDir.toFile(), false);
        final LogManager manager = LogManager.open(new LogManager.Context()
            .dataDir(dataDir)
            .retentionCheckIntervalMs(config.retentionCheckMs()));
        try
        {
            final Topic topic = manager.createTopic(TOPIC, config.partitions(), new LogConfig()
                .segmentBytes(config.segmentBytes())
                .retentionBytes(config.retentionBytes())
                .retentionMs(-1)
                .flushPolicy(config.flush()));
            return measure(config, runDir, baselines, progress, topic);
        }
        finally
        {
            closeBounded(manager);
            IoUtil.delete(dataDir.toFile(), false);
        }
    }

    private RunResult measure(
        final RunConfig config,
        final Path runDir,
        final Baselines baselines,
        final ProgressListener progress,
        final Topic topic) throws IOException, InterruptedException
    {
        final Partition[] partitions = new Partition[config.partitions()];
        for (int p = 0; p < partitions.length; p++)
        {
            partitions[p] = topic.partition(p);
            // A log opens on first use; open it now, so the first measured batch does not pay for that.
            partitions[p].logEndOffset();
        }
        final long startNanos = System.nanoTime() + START_DELAY_NANOS;
        final long measureStartNanos = startNanos + config.warmupSeconds() * NANOS_PER_SECOND;
        final long measureEndNanos = measureStartNanos + config.durationSeconds() * NANOS_PER_SECOND;

        final List<ProducerAgent> producers = createProducers(config, partitions, startNanos);
        final List<ConsumerAgent> consumers = createConsumers(config, partitions, startNanos, measureStartNanos);
        final ProducerMeasurements[] producerMeasurements = producers.stream()
            .map(ProducerAgent::measurements).toArray(ProducerMeasurements[]::new);
        final Sampler sampler = new Sampler(producerMeasurements, partitions, consumerLaneByPartition(consumers),
            startNanos, measureStartNanos, SAMPLE_PERIOD_NANOS);

        final List<AgentThread> producerThreads = new ArrayList<>();
        producers.forEach(agent -> producerThreads.add(new AgentThread(
            agent, new BackoffIdleStrategy(100, 10, 1_000, 50_000), PRODUCER_STOP_GRACE_MS)));
        final List<AgentThread> otherThreads = new ArrayList<>();
        consumers.forEach(agent -> otherThreads.add(new AgentThread(
            agent, new BackoffIdleStrategy(100, 10, 1_000, 200_000), 0)));
        otherThreads.add(new AgentThread(sampler, new SleepingMillisIdleStrategy(10), 0));
        final List<AgentThread> allThreads = new ArrayList<>(producerThreads);
        allThreads.addAll(otherThreads);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Progress reporter = new Progress(progress, startNanos, producerMeasurements);
        final Map<String, LatencyLog> logs = new LinkedHashMap<>();
        final long measureStartEpochMs =
            System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(measureStartNanos - System.nanoTime());
        openLogs(logs, config, runDir, producers, consumers, measureStartEpochMs);
        // A first cut now loads classes and allocates the reusable histograms, so the cut at the boundary is quick.
        logs.values().forEach(LatencyLog::discard);
        allThreads.forEach(AgentThread::start);
        final Snapshot begin;
        final Snapshot end;
        try
        {
            awaitOrFailure(measureStartNanos, allThreads, reporter);
            // Histograms and counters are cut at (almost) the same instant, so their record counts agree.
            logs.values().forEach(LatencyLog::discard);
            begin = new Snapshot(producerMeasurements, threads);
            end = measureIntervals(begin, measureEndNanos, logs, producerMeasurements, threads, allThreads, reporter);
        }
        finally
        {
            stop(producerThreads);
            stop(otherThreads);
            logs.values().forEach(LatencyLog::close);
        }
        reportAgentFailures(allThreads);
        return result(config, runDir, baselines, producers, consumers, sampler, logs, begin, end);
    }

    /**
     * Cut one interval per second from every latency log until the measured period ends (or an agent fails), and
     * take the closing snapshot between the last cut and the file writes, so counts and histograms agree.
     */
    private static Snapshot measureIntervals(
        final Snapshot begin,
        final long measureEndNanos,
        final Map<String, LatencyLog> logs,
        final ProducerMeasurements[] producerMeasurements,
        final com.sun.management.ThreadMXBean threads,
        final List<AgentThread> allThreads,
        final Progress reporter)
    {
        long intervalStartEpochMs = begin.epochMs;
        long tick = begin.nanos;
        Snapshot end = null;
        while (end == null)
        {
            tick = Math.min(tick + INTERVAL_NANOS, measureEndNanos);
            final boolean agentsRunning = awaitOrFailure(tick, allThreads, reporter);
            final long nowEpochMs = System.currentTimeMillis();
            logs.values().forEach(LatencyLog::cutInterval);
            if (!agentsRunning || tick == measureEndNanos)
            {
                end = new Snapshot(producerMeasurements, threads);
            }
            for (final LatencyLog log : logs.values())
            {
                log.logInterval(intervalStartEpochMs, nowEpochMs);
            }
            intervalStartEpochMs = nowEpochMs;
        }
        return end;
    }

    private List<ProducerAgent> createProducers(
        final RunConfig config, final Partition[] partitions, final long startNanos)
    {
        int producerCount = Math.min(config.producers(), partitions.length);
        if (config.isOpenLoop())
        {
            producerCount = (int)Math.min(producerCount, config.rate());
        }
        if (producerCount < config.producers())
        {
            note("ran " + producerCount + " producers instead of " + config.producers() +
                ": each needs a partition of its own and at least 1 record/s");
        }
        final int valueLength = RecordValue.length(config.recordSize());
        final long lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.lingerMs());
        final List<ProducerAgent> producers = new ArrayList<>();
        for (int k = 0; k < producerCount; k++)
        {
            final List<ProducerLane> lanes = new ArrayList<>();
            for (int p = k; p < partitions.length; p += producerCount)
            {
                final OutboundBatch[] ring = new OutboundBatch[IN_FLIGHT_BATCHES_PER_PARTITION];
                for (int i = 0; i < ring.length; i++)
                {
                    ring[i] = new OutboundBatch(config.batchBytes(), valueLength);
                }
                lanes.add(new ProducerLane(AppendTarget.of(partitions[p]), ring, durableTracker(config)));
            }
            final FixedRateSchedule schedule = config.isOpenLoop() ?
                new FixedRateSchedule(startNanos, share(config.rate(), producerCount, k)) : null;
            producers.add(new ProducerAgent("loglab-producer-" + k, lanes.toArray(new ProducerLane[0]), schedule,
                lingerNanos, config.recordSize(), SystemEpochClock.INSTANCE));
        }
        return producers;
    }

    /**
     * Only flush=interval acknowledges records as written and makes them durable later, while the run watches.
     */
    private static DurableTracker durableTracker(final RunConfig config)
    {
        if (!config.flush().onInterval())
        {
            return null;
        }
        final long intervalMs = config.flush().intervalMs();
        final long perPartitionRate = config.isOpenLoop() ? config.rate() / config.partitions() + 1 : 1 << 17;
        final long pendingAtMost = perPartitionRate * (intervalMs + 1000) / 1000 * 2;
        return new DurableTracker((int)Math.min(Math.max(pendingAtMost, 4096), MAX_DURABLE_TRACKED_PER_PARTITION));
    }

    private List<ConsumerAgent> createConsumers(
        final RunConfig config, final Partition[] partitions, final long startNanos, final long measureStartNanos)
    {
        final int consumerCount = Math.min(config.consumers(), partitions.length);
        if (consumerCount < config.consumers())
        {
            note("ran " + consumerCount + " consumers instead of " + config.consumers() +
                ": each needs a partition of its own");
        }
        final List<ConsumerAgent> consumers = new ArrayList<>();
        for (int k = 0; k < consumerCount; k++)
        {
            final List<ConsumerLane> lanes = new ArrayList<>();
            for (int p = k; p < partitions.length; p += consumerCount)
            {
                lanes.add(new ConsumerLane(partitions[p], Math.max(CONSUMER_READ_BYTES, config.batchBytes()),
                    SystemNanoClock.INSTANCE, measureStartNanos));
            }
            final RateLimiter limiter = config.consumerRate() > 0 ?
                new RateLimiter(startNanos, config.consumerRate(), Math.max(1, config.consumerRate() / 10)) : null;
            consumers.add(new ConsumerAgent("loglab-consumer-" + k, lanes.toArray(new ConsumerLane[0]), limiter));
        }
        return consumers;
    }

    private static ConsumerLane[] consumerLaneByPartition(final List<ConsumerAgent> consumers)
    {
        final List<ConsumerLane> lanes = new ArrayList<>();
        consumers.forEach(consumer -> lanes.addAll(List.of(consumer.lanes())));
        lanes.sort(Comparator.comparingInt(lane -> lane.partition().id()));
        return lanes.toArray(new ConsumerLane[0]);
    }

    /**
     * Producer {@code index}'s part of {@code total} records/s, the remainder going to the first ones.
     */
    static long share(final long total, final int parts, final int index)
    {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static void openLogs(
        final Map<String, LatencyLog> logs,
        final RunConfig config,
        final Path runDir,
        final List<ProducerAgent> producers,
        final List<ConsumerAgent> consumers,
        final long baseEpochMs) throws IOException
    {
        final List<SingleWriterRecorder> ackWritten = new ArrayList<>();
        final List<SingleWriterRecorder> ackDurable = new ArrayList<>();
        final List<SingleWriterRecorder> sendDelay = new ArrayList<>();
        for (final ProducerAgent producer : producers)
        {
            ackWritten.add(producer.measurements().ackWritten());
            ackDurable.add(producer.measurements().ackDurable());
            sendDelay.add(producer.measurements().sendDelay());
        }
        openLog(logs, RunResult.ACK_WRITTEN, ackWritten, config, runDir, baseEpochMs);
        openLog(logs, RunResult.ACK_DURABLE, ackDurable, config, runDir, baseEpochMs);
        if (!consumers.isEmpty())
        {
            final List<SingleWriterRecorder> endToEnd = new ArrayList<>();
            consumers.forEach(consumer -> endToEnd.add(consumer.endToEnd()));
            openLog(logs, RunResult.END_TO_END, endToEnd, config, runDir, baseEpochMs);
        }
        openLog(logs, RunResult.SEND_DELAY, sendDelay, config, runDir, baseEpochMs);
    }

    private static void openLog(
        final Map<String, LatencyLog> logs,
        final String kind,
        final List<SingleWriterRecorder> recorders,
        final RunConfig config,
        final Path runDir,
        final long baseEpochMs) throws IOException
    {
        logs.put(kind, new LatencyLog(kind, recorders, runDir.resolve(fileName(config, kind, "hlog")), baseEpochMs));
    }

    static String fileName(final RunConfig config, final String kind, final String extension)
    {
        return config.name() + "." + kind + "." + extension;
    }

    /**
     * Wait until {@code deadlineNanos}, telling progress on the way.
     *
     * @return false, early, if an agent thread has ended on its own (it failed).
     */
    private static boolean awaitOrFailure(
        final long deadlineNanos, final List<AgentThread> threads, final Progress progress)
    {
        long now;
        while ((now = System.nanoTime()) < deadlineNanos)
        {
            for (final AgentThread thread : threads)
            {
                if (!thread.isAlive())
                {
                    return false;
                }
            }
            progress.maybeReport(now);
            LockSupport.parkNanos(Math.min(deadlineNanos - now, COORDINATOR_POLL_NANOS));
        }
        return true;
    }

    private void stop(final List<AgentThread> threads) throws InterruptedException
    {
        threads.forEach(AgentThread::requestStop);
        for (final AgentThread thread : threads)
        {
            if (!thread.join(JOIN_TIMEOUT_MS))
            {
                fail(thread.name() + " did not stop within " + JOIN_TIMEOUT_MS + " ms; left running");
            }
        }
    }

    private void reportAgentFailures(final List<AgentThread> threads)
    {
        for (final AgentThread thread : threads)
        {
            if (thread.failure() != null)
            {
                fail(thread.name() + " failed, ending the run early: " + thread.failure());
            }
        }
    }

    private RunResult result(
        final RunConfig config,
        final Path runDir,
        final Baselines baselines,
        final List<ProducerAgent> producers,
        final List<ConsumerAgent> consumers,
        final Sampler sampler,
        final Map<String, LatencyLog> logs,
        final Snapshot begin,
        final Snapshot end) throws IOException
    {
        final double seconds = (end.nanos - begin.nanos) / (double)NANOS_PER_SECOND;
        final long records = end.acknowledgedRecords - begin.acknowledgedRecords;
        final long failedRecords = end.failedRecords - begin.failedRecords;
        final double achievedRate = records / seconds;
        final long bytes = records * RecordValue.length(config.recordSize());
        final double logBytesPerSecond = (end.acknowledgedLogBytes - begin.acknowledgedLogBytes) / seconds;

        if (config.isOpenLoop() && achievedRate < RATE_TOLERANCE * config.rate())
        {
            fail(String.format("achieved %.0f records/s, below %.0f%% of the target %d records/s",
                achievedRate, RATE_TOLERANCE * 100, config.rate()));
        }
        if (records == 0)
        {
            fail("no record was acknowledged during the measured period");
        }
        for (final ProducerAgent producer : producers)
        {
            final Throwable failure = producer.measurements().firstFailure();
            if (failure != null)
            {
                fail(failedRecords + " records failed to append during the measured period; " + producer.name() +
                    "'s first failure: " + failure);
                break;
            }
        }
        addNotes(config, producers, consumers);

        final Map<String, LatencySummary> latency = new LinkedHashMap<>();
        final Map<String, List<PercentilePoint>> distributions = new LinkedHashMap<>();
        final Map<String, String> files = new LinkedHashMap<>();
        for (final LatencyLog log : logs.values())
        {
            final String hgrm = fileName(config, log.kind(), "hgrm");
            log.writeDistribution(runDir.resolve(hgrm));
            latency.put(log.kind(), LatencySummary.of(log.total()));
            distributions.put(log.kind(), log.distribution());
            files.put(log.kind() + ".hlog", fileName(config, log.kind(), "hlog"));
            files.put(log.kind() + ".hgrm", hgrm);
        }

        final Map<String, List<TimePoint>> lag = new LinkedHashMap<>();
        for (int p = 0; p < sampler.lag().size(); p++)
        {
            lag.put(Integer.toString(p), List.copyOf(sampler.lag().get(p)));
        }
        final double outOfRange = firstOutOfRangeSeconds(consumers, begin.nanos);
        final double allocated = begin.allocatedBytes < 0 || end.allocatedBytes < 0 || records == 0 ?
            Double.NaN : (end.allocatedBytes - begin.allocatedBytes) / (double)records;
        final double diskRatio = baselines.diskWriteBytesPerSecond() > 0 ?
            logBytesPerSecond / baselines.diskWriteBytesPerSecond() : Double.NaN;

        return new RunResult(
            config,
            failed ? RunResult.FAIL : RunResult.PASS,
            List.copyOf(problems),
            config.rate(),
            achievedRate,
            records,
            bytes,
            seconds,
            config.warmupSeconds(),
            bytes / seconds / (1024.0 * 1024.0),
            latency,
            distributions,
            List.copyOf(sampler.throughput()),
            lag,
            outOfRange,
            allocated,
            baselines,
            diskRatio,
            List.of(),
            files);
    }

    private void addNotes(
        final RunConfig config, final List<ProducerAgent> producers, final List<ConsumerAgent> consumers)
    {
        if (config.flush().leftToOs())
        {
            note(RunResult.ACK_DURABLE + " has no samples: flush=os never fsyncs while the run goes on " +
                "(segments are flushed when the log closes)");
        }
        final long untracked = producers.stream().mapToLong(ProducerAgent::untrackedDurable).sum();
        if (untracked > 0)
        {
            note(untracked + " records were not tracked until durable (pending list full): " +
                RunResult.ACK_DURABLE + " lacks their samples");
        }
        final long skipped = consumers.stream().flatMap(c -> Stream.of(c.lanes()))
            .mapToLong(ConsumerLane::skippedRecords).sum();
        if (skipped > 0)
        {
            note("consumers lost " + skipped + " records to retention before reading them (OFFSET_OUT_OF_RANGE)");
        }
    }

    /**
     * @return seconds into the measured period at which a consumer first found its position deleted, or -1.
     */
    private static double firstOutOfRangeSeconds(final List<ConsumerAgent> consumers, final long measuredFromNanos)
    {
        long first = ConsumerLane.NEVER;
        for (final ConsumerAgent consumer : consumers)
        {
            for (final ConsumerLane lane : consumer.lanes())
            {
                final long at = lane.firstOutOfRangeNanos();
                if (at != ConsumerLane.NEVER && (first == ConsumerLane.NEVER || at - first < 0))
                {
                    first = at;
                }
            }
        }
        return first == ConsumerLane.NEVER ? -1 : Math.max(0, (first - measuredFromNanos) / (double)NANOS_PER_SECOND);
    }

    private static void checkRecordFitsBatch(final RunConfig config)
    {
        final int recordLength = RecordBatchBuilder.recordLength(
            0, 0, -1, RecordValue.length(config.recordSize()), null);
        if (RecordBatchDescriptor.HEADER_LENGTH + recordLength > config.batchBytes())
        {
            throw new IllegalArgumentException("record-size=" + config.recordSize() + " needs batches of at least " +
                (RecordBatchDescriptor.HEADER_LENGTH + recordLength) + " bytes; batch-bytes=" + config.batchBytes());
        }
    }

    /**
     * Close the engine on a thread of its own, so a wedged writer cannot hold the run past the timeout.
     */
    private void closeBounded(final LogManager manager) throws InterruptedException
    {
        final Thread closer = new Thread(manager::close, "loglab-engine-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(ENGINE_CLOSE_TIMEOUT_MS);
        if (closer.isAlive())
        {
            fail("the engine did not close within " + ENGINE_CLOSE_TIMEOUT_MS + " ms");
        }
    }

    private void fail(final String problem)
    {
        problems.add(problem);
        failed = true;
    }

    private void note(final String problem)
    {
        problems.add(problem);
    }

    /**
     * The producers' published counters and the JVM's allocation total at one moment: a measured period's bounds.
     */
    private static final class Snapshot
    {
        final long nanos = System.nanoTime();
        final long epochMs = System.currentTimeMillis();
        final long acknowledgedRecords;
        final long acknowledgedLogBytes;
        final long failedRecords;
        /** -1 when the JVM does not count allocations. */
        final long allocatedBytes;

        Snapshot(final ProducerMeasurements[] producers, final com.sun.management.ThreadMXBean threads)
        {
            long records = 0;
            long logBytes = 0;
            long failures = 0;
            for (final ProducerMeasurements producer : producers)
            {
                records += producer.acknowledgedRecords();
                logBytes += producer.acknowledgedLogBytes();
                failures += producer.failedRecords();
            }
            acknowledgedRecords = records;
            acknowledgedLogBytes = logBytes;
            failedRecords = failures;
            allocatedBytes = threads.isThreadAllocatedMemoryEnabled() ? threads.getTotalThreadAllocatedBytes() : -1;
        }
    }

    /**
     * Tells a {@link ProgressListener} about every {@link #PROGRESS_NANOS}, from the coordinator.
     */
    private static final class Progress
    {
        private final ProgressListener listener;
        private final long startNanos;
        private final ProducerMeasurements[] producers;
        private long lastNanos;
        private long lastRecords;

        Progress(final ProgressListener listener, final long startNanos, final ProducerMeasurements[] producers)
        {
            this.listener = listener;
            this.startNanos = startNanos;
            this.producers = producers;
            this.lastNanos = startNanos;
        }

        void maybeReport(final long nowNanos)
        {
            if (nowNanos - lastNanos < PROGRESS_NANOS)
            {
                return;
            }
            long records = 0;
            for (final ProducerMeasurements producer : producers)
            {
                records += producer.acknowledgedRecords();
            }
            listener.onProgress((nowNanos - startNanos) / (double)NANOS_PER_SECOND,
                (records - lastRecords) / ((nowNanos - lastNanos) / (double)NANOS_PER_SECOND), records);
            lastNanos = nowNanos;
            lastRecords = records;
        }
    }
}
