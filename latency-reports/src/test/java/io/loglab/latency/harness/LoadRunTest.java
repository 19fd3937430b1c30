package io.loglab.latency.harness;

import io.loglab.latency.baseline.DiskProbe;
import io.loglab.latency.baseline.LogFootprint;
import io.loglab.latency.baseline.WriteShape;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.DiskRate;
import io.loglab.latency.result.Latencies;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.ThreadCensus;
import io.loglab.latency.result.TimePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short real runs against the embedded engine: a few seconds each, small rates, so they fit a shared machine.
 */
class LoadRunTest
{
    private static final Baselines SUITE_BASELINES = Baselines.loopbackOnly(1e9, "N fixed for tests");
    private static final double FIXED_DISK = 2e9;

    /**
     * A disk baseline that measures nothing: it records where, when and what it was asked to write, and reports a
     * fixed D.
     */
    private static final class RecordingDiskProbe implements DiskProbe
    {
        final List<Path> dirs = new ArrayList<>();
        final List<WriteShape> shapes = new ArrayList<>();
        final List<Boolean> engineDataExisted = new ArrayList<>();
        private final String dataDirName;

        RecordingDiskProbe(final String dataDirName)
        {
            this.dataDirName = dataDirName;
        }

        @Override
        public DiskRate measure(final Path dir, final WriteShape shape)
        {
            dirs.add(dir);
            shapes.add(shape);
            engineDataExisted.add(Files.exists(dir.resolve(dataDirName)));
            return new DiskRate(FIXED_DISK, 4096, "D fixed for tests");
        }
    }

    private static RunResult run(final RunConfig config, final Path dir, final DiskProbe probe) throws Exception
    {
        return LoadRun.run(new LoadRun.Context()
            .config(config)
            .runDir(dir)
            .suiteBaselines(SUITE_BASELINES)
            .diskProbe(probe));
    }

    private static DiskProbe mustNotMeasure()
    {
        return (dir, shape) ->
        {
            throw new AssertionError("a fixed-rate run measures no disk baseline");
        };
    }

