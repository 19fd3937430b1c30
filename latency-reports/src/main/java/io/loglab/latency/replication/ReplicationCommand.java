package io.loglab.latency.replication;

import io.loglab.latency.baseline.LogFootprint;
import io.loglab.latency.baseline.MachineBaselines;
import io.loglab.latency.baseline.WriteShape;
import io.loglab.latency.report.Json;
import io.loglab.latency.result.Baselines;
import io.loglab.replication.replica.CommitRule;
import io.loglab.transport.aeron.DriverProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab-bench replication}: replication factor x acks on an embedded cluster (N nodes in this JVM, Aeron UDP
 * over loopback), fixed-rate acknowledgement latency and closed-loop throughput, each configuration run
 * {@code --repeat} times interleaved, each closed-loop run beside the article's throughput bound on this machine
 * ({@link ThroughputBound}); writes OUT/replication[-quick]-&lt;timestamp&gt;/report.html, summary.md and
 * summary.json with the median of each figure and its range beside every repetition's measurement.
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
    description = "Measure replication factor 1, 2, 3 x acks 1 and all on an embedded cluster (nodes in this JVM, " +
        "Aeron UDP over loopback): fixed-rate acknowledgement latency and closed-loop throughput.")
public final class ReplicationCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Fewer configurations and seconds, for a first look (under 2 minutes).")
    boolean quick;

    @Option(names = "--repeat", description = "Runs of each configuration, interleaved (default: ${DEFAULT-VALUE}).")
    int repeat = 1;

    @Option(names = "--rate", description = "The fixed rate, records/s (default: ${DEFAULT-VALUE}).")
    long rate = 50_000;

    @Option(names = "--record-bytes", description = "Each record's value (default: ${DEFAULT-VALUE}).")
    int recordBytes = 100;

    @Option(names = "--driver", description = "How each node's media driver runs: SHARED (one thread, backing off " +
        "when idle) or LOW_LATENCY (three spinning threads each) (default: ${DEFAULT-VALUE}).")
    DriverProfile driver = DriverProfile.SHARED;

    @Option(names = "--only", split = ",", description = "Run only these configurations (names, comma-separated).")
    List<String> only;

    @Option(names = "--out", description = "Parent directory of the report (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("latency-reports", "out");

    @Override
    public Integer call() throws Exception
    {
        if (repeat < 1 || rate < 1 || recordBytes < 1)
        {
            throw new IllegalArgumentException("--repeat, --rate and --record-bytes must be at least 1");
        }
        final List<ReplicationWorkload> all = workloads();
        final List<ReplicationWorkload> workloads = only == null ? all :
            all.stream().filter(workload -> only.contains(workload.name())).toList();
        if (workloads.isEmpty() || only != null && workloads.size() < only.size())
        {
            throw new IllegalArgumentException("--only names configurations that are not in this suite; it has " +
                all.stream().map(ReplicationWorkload::name).toList());
        }
        final long warmup = quick ? 2 : 5;
        final long duration = quick ? 5 : 20;
        final Path dir = out.resolve((quick ? "replication-quick-" : "replication-") +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        System.err.println("measuring N, the loopback baseline (up to 3 s)");
        final Baselines loopback = MachineBaselines.loopback();
        final List<ReplicationMeasurement> measured = new ArrayList<>();
        final int runs = workloads.size() * repeat;
        int done = 0;
        for (int r = 0; r < repeat; r++)
        {
            for (final ReplicationWorkload workload : workloads)
            {
                done++;
                System.err.printf(Locale.ROOT, "[%d/%d] %s (repetition %d): %d s warm-up, %d s measured%n", done, runs,
                    workload.name(), r + 1, warmup, duration);
                final Path clusterDir = Files.createTempDirectory(dir, "cluster-");
                ReplicationMeasurement result = new ReplicationRun(workload, warmup, duration).run(clusterDir);
                System.err.printf(Locale.ROOT, "    %.0f records/s acknowledged, p50 %.0f us, p99 %.0f us, max %.0f us%n",
                    result.recordsPerSecond(), result.p50Micros(), result.p99Micros(), result.maxMicros());
                if (!workload.isFixedRate() && result.recordsPerSecond() > 0)
                {
                    result = result.withBound(ThroughputBound.of(result, loopback.withDisk(MachineBaselines.disk(
                        clusterDir, writeShape(result, warmup, duration)))));
                    System.err.printf(Locale.ROOT, "    %.0f%% of the bound min(B*D/(R*s), B*N/s) = %.0f records/s%n",
                        100 * result.bound().fraction(), result.bound().recordsPerSecond());
                }
                measured.add(result);
                deleteClusterDirs(dir);
            }
        }
        final List<ReplicationSummary> summaries = ReplicationSummary.of(workloads, measured);
        Files.writeString(dir.resolve("summary.md"), ReplicationReport.markdown(summaries, warmup, duration, repeat));
        Files.writeString(dir.resolve("summary.json"), Json.toJson(new SummaryFile(summaries, measured)));
        ReplicationReport.html(summaries, warmup, duration, repeat, dir.resolve("report.html"));
        System.out.println("report: " + dir.resolve("report.html"));
        System.out.println("summary: " + dir.resolve("summary.md"));
        return 0;
    }

    /**
     * What a closed-loop run wrote to this machine's disk, every replica's copy: its warm-up's acknowledged bytes over
     * the warm-up, then its measured period's.
     */
    private static WriteShape writeShape(final ReplicationMeasurement run, final long warmupSeconds,
        final long durationSeconds)
    {
        final double copyBytes = run.workload().replicationFactor() * run.logBytesPerRecord();
        return new WriteShape((long)(run.warmupRecords() * copyBytes), TimeUnit.SECONDS.toNanos(warmupSeconds),
            (long)(run.recordsPerSecond() * durationSeconds * copyBytes), TimeUnit.SECONDS.toNanos(durationSeconds),
            LogFootprint.KEEP_ALL);
    }

    private List<ReplicationWorkload> workloads()
    {
        final List<ReplicationWorkload> workloads = new ArrayList<>();
        for (int rf = 1; rf <= 3; rf++)
        {
            for (final boolean acksAll : new boolean[] {false, true})
            {
                if (rf == 1 && acksAll && quick)
                {
                    continue;
                }
                workloads.add(new ReplicationWorkload("rf" + rf + "-acks" + (acksAll ? "all" : "1") + "-rate",
                    rf, acksAll, CommitRule.ISR, recordBytes, 100, rate, false, driver));
            }
        }
        // ISR against majority commit, both fsyncing every write on every replica: the same durability.
        for (final CommitRule rule : CommitRule.values())
        {
            workloads.add(new ReplicationWorkload("rf3-acksall-" + rule.name().toLowerCase() + "-fsync-rate", 3, true,
                rule, recordBytes, 100, rate, true, driver));
        }
        for (final int rf : quick ? new int[] {1, 3} : new int[] {1, 2, 3})
        {
            workloads.add(new ReplicationWorkload("rf" + rf + "-acksall-max", rf, true, CommitRule.ISR, recordBytes,
                500, 0, false, driver));
        }
        return workloads;
    }

    private static void deleteClusterDirs(final Path dir) throws IOException
    {
        try (var entries = Files.list(dir))
        {
            for (final Path entry : entries.filter(p -> p.getFileName().toString().startsWith("cluster-")).toList())
            {
                try (var tree = Files.walk(entry))
                {
                    for (final Path path : tree.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    /**
     * summary.json: each configuration's figures over its repetitions, then every repetition as measured.
     */
    private record SummaryFile(List<ReplicationSummary> configurations, List<ReplicationMeasurement> measured)
    {
    }
}
