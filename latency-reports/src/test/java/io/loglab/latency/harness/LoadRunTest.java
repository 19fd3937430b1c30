package io.loglab.latency.harness;

import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.TimePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short real runs against the embedded engine: a few seconds each, small rates, so they fit a shared machine.
 */
class LoadRunTest
{
    private static final Baselines FIXED_BASELINES = new Baselines(1e9, 1e9, 1 << 20, "fixed for tests");

    @Test
    @Timeout(60)
    void shouldMeetTheRateAndRecordEveryKindWhenATinyRunIsMeasured(@TempDir final Path dir) throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "tiny", "rate", "2000", "partitions", "2", "producers", "1", "consumers", "1",
            "warmup-seconds", "0", "duration-seconds", "2", "flush", "os"));

        final RunResult result = LoadRun.run(config, dir, FIXED_BASELINES, ProgressListener.NONE);

        System.out.println("tiny test run: " + result);
        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        assertEquals(4000, result.records(), 400);
        assertEquals(2000, result.achievedRate(), 200);
        assertEquals(result.records() * 100, result.bytes());
        final LatencySummary ackWritten = result.latency().get(RunResult.ACK_WRITTEN);
        final LatencySummary endToEnd = result.latency().get(RunResult.END_TO_END);
        assertEquals(result.records(), ackWritten.count(), 10, "histograms and counters cut within ~5 ms");
        assertTrue(ackWritten.p50() > 0 && ackWritten.max() >= ackWritten.p99(), ackWritten.toString());
        assertTrue(endToEnd.count() > 0 && endToEnd.p50() > 0, endToEnd.toString());
        assertEquals(0, result.latency().get(RunResult.ACK_DURABLE).count(), "flush=os never fsyncs in a run");
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("flush=os")), result.problems().toString());
        assertFalse(result.distributions().get(RunResult.ACK_WRITTEN).isEmpty());
        for (final String file : result.files().values())
        {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertEquals(List.of("0", "1"), List.copyOf(result.lag().keySet()));
        assertTrue(result.lag().get("0").size() >= 4, result.lag().toString());
        assertTrue(result.throughput().size() >= 4, result.throughput().toString());
        assertEquals(-1, result.consumerOutOfRange());
        assertFalse(Files.exists(dir.resolve("tiny.data")), "the engine's data is deleted after the run");
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

        final RunResult result = LoadRun.run(config, dir, FIXED_BASELINES, ProgressListener.NONE);

        System.out.println("lag test run: " + result);
        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        // 3000 records/s more produced than consumed, until retention (about 2400 records kept) overtakes the consumer.
        final List<TimePoint> lag = result.lag().get("0");
        final double maxLag = lag.stream().mapToDouble(TimePoint::value).max().orElse(0);
        assertTrue(maxLag > lag.get(0).value() + 1500, lag.toString());
        assertTrue(result.consumerOutOfRange() >= 0, "the consumer saw retention delete what it had not read");
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("lost")), result.problems().toString());
    }

    @Test
    @Timeout(60)
    void shouldRecordDurableLatencyAfterWrittenWhenFlushRunsOnAnInterval(@TempDir final Path dir) throws Exception
    {
        final RunConfig config = RunConfig.DEFAULTS.with(Map.of(
            "name", "interval", "rate", "1000", "consumers", "0", "flush", "interval:100",
            "warmup-seconds", "0", "duration-seconds", "1"));

        final RunResult result = LoadRun.run(config, dir, FIXED_BASELINES, ProgressListener.NONE);

        System.out.println("interval test run: " + result);
        assertEquals(RunResult.PASS, result.status(), result.problems().toString());
        final LatencySummary written = result.latency().get(RunResult.ACK_WRITTEN);
        final LatencySummary durable = result.latency().get(RunResult.ACK_DURABLE);
        assertEquals(written.count(), durable.count(), 0.15 * written.count(), "most records fsynced in the run");
        assertTrue(durable.p50() > written.p50(), durable + " vs " + written);
        assertFalse(result.latency().containsKey(RunResult.END_TO_END), "no consumers, no end-to-end");
        assertTrue(result.lag().isEmpty());
    }
}
