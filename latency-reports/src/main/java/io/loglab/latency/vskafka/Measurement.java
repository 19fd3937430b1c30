package io.loglab.latency.vskafka;

import io.loglab.latency.result.LatencySummary;

import java.util.List;

/**
 * What one run of one workload against one system measured, over the measured window (after warm-up).
 *
 * @param system            "loglab" or "kafka".
 * @param acked             records acknowledged within the window.
 * @param recordsPerSecond  acknowledged records per second in the window: the produce throughput.
 * @param mebibytesPerSecond the same in MiB/s of record values.
 * @param ack               intended send time to the producer's acknowledgement callback.
 * @param endToEnd          intended send time to the consumer polling the record.
 * @param consumeRecordsPerSecond a fresh consumer reading the whole topic from the start afterwards.
 * @param problems          errors and missed targets; empty for a clean run.
 */
public record Measurement(
    String system,
    String workload,
    int repetition,
    long acked,
    double recordsPerSecond,
    double mebibytesPerSecond,
    LatencySummary ack,
    LatencySummary endToEnd,
    double consumeRecordsPerSecond,
    List<String> problems)
{
    public Measurement
    {
        problems = List.copyOf(problems);
    }

    Measurement withProblem(final String problem)
    {
        final List<String> more = new java.util.ArrayList<>(problems);
        more.add(problem);
        return new Measurement(system, workload, repetition, acked, recordsPerSecond, mebibytesPerSecond, ack,
            endToEnd, consumeRecordsPerSecond, more);
    }
}
