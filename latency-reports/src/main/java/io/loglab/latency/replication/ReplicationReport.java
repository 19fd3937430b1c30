package io.loglab.latency.replication;

import io.loglab.latency.report.HtmlReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report of a replication run, summary.md and report.html (one offline page with charts), from the same
 * measurements and words: one row per configuration, each figure the median of its repetitions with the range beside
 * it when there were several; each closed-loop run against the article's throughput bound; for acks=all, where the
 * time went, stage by stage.
 */
final class ReplicationReport
{
    static final String TITLE = "Replication on an embedded cluster";
    static final String BOUND_NOTE = "The reference article's bound min(B*D/(R*s), B*N/s), in records/s, beside each " +
        "closed-loop run: B = 1, since every node writes to this machine's one disk and sends over its one " +
        "loopback; R the replication factor; D raw sequential writes of the run's own bytes (every replica's copy) " +
        "in its shape, right after it; N loopback TCP, once per suite; s what a record took in the run's log, " +
        "batch header included. A ceiling, not a target: replicas also share the machine's two cores.";
    static final String STAGES_NOTE = "Per batch (not per record), from the nodes' probes: queued at the producer " +
        "(due to sent), the leader's write, the leader noticing and sending to a follower, the wire (Aeron, both " +
        "drivers), the follower's write, its position back to the leader, from the leader's write until the high " +
        "watermark passed the batch, and from then until the producer had the acknowledgement (the log showing the " +
        "high watermark). Follower stages count each follower's copy. First repetition.";

    private ReplicationReport()
    {
    }

    static String setup(final long warmupSeconds, final long durationSeconds, final int repeat)
    {
        return "Each replica a node in this JVM with its own data directory, writer thread and Aeron media " +
            "driver (its profile in the table), replicas streaming over Aeron UDP on loopback; the local " +
            "controller; min.insync.replicas = min(2, RF); ISR commit and no fsync (the OS writes back) unless the " +
            "table says otherwise. One producer thread appends batches of the records due (up to the batch size) " +
            "to the leader; acks=1 is answered when the leader has written a batch, acks=all when the high " +
            "watermark has passed it and the leader's log shows it. " + String.format(Locale.ROOT,
            "%d s warm-up, %d s measured, %d repetition(s), interleaved; ", warmupSeconds, durationSeconds, repeat) +
            "figures are medians, (min–max) over repetitions. Fixed-rate latencies run from when each record was " +
            "due (corrected for coordinated omission), closed-loop ones from when its batch was sent.";
    }

    /**
     * report.html: the same figures, with the fixed-rate latencies charted by percentile and bars for the bound and
     * the stages.
     */
    static void html(final List<ReplicationSummary> summaries, final long warmupSeconds, final long durationSeconds,
        final int repeat, final Path file) throws IOException
    {
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("setup", setup(warmupSeconds, durationSeconds, repeat));
        data.put("boundNote", BOUND_NOTE);
        data.put("stagesNote", STAGES_NOTE);
        data.put("configurations", summaries);
        Files.writeString(file, HtmlReport.selfContained(ReplicationReport.class, "replication.html", TITLE, data),
            StandardCharsets.UTF_8);
    }

    static String markdown(final List<ReplicationSummary> summaries, final long warmupSeconds,
        final long durationSeconds, final int repeat)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# ").append(TITLE).append("\n\n").append(setup(warmupSeconds, durationSeconds, repeat))
            .append("\n\n")
            .append("| configuration | RF | acks | commit | fsync | driver | offered records/s | batch | ")
            .append("acknowledged records/s | p50 us | ")
            .append("p99 us | p99.9 us | p99.99 us | max us | refused |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final ReplicationSummary summary : summaries)
        {
            final ReplicationWorkload workload = summary.workload();
            md.append("| ").append(workload.name()).append(" | ").append(workload.replicationFactor())
                .append(" | ").append(workload.acks()).append(" | ").append(workload.commitRule())
                .append(" | ").append(workload.fsync() ? "every write" : "no").append(" | ").append(workload.driver())
                .append(" | ")
                .append(workload.isFixedRate() ? Long.toString(workload.recordsPerSecond()) : "max (closed loop)")
                .append(" | ").append(workload.batchRecords()).append(" x ").append(workload.recordBytes())
                .append(" B | ").append(summary.recordsPerSecond().text(ReplicationReport::whole))
                .append(" | ").append(summary.p50Micros().text(ReplicationReport::whole))
                .append(" | ").append(summary.p99Micros().text(ReplicationReport::whole))
                .append(" | ").append(summary.p999Micros().text(ReplicationReport::whole))
                .append(" | ").append(summary.p9999Micros().text(ReplicationReport::whole))
                .append(" | ").append(summary.maxMicros().text(ReplicationReport::whole))
                .append(" | ").append(refusals(summary.refused())).append(" |\n");
        }
        bounds(md, summaries);
        stages(md, summaries);
        return md.toString();
    }

    /**
     * Each closed-loop configuration's acknowledged rate beside the article's bound, when it was measured.
     */
    private static void bounds(final StringBuilder md, final List<ReplicationSummary> summaries)
    {
        if (summaries.stream().allMatch(summary -> summary.bound() == null))
        {
            return;
        }
        md.append("\n## Closed loop against the article's bound\n\n").append(BOUND_NOTE).append("\n\n")
            .append("| configuration | RF | acknowledged records/s | bound records/s | % of bound | D MB/s | N MB/s | ")
            .append("s bytes/record |\n|---|---|---|---|---|---|---|---|\n");
        for (final ReplicationSummary summary : summaries)
        {
            final ReplicationSummary.Bound bound = summary.bound();
            if (bound == null)
            {
                continue;
            }
            md.append("| ").append(summary.workload().name()).append(" | ")
                .append(summary.workload().replicationFactor())
                .append(" | ").append(bound.recordsPerSecond().text(ReplicationReport::whole))
                .append(" | ").append(bound.boundRecordsPerSecond().text(ReplicationReport::whole))
                .append(" | ").append(bound.percentOfBound().text(ReplicationReport::whole))
                .append(" | ").append(bound.diskMegabytesPerSecond().text(ReplicationReport::whole))
                .append(" | ").append(bound.loopbackMegabytesPerSecond().text(ReplicationReport::whole))
                .append(" | ").append(bound.logBytesPerRecord().text(v -> String.format(Locale.ROOT, "%.1f", v)))
                .append(" |\n");
        }
    }

    /**
     * For each acks=all configuration, where its batches' time went, stage by stage (the first repetition's).
     */
    private static void stages(final StringBuilder md, final List<ReplicationSummary> summaries)
    {
        md.append("\n## Where acks=all time goes\n\n").append(STAGES_NOTE).append("\n");
        for (final ReplicationSummary summary : summaries)
        {
            if (summary.stages().isEmpty())
            {
                continue;
            }
            md.append("\n### ").append(summary.workload().name()).append("\n\n")
                .append("| stage | samples | p50 us | p99 us | p99.9 us |\n|---|---|---|---|---|\n");
            for (final StageLatency stage : summary.stages())
            {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f |%n", stage.stage(),
                    stage.samples(), stage.p50Micros(), stage.p99Micros(), stage.p999Micros()));
            }
        }
    }

    /**
     * Refused records by why; 0 if none.
     */
    private static String refusals(final Map<String, Long> refused)
    {
        return refused.isEmpty() ? "0" : refused.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
    }

    private static String whole(final double value)
    {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