    @Test
    @Timeout(60)
    void shouldMeetTheRateAndRecordEveryKindWhenATinyRunIsMeasured(@TempDir final Path dir) throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "tiny", "rate", "2000", "partitions", "2", "producers", "1", "consumers", "1",
            "warmup-seconds", "0", "duration-seconds", "2", "flush", "os"));

        final RunResult result = run(config, dir, mustNotMeasure());

        System.out.println("tiny test run: " + result.throughput() + " " + result.problems());
        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        assertEquals(config.hash(), result.configHash());
        assertEquals(1, result.repetition());
        assertEquals(4000, result.throughput().records(), 400);
        assertEquals(2000, result.throughput().achievedRate(), 200);
        assertEquals(result.throughput().records() * 100, result.throughput().bytes());
        assertTrue(result.throughput().logBytesPerSecond() > result.throughput().achievedRate() * 100,
            "log bytes include record framing and batch headers");
        final LatencySummary ackWritten = result.latency().summaries().get(Latencies.ACK_WRITTEN);
        final LatencySummary endToEnd = result.latency().summaries().get(Latencies.END_TO_END);
        assertEquals(result.throughput().records(), ackWritten.count(), 10, "histograms and counters cut within ~5 ms");
        assertTrue(ackWritten.p50() > 0 && ackWritten.max() >= ackWritten.p99(), ackWritten.toString());
        assertTrue(endToEnd.count() > 0 && endToEnd.p50() > 0, endToEnd.toString());
        assertEquals(0, result.latency().summaries().get(Latencies.ACK_DURABLE).count(),
            "flush=os never fsyncs in a run");
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("flush=os")), result.problems().toString());
        assertFalse(result.latency().distributions().get(Latencies.ACK_WRITTEN).isEmpty());
        for (final String file : result.files().values())
        {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
            assertTrue(file.startsWith(RunResult.resultName(config, 1) + "."), file);
        }
        assertEquals(List.of("0", "1"), List.copyOf(result.series().lag().keySet()));
        assertTrue(result.series().lag().get("0").size() >= 4, result.series().lag().toString());
        assertTrue(result.series().throughput().size() >= 4, result.series().throughput().toString());
        assertEquals(-1, result.series().consumerOutOfRange());
        assertFalse(result.platform().baseline().hasDisk(), "a fixed-rate run has no disk baseline");
        assertTrue(Double.isNaN(result.platform().diskRatio()));
        assertFalse(Files.exists(dir.resolve(RunResult.resultName(config, 1) + ".data")),
            "the engine's data is deleted after the run");
    }

    @Test
    @Timeout(60)
    void shouldMeasureThePlatformsHiccupsBesideTheLatenciesWhenTheRunIsAtAFixedRate(@TempDir final Path dir)
        throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "hiccups", "rate", "1000", "consumers", "0", "warmup-seconds", "1", "duration-seconds", "1"));

        final RunResult result = run(config, dir, mustNotMeasure());

        final LatencySummary hiccup = result.latency().summaries().get(Latencies.HICCUP);
        // One sample per 1 ms sleep at most, plus corrected samples for late wake-ups; warm-up excluded.
        assertTrue(hiccup.count() > 0, hiccup.toString());
        assertFalse(result.latency().distributions().get(Latencies.HICCUP).isEmpty());
        assertTrue(Files.size(dir.resolve(result.files().get(Latencies.HICCUP + ".hlog"))) > 0);
        assertTrue(Files.size(dir.resolve(result.files().get(Latencies.HICCUP + ".hgrm"))) > 0);
    }

    @Test
    @Timeout(60)
    void shouldMeasureTheDiskBaselineWithTheRunsOwnBytesAfterTheEngineClosedAndRateTheRunAgainstIt(
        @TempDir final Path dir) throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "closed", "rate", "0", "consumers", "0", "warmup-seconds", "1", "duration-seconds", "1",
            "segment-bytes", "1048576", "retention-bytes", "4194304", "retention-check-ms", "50"));
        final RecordingDiskProbe probe = new RecordingDiskProbe(RunResult.resultName(config, 1) + ".data");

        final RunResult result = run(config, dir, probe);

        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        assertEquals(List.of(dir), probe.dirs, "once, in the directory the engine's data went to");
        assertEquals(List.of(false), probe.engineDataExisted, "after the engine closed and its data was deleted");
        final WriteShape shape = probe.shapes.get(0);
        final double measuredBytes = result.throughput().logBytesPerSecond() * result.throughput().measuredSeconds();
        assertEquals(measuredBytes, shape.measureBytes(), 1.0, "the run's measured log bytes");
        assertEquals(result.throughput().measuredSeconds() * 1e9, shape.measureNanos(), 1.0);
        assertTrue(shape.warmupBytes() > 0, "the warm-up's bytes are written first: " + shape);
        assertTrue(shape.warmupNanos() > 0, shape.toString());
        assertEquals(new LogFootprint(config.partitions(), config.segmentBytes(), config.retentionBytes(), 0),
            shape.kept(),
            "kept as the run's log keeps its segments, deleting what retention removes at once");
        assertEquals(FIXED_DISK, result.platform().baseline().diskWriteBytesPerSecond());
        assertEquals(SUITE_BASELINES.loopbackBytesPerSecond(), result.platform().baseline().loopbackBytesPerSecond());
        assertTrue(result.platform().baseline().method().contains("D fixed for tests"));
        assertEquals(result.throughput().logBytesPerSecond() / FIXED_DISK, result.platform().diskRatio(), 1e-12);
        assertNull(result.latency().summaries().get(Latencies.HICCUP), "a closed-loop run measures no hiccups");
    }

    @Test
    @Timeout(60)
    void shouldGiveTheEngineTheWriterThreadSettingAndCountLiveWritersWhenRunning(@TempDir final Path dir)
        throws Exception
    {
        final RunConfig perPartition = RunConfig.DEFAULTS.with(Map.of(
            "name", "per-partition", "rate", "1000", "partitions", "3", "consumers", "0", "writer-threads", "0",
            "warmup-seconds", "0", "duration-seconds", "1"));
        final RunConfig engineDefault = perPartition.with(Map.of("name", "default", "writer-threads", "default"));

        final ThreadCensus zero = run(perPartition, dir, mustNotMeasure()).platform().threads();
        final ThreadCensus byDefault = run(engineDefault, dir, mustNotMeasure()).platform().threads();

        assertEquals("0", zero.writerThreadsSetting());
        assertEquals(0, zero.engineWriterThreads());
        assertEquals("default", byDefault.writerThreadsSetting());
        assertEquals(Runtime.getRuntime().availableProcessors(), byDefault.engineWriterThreads());
        for (final ThreadCensus census : List.of(zero, byDefault))
        {
            assertTrue(census.liveWriterThreads() >= 1, census.toString());
            assertTrue(census.liveThreads() > census.liveWriterThreads(), "producer and coordinator run too");
        }
    }

    @Test
    @Timeout(60)
    void shouldShowGrowingLagAndDetectDeletionWhenTheConsumerIsSlowerThanRetention(@TempDir final Path dir)
        throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "lag", "rate", "4000", "consumer-rate", "1000",
            "warmup-seconds", "0", "duration-seconds", "3", "segment-bytes", "32768", "retention-bytes", "262144",
            "retention-check-ms", "50", "batch-bytes", "4096"));

        final RunResult result = run(config, dir, mustNotMeasure());

        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        // 3000 records/s more produced than consumed, until retention (about 2400 records kept) overtakes the consumer.
        final List<TimePoint> lag = result.series().lag().get("0");
        final double maxLag = lag.stream().mapToDouble(TimePoint::value).max().orElse(0);
        assertTrue(maxLag > lag.get(0).value() + 1500, lag.toString());
        assertTrue(result.series().consumerOutOfRange() >= 0, "the consumer saw retention delete what it had not read");
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("lost")), result.problems().toString());
    }

    @Test
    @Timeout(60)
    void shouldRecordDurableLatencyAfterWrittenWhenFlushRunsOnAnInterval(@TempDir final Path dir) throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "interval", "rate", "1000", "consumers", "0", "flush", "interval:100",
            "warmup-seconds", "0", "duration-seconds", "1"));

        final RunResult result = run(config, dir, mustNotMeasure());

        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        final LatencySummary written = result.latency().summaries().get(Latencies.ACK_WRITTEN);
        final LatencySummary durable = result.latency().summaries().get(Latencies.ACK_DURABLE);
        assertEquals(written.count(), durable.count(), 0.15 * written.count(), "most records fsynced in the run");
        assertTrue(durable.p50() > written.p50(), durable + " vs " + written);
        assertFalse(result.latency().summaries().containsKey(Latencies.END_TO_END), "no consumers, no end-to-end");
        assertTrue(result.series().lag().isEmpty());
    }
}
