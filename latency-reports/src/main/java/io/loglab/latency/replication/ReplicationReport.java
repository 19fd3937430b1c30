package io.loglab.latency.replication;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

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
            .append("local controller; ISR commit with min.insync.replicas = min(2, RF); no fsync (the OS writes ")
            .append("back). One producer thread appends batches of the records due (up to the batch size) to the ")
            .append("leader; acks=1 is answered when the leader has written a batch, acks=all when the high ")
            .append("watermark has passed it and the leader's log shows it.\n\n")
            .append(String.format(Locale.ROOT, "%d s warm-up, %d s measured, %d repetition(s), interleaved; ",
                warmupSeconds, durationSeconds, repeat))
            .append("figures are medians, [min-max] over repetitions. Fixed-rate latencies run from when each ")
            .append("record was due (corrected for coordinated omission), closed-loop ones from when its batch was ")
            .append("sent.\n\n")
            .append("| configuration | RF | acks | driver | offered records/s | batch | acknowledged records/s | p50 us | ")
            .append("p99 us | p99.9 us | p99.99 us | max us | refused |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final ReplicationWorkload workload : workloads)
        {
            final List<ReplicationMeasurement> runs = measured.stream()
                .filter(m -> m.workload().equals(workload)).toList();
            md.append("| ").append(workload.name()).append(" | ").append(workload.replicationFactor())
                .append(" | ").append(workload.acks()).append(" | ").append(workload.driver()).append(" | ")
                .append(workload.isFixedRate() ? Long.toString(workload.recordsPerSecond()) : "max (closed loop)")
                .append(" | ").append(workload.batchRecords()).append(" x ").append(workload.recordBytes())
                .append(" B | ")
                .append(figure(runs, ReplicationMeasurement::recordsPerSecond, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p50Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p99Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p999Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::p9999Micros, "%.0f")).append(" | ")
                .append(figure(runs, ReplicationMeasurement::maxMicros, "%.0f")).append(" | ")
                .append(runs.stream().mapToLong(ReplicationMeasurement::refused).sum()).append(" |\n");
        }
        return md.toString();
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
