package io.loglab.latency.harness;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import io.loglab.latency.baseline.LogFootprint;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Latencies;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one run is made of, built from its {@link RunConfig}: a fresh engine with the load topic, the producers
 * (fixed-rate or closed-loop), the consumers, the sampler, the hiccup meter of a fixed-rate run, the threads that
 * will run them, and one {@link LatencyLog} per latency kind. Built and closed by the coordinating thread; nothing
 * here runs until {@link RunCoordinator} starts the threads.
 */
final class RunWiring
{
    static final String TOPIC = "load";
    static final int IN_FLIGHT_BATCHES_PER_PARTITION = 8;
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long SAMPLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long PRODUCER_STOP_GRACE_MS = 5_000;
    private static final long ENGINE_CLOSE_TIMEOUT_MS = 30_000;
    private static final int CONSUMER_READ_BYTES = 1024 * 1024;
    private static final int MAX_DURABLE_TRACKED_PER_PARTITION = 1 << 20;

    /**
     * When the run starts, when its measured period starts (after the warm-up) and when it ends.
     */
    record Timeline(long startNanos, long measureStartNanos, long measureEndNanos, long measureStartEpochMs)
    {
        static Timeline startingSoon(final RunConfig config)
        {
            final long nowNanos = System.nanoTime();
            final long startNanos = nowNanos + START_DELAY_NANOS;
            final long measureStartNanos = startNanos + config.warmupSeconds() * NANOS_PER_SECOND;
            final long measureEndNanos = measureStartNanos + config.durationSeconds() * NANOS_PER_SECOND;
            final long measureStartEpochMs =
                System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(measureStartNanos - nowNanos);
            return new Timeline(startNanos, measureStartNanos, measureEndNanos, measureStartEpochMs);
        }
    }

    final RunConfig config;
    final String resultName;
    final int engineWriterThreads;
    /** What the topic's logs keep on disk of what they are sent: the disk baseline keeps the same. */
    final LogFootprint logFootprint;
    final Timeline timeline;
    final List<ProducerAgent> producers;
    final ProducerMeasurements[] producerMeasurements;
    final List<ConsumerAgent> consumers;
    final Sampler sampler;
    final List<AgentThread> producerThreads = new ArrayList<>();
    /** Consumers, the sampler and the hiccup meter: stopped after the producers. */
    final List<AgentThread> otherThreads = new ArrayList<>();
    /** By kind, in the order reports list them. */
    final Map<String, LatencyLog> logs = new LinkedHashMap<>();
    private final Path dataDir;
    private final LogManager manager;

    private RunWiring(
        final RunConfig config,
        final String resultName,
        final Path runDir,
        final Path dataDir,
        final LogManager manager,
        final int engineWriterThreads,
        final Topic topic,
        final Problems problems) throws IOException
    {
        this.config = config;
        this.resultName = resultName;
        this.dataDir = dataDir;
        this.manager = manager;
        this.engineWriterThreads = engineWriterThreads;
        final LogConfig logConfig = topic.config();
        this.logFootprint = new LogFootprint(config.partitions(), logConfig.segmentBytes(), logConfig.retentionBytes(),
            TimeUnit.MILLISECONDS.toNanos(logConfig.fileDeleteDelayMs()));
        final Partition[] partitions = new Partition[config.partitions()];
        for (int p = 0; p < partitions.length; p++)
        {
            partitions[p] = topic.partition(p);
            // A log opens on first use; open it now, so the first measured batch does not pay for that.
            partitions[p].logEndOffset();
        }
        // The clock starts once the topic and its logs exist: opening many partitions can take a while.
        this.timeline = Timeline.startingSoon(config);
        this.producers = createProducers(config, partitions, timeline.startNanos(), problems);
        this.producerMeasurements = producers.stream()
            .map(ProducerAgent::measurements).toArray(ProducerMeasurements[]::new);
        this.consumers = createConsumers(config, partitions, timeline, problems);
        this.sampler = new Sampler(producerMeasurements, partitions, consumerLaneByPartition(consumers),
            timeline.startNanos(), timeline.measureStartNanos(), SAMPLE_PERIOD_NANOS);

        producers.forEach(agent -> producerThreads.add(new AgentThread(
            agent, new BackoffIdleStrategy(100, 10, 1_000, 50_000), PRODUCER_STOP_GRACE_MS)));
        consumers.forEach(agent -> otherThreads.add(new AgentThread(
            agent, new BackoffIdleStrategy(100, 10, 1_000, 200_000), 0)));
        otherThreads.add(new AgentThread(sampler, new SleepingMillisIdleStrategy(10), 0));
        final HiccupMeter hiccupMeter = config.isOpenLoop() ? new HiccupMeter(SystemNanoClock.INSTANCE,
            TimeUnit.NANOSECONDS::sleep, HiccupMeter.RESOLUTION_NANOS) : null;
        if (hiccupMeter != null)
        {
            // It sleeps in its own duty cycle.
            otherThreads.add(new AgentThread(hiccupMeter, new NoOpIdleStrategy(), 0));
        }
        openLogs(runDir, hiccupMeter);
    }

