package io.loglab.latency.result;

import io.loglab.latency.config.RunConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run results with chosen figures, for tests of what is made of them (reports, aggregation, JSON): no engine.
 */
public final class TestResults
{
    private TestResults()
    {
    }

    /**
     * Percentiles 1x, 2x, 3x, 4x, 5x {@code p50} for p50 ... p99.99, and 10x for the max.
     */
    public static LatencySummary latency(final double p50)
    {
        return new LatencySummary(1000, p50 * 1.2, p50, 2 * p50, 3 * p50, 4 * p50, 5 * p50, 10 * p50);
    }

    public static List<PercentilePoint> curve(final LatencySummary summary)
    {
        return List.of(new PercentilePoint(0, summary.p50() / 2), new PercentilePoint(50, summary.p50()),
            new PercentilePoint(90, summary.p90()), new PercentilePoint(99, summary.p99()),
            new PercentilePoint(99.9, summary.p999()), new PercentilePoint(100, summary.max()));
    }

    /**
     * @param diskBytesPerSecond D of this run; NaN for none (a fixed-rate run).
     * @param latencies          by kind; each also gets a curve.
     */
    public static RunResult run(
        final RunConfig config,
        final int repetition,
        final String status,
        final List<String> problems,
        final double achievedRate,
        final double diskBytesPerSecond,
        final Map<String, LatencySummary> latencies,
        final TimeSeries series)
    {
        final double logBytesPerSecond = achievedRate * 120;
        final Map<String, List<PercentilePoint>> curves = new LinkedHashMap<>();
        latencies.forEach((kind, summary) -> curves.put(kind, curve(summary)));
        final Baselines baselines = Double.isNaN(diskBytesPerSecond) ?
            Baselines.loopbackOnly(1.5e9, "N: test") :
            Baselines.loopbackOnly(1.5e9, "N: test").withDisk(new DiskRate(diskBytesPerSecond, 1 << 20, "D: test"));
        return new RunResult(
            config,
            config.hash(),
            repetition,
            status,
            problems,
            new Throughput(config.rate(), achievedRate, (long)(achievedRate * 10), (long)(achievedRate * 1000), 10,
                config.warmupSeconds(), achievedRate * 100 / (1 << 20), logBytesPerSecond),
            new Latencies(new LinkedHashMap<>(latencies), curves),
            series,
            new Platform(baselines, baselines.hasDisk() ? logBytesPerSecond / diskBytesPerSecond : Double.NaN,
                new ThreadCensus(config.writerThreadsSetting(), 2, 12, 1), 0.5),
            List.of(),
            Map.of(Latencies.ACK_WRITTEN + ".hlog", RunResult.resultName(config, repetition) + ".ack-written.hlog"));
    }

    /**
     * A flat throughput series of {@code seconds} points and no lag.
     */
    public static TimeSeries flat(final double rate, final int seconds)
    {
        final List<TimePoint> throughput = new ArrayList<>();
        for (int t = 0; t < seconds; t++)
        {
            throughput.add(new TimePoint(t, rate));
        }
        return new TimeSeries(throughput, Map.of(), -1);
    }
}
