package io.loglab.latency.harness;

import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.Latencies;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.Platform;
import io.loglab.latency.result.PercentilePoint;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.Throughput;
import io.loglab.latency.result.TimePoint;
import io.loglab.latency.result.TimeSeries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns what a run's agents recorded into its {@link RunResult}, once every agent thread has stopped: the figures of
 * the measured period, the pass/fail verdict and notes, the latency totals (written out as {@code .hgrm} files
 * beside the interval logs), the time series, and the disk ratio against the run's own baseline.
 */
final class RunAssembly
{
    /** An open-loop run that achieved less than this fraction of its target rate FAILs. */
    static final double RATE_TOLERANCE = 0.95;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double BYTES_PER_MEBIBYTE = 1024.0 * 1024.0;

    private RunAssembly()
    {
    }

    /**
     * @param baselines D (beside this run, when closed-loop) and N.
     * @param problems  what the wiring and the coordinator found; the verdict is added here.
     */
    static RunResult assemble(
        final RunWiring wiring,
        final RunCoordinator.MeasuredPeriod period,
        final Baselines baselines,
        final int repetition,
        final Path runDir,
        final Problems problems) throws IOException
    {
        final RunConfig config = wiring.config;
        final Throughput throughput = throughput(config, period);
        judge(config, wiring, period, throughput, problems);
        addNotes(config, wiring, problems);

        final Map<String, LatencySummary> summaries = new LinkedHashMap<>();
        final Map<String, List<PercentilePoint>> distributions = new LinkedHashMap<>();
        final Map<String, String> files = new LinkedHashMap<>();
        for (final LatencyLog log : wiring.logs.values())
        {
            final String hgrm = wiring.fileName(log.kind(), "hgrm");
            log.writeDistribution(runDir.resolve(hgrm));
            summaries.put(log.kind(), LatencySummary.of(log.total()));
            distributions.put(log.kind(), log.distribution());
            files.put(log.kind() + ".hlog", wiring.fileName(log.kind(), "hlog"));
            files.put(log.kind() + ".hgrm", hgrm);
        }

        final Map<String, List<TimePoint>> lag = new LinkedHashMap<>();
        for (int p = 0; p < wiring.sampler.lag().size(); p++)
        {
            lag.put(Integer.toString(p), List.copyOf(wiring.sampler.lag().get(p)));
        }
        final TimeSeries series = new TimeSeries(List.copyOf(wiring.sampler.throughput()), lag,
            firstOutOfRangeSeconds(wiring.consumers, period.begin().nanos));

        final CounterSnapshot begin = period.begin();
        final CounterSnapshot end = period.end();
        final double allocated = begin.allocatedBytes < 0 || end.allocatedBytes < 0 || throughput.records() == 0 ?
            Double.NaN : (end.allocatedBytes - begin.allocatedBytes) / (double)throughput.records();
        final double diskRatio = baselines.hasDisk() ?
            throughput.logBytesPerSecond() / baselines.diskWriteBytesPerSecond() : Double.NaN;
        final Platform platform = new Platform(baselines, diskRatio, period.threads(), allocated);

        return new RunResult(
            config,
            config.hash(),
            repetition,
            problems.failed() ? RunResult.FAIL : RunResult.PASS,
            problems.list(),
            throughput,
            new Latencies(summaries, distributions),
            series,
            platform,
            List.of(),
            files);
    }

    private static Throughput throughput(final RunConfig config, final RunCoordinator.MeasuredPeriod period)
    {
        final CounterSnapshot begin = period.begin();
        final CounterSnapshot end = period.end();
        final double seconds = (end.nanos - begin.nanos) / NANOS_PER_SECOND;
        final long records = end.acknowledgedRecords - begin.acknowledgedRecords;
        final long bytes = records * RecordValue.length(config.recordSize());
        return new Throughput(
            config.rate(),
            records / seconds,
            records,
            bytes,
            seconds,
            config.warmupSeconds(),
            bytes / seconds / BYTES_PER_MEBIBYTE,
            (end.acknowledgedLogBytes - begin.acknowledgedLogBytes) / seconds);
    }

    private static void judge(
        final RunConfig config,
        final RunWiring wiring,
        final RunCoordinator.MeasuredPeriod period,
        final Throughput throughput,
        final Problems problems)
    {
        if (config.isOpenLoop() && throughput.achievedRate() < RATE_TOLERANCE * config.rate())
        {
            problems.fail(String.format("achieved %.0f records/s, below %.0f%% of the target %d records/s",
                throughput.achievedRate(), RATE_TOLERANCE * 100, config.rate()));
        }
        if (throughput.records() == 0)
        {
            problems.fail("no record was acknowledged during the measured period");
        }
        final long failedRecords = period.end().failedRecords - period.begin().failedRecords;
        for (final ProducerAgent producer : wiring.producers)
        {
            final Throwable failure = producer.measurements().firstFailure();
            if (failure != null)
            {
                problems.fail(failedRecords + " records failed to append during the measured period; " +
                    producer.name() + "'s first failure: " + failure);
                break;
            }
        }
    }

    private static void addNotes(final RunConfig config, final RunWiring wiring, final Problems problems)
    {
        if (config.flush().leftToOs())
        {
            problems.note(Latencies.ACK_DURABLE + " has no samples: flush=os never fsyncs while the run goes on " +
                "(segments are flushed when the log closes)");
        }
        final long untracked = wiring.producers.stream().mapToLong(ProducerAgent::untrackedDurable).sum();
        if (untracked > 0)
        {
            problems.note(untracked + " records were not tracked until durable (pending list full): " +
                Latencies.ACK_DURABLE + " lacks their samples");
        }
        final long skipped = wiring.consumers.stream().flatMap(c -> Stream.of(c.lanes()))
            .mapToLong(ConsumerLane::skippedRecords).sum();
        if (skipped > 0)
        {
            problems.note("consumers lost " + skipped +
                " records to retention before reading them (OFFSET_OUT_OF_RANGE)");
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
        return first == ConsumerLane.NEVER ? -1 : Math.max(0, (first - measuredFromNanos) / NANOS_PER_SECOND);
    }
}
