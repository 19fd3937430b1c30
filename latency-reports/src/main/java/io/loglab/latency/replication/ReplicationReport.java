package io.loglab.latency.replication;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * summary.md of a replication run: one row per configuration, each figure the median of its repetitions with the
 * range beside it when there were several.
 */
final class ReplicationReport
{
    private ReplicationReport()
    {
    }

    static String markdown(final List<ReplicationWorkload> workloads, final List<ReplicationMeasurement> measured,
        final long warmupSeconds, final long durationSeconds, final int repeat)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Replication on an embedded cluster\n\n")
            .append("Each replica a node in this JVM with its own data directory, writer thread and Aeron media ")
            .append("driver (its profile in the table), replicas streaming over Aeron UDP on loopback; the ")
            .append("local controller; min.insync.replicas = min(2, RF); ISR commit and no fsync (the OS writes ")
            .append("back) unless the table says otherwise. One producer thread appends batches of the records due (up to the batch size) to the ")
            .append("leader; acks=1 is answered when the leader has written a batch, acks=all when the high ")
            .append("watermark has passed it and the leader's log shows it.\n\n")
            .append(String.format(Locale.ROOT, "%d s warm-up, %d s measured, %d repetition(s), interleaved; ",
                warmupSeconds, durationSeconds, repeat))
            .append("figures are medians, [min-max] over repetitions. Fixed-rate latencies run from when each ")
            .append("record was due (corrected for coordinated omission), closed-loop ones from when its batch was ")
            .append("sent.\n\n")
            .append("| configuration | RF | acks | commit | fsync | driver | offered records/s | batch | ")
            .append("acknowledged records/s | p50 us | ")
            .append("p99 us | p99.9 us | p99.99 us | max us | refused |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final ReplicationWorkload workload : workloads)
        {
            final List<ReplicationMeasurement> runs = measured.stream()
                .filter(m -> m.workload().equals(workload)).toList();
            md.append("| ").append(workload.name()).append(" | ").append(workload.replicationFactor())
                .append(" | ").append(workload.acks()).append(" | ").append(workload.commitRule())
                .append(" | ").append(workload.fsync() ? "every write" : "no").append(" | ").append(workload.driver())
                .append(" | ")
                .append(workload.isFixedRate() ? Long.toString(workload.recordsPerSecond()) : "max (closed loop)")
                .append(" | ").append(workload.batchRecords()).append(" x ").append(workload.recordBytes())
                .append(" B | ")
                .append(figure(runs, ReplicationMeasurement::recordsPerSecond, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p50Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p99Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p999Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p9999Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::maxMicros, "%.0f")).append(" | ")
                .append(refusals(runs)).append(" |\n");
        }
        stages(md, workloads, measured);
        return md.toString();
    }

    /**
     * For each acks=all configuration, where its batches' time went, stage by stage (the first repetition's).
     */
    private static void stages(final StringBuilder md, final List<ReplicationWorkload> workloads,
        final List<ReplicationMeasurement> measured)
    {
        md.append("\n## Where acks=all time goes\n\n")
            .append("Per batch (not per record), from the nodes' probes: queued at the producer (due to sent), the ")
            .append("leader's write, the leader noticing and sending to a follower, the wire (Aeron, both drivers), ")
            .append("the follower's write, its position back to the leader, from the leader's write until the high ")
            .append("watermark passed the batch, and from then until the producer had the acknowledgement (the ")
            .append("log showing the high watermark). Follower stages count each follower's copy. First repetition.\n");
        for (final ReplicationWorkload workload : workloads)
        {
            final ReplicationMeasurement first = measured.stream().filter(m -> m.workload().equals(workload) &&
                !m.stages().isEmpty()).findFirst().orElse(null);
            if (first == null)
            {
                continue;
            }
            md.append("\n### ").append(workload.name()).append("\n\n")
                .append("| stage | samples | p50 us | p99 us | p99.9 us |\n|---|---|---|---|---|\n");
            for (final StageLatency stage : first.stages())
            {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f |%n", stage.stage(),
                    stage.samples(), stage.p50Micros(), stage.p99Micros(), stage.p999Micros()));
            }
        }
    }

    /**
     * Every repetition's refused records, summed by why; 0 if none.
     */
    private static String refusals(final List<ReplicationMeasurement> runs)
    {
        final Map<String, Long> total = new TreeMap<>();
        runs.forEach(run -> run.refused().forEach((why, count) -> total.merge(why, count, Long::sum)));
        return total.isEmpty() ? "0" : total.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
    }

    private static String figure(final List<ReplicationMeasurement> runs,
        final ToDoubleFunction<ReplicationMeasurement> of, final String format)
    {
        final double[] values = runs.stream().mapToDouble(of).sorted().toArray();
        if (values.length == 0)
        {
            return "-";
        }
        final double median = values.length % 2 == 1 ? values[values.length / 2] :
            (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        final String text = String.format(Locale.ROOT, format, median);
        return values.length == 1 ? text : text + " [" + String.format(Locale.ROOT, format, values[0]) + "-" +
            String.format(Locale.ROOT, format, Arrays.stream(values).max().orElse(0)) + "]";
    }
}