    /**
     * Open a fresh engine in {@code runDir} with the load topic, and build everything the run needs on it.
     *
     * @param problems told what the run does differently from what was asked (fewer producers, ...).
     * @throws IOException if the engine or the run's files cannot be created; the engine is closed again.
     */
    static RunWiring open(final RunConfig config, final String resultName, final Path runDir, final Problems problems)
        throws IOException, InterruptedException
    {
        final Path dataDir = runDir.resolve(resultName + ".data");
        IoUtil.delete(dataDir.toFile(), false);
        final LogManagerContext context = config.applyTo(new LogManagerContext()
            .dataDir(dataDir)
            .retentionCheckIntervalMs(config.retentionCheckMs()));
        final LogManager manager = LogManager.open(context);
        try
        {
            final Topic topic = manager.createTopic(TOPIC, config.partitions(), new LogConfig()
                .segmentBytes(config.segmentBytes())
                .retentionBytes(config.retentionBytes())
                .retentionMs(-1)
                // What retention removes is deleted at once: readers holding a removed segment finish on its open
                // files, and the disk holds what retention-bytes says, which the disk baseline mirrors.
                .fileDeleteDelayMs(0)
                .flushPolicy(config.flush()));
            return new RunWiring(
                config, resultName, runDir, dataDir, manager, context.writerThreads(), topic, problems);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeBounded(manager, problems);
            IoUtil.delete(dataDir.toFile(), false);
            throw ex;
        }
    }

    List<AgentThread> allThreads()
    {
        final List<AgentThread> all = new ArrayList<>(producerThreads);
        all.addAll(otherThreads);
        return Collections.unmodifiableList(all);
    }

    /**
     * Close the engine, bounded in time, and delete its data. Call once every agent thread has stopped.
     */
    void closeEngine(final Problems problems) throws InterruptedException
    {
        closeBounded(manager, problems);
        IoUtil.delete(dataDir.toFile(), false);
    }

    /**
     * Close the engine on a thread of its own, so a wedged writer cannot hold the run past the timeout.
     */
    private static void closeBounded(final LogManager manager, final Problems problems) throws InterruptedException
    {
        final Thread closer = new Thread(manager::close, "loglab-engine-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(ENGINE_CLOSE_TIMEOUT_MS);
        if (closer.isAlive())
        {
            problems.fail("the engine did not close within " + ENGINE_CLOSE_TIMEOUT_MS + " ms");
        }
    }

    private static List<ProducerAgent> createProducers(
        final RunConfig config, final Partition[] partitions, final long startNanos, final Problems problems)
    {
        int producerCount = Math.min(config.producers(), partitions.length);
        if (config.isOpenLoop())
        {
            producerCount = (int)Math.min(producerCount, config.rate());
        }
        if (producerCount < config.producers())
        {
            problems.note("ran " + producerCount + " producers instead of " + config.producers() +
                ": each needs a partition of its own and at least 1 record/s");
        }
        final long lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.lingerMs());
        final List<ProducerAgent> producers = new ArrayList<>();
        for (int k = 0; k < producerCount; k++)
        {
            final List<Partition> lanes = new ArrayList<>();
            for (int p = k; p < partitions.length; p += producerCount)
            {
                lanes.add(partitions[p]);
            }
            final ProducerContext client = new ProducerContext()
                .batchBytes(config.batchBytes())
                .lingerNs(lingerNanos)
                .inFlightPerPartition(IN_FLIGHT_BATCHES_PER_PARTITION);
            final FixedRateSchedule schedule = config.isOpenLoop() ?
                new FixedRateSchedule(startNanos, share(config.rate(), producerCount, k)) : null;
            producers.add(new ProducerAgent("loglab-producer-" + k, lanes.toArray(new Partition[0]), client, schedule,
                config.recordSize(), durableTracked(config), SystemEpochClock.INSTANCE));
        }
        return producers;
    }

    /**
     * Records each partition tracks until durable: only flush=interval acknowledges records as written and makes
     * them durable later, while the run watches; 0 for the other policies.
     */
    private static int durableTracked(final RunConfig config)
    {
        if (!config.flush().onInterval())
        {
            return 0;
        }
        final long intervalMs = config.flush().intervalMs();
        final long perPartitionRate = config.isOpenLoop() ? config.rate() / config.partitions() + 1 : 1 << 17;
        final long pendingAtMost = perPartitionRate * (intervalMs + 1000) / 1000 * 2;
        return (int)Math.min(Math.max(pendingAtMost, 4096), MAX_DURABLE_TRACKED_PER_PARTITION);
    }

    /**
     * Producer {@code index}'s part of {@code total} records/s, the remainder going to the first ones.
     */
    static long share(final long total, final int parts, final int index)
    {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static List<ConsumerAgent> createConsumers(
        final RunConfig config, final Partition[] partitions, final Timeline timeline, final Problems problems)
    {
        final int consumerCount = Math.min(config.consumers(), partitions.length);
        if (consumerCount < config.consumers())
        {
            problems.note("ran " + consumerCount + " consumers instead of " + config.consumers() +
                ": each needs a partition of its own");
        }
        final List<ConsumerAgent> consumers = new ArrayList<>();
        for (int k = 0; k < consumerCount; k++)
        {
            final List<ConsumerLane> lanes = new ArrayList<>();
            for (int p = k; p < partitions.length; p += consumerCount)
            {
                lanes.add(new ConsumerLane(partitions[p], Math.max(CONSUMER_READ_BYTES, config.batchBytes()),
                    SystemNanoClock.INSTANCE, timeline.measureStartNanos()));
            }
            final RateLimiter limiter = config.consumerRate() > 0 ? new RateLimiter(
                timeline.startNanos(), config.consumerRate(), Math.max(1, config.consumerRate() / 10)) : null;
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

    private void openLogs(final Path runDir, final HiccupMeter hiccupMeter) throws IOException
    {
        final List<SingleWriterRecorder> ackWritten = new ArrayList<>();
        final List<SingleWriterRecorder> ackDurable = new ArrayList<>();
        final List<SingleWriterRecorder> sendDelay = new ArrayList<>();
        for (final ProducerMeasurements producer : producerMeasurements)
        {
            ackWritten.add(producer.ackWritten());
            ackDurable.add(producer.ackDurable());
            sendDelay.add(producer.sendDelay());
        }
        try
        {
            openLog(Latencies.ACK_WRITTEN, ackWritten, runDir);
            openLog(Latencies.ACK_DURABLE, ackDurable, runDir);
            if (!consumers.isEmpty())
            {
                final List<SingleWriterRecorder> endToEnd = new ArrayList<>();
                consumers.forEach(consumer -> endToEnd.add(consumer.endToEnd()));
                openLog(Latencies.END_TO_END, endToEnd, runDir);
            }
            openLog(Latencies.SEND_DELAY, sendDelay, runDir);
            if (hiccupMeter != null)
            {
                openLog(Latencies.HICCUP, List.of(hiccupMeter.hiccups()), runDir);
            }
        }
        catch (final IOException ex)
        {
            closeLogs();
            throw ex;
        }
    }

    private void openLog(final String kind, final List<SingleWriterRecorder> recorders, final Path runDir)
        throws IOException
    {
        logs.put(kind, new LatencyLog(kind, recorders, runDir.resolve(fileName(kind, "hlog")),
            timeline.measureStartEpochMs()));
    }

    void closeLogs()
    {
        logs.values().forEach(LatencyLog::close);
    }

    /**
     * A file of this run, named after its result name, e.g. {@code max_sha=1a2b3c4d-1.ack-written.hlog}.
     */
    String fileName(final String kind, final String extension)
    {
        return resultName + "." + kind + "." + extension;
    }
}
