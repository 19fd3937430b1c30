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
 * @param requests          the producer's own view of its produce requests over the run (Kafka client metrics).
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
    ProduceRequests requests,
    List<String> problems)
{
    public Measurement
    {
        problems = List.copyOf(problems);
    }

    /**
     * How the producer's records travelled, from Kafka's client metrics of the same names (averaged over the
     * client's sample windows, 30 s each): the split between waiting in the client and a request's round trip.
     *
     * @param recordsPerRequest  {@code records-per-request-avg}.
     * @param roundTripMicros    {@code request-latency-avg}: request sent to response received.
     * @param queueTimeMicros    {@code record-queue-time-avg}: a batch waiting in the client to be sent.
     */
    public record ProduceRequests(double recordsPerRequest, double roundTripMicros, double queueTimeMicros)
    {
    }

    Measurement withProblem(final String problem)
    {
        final List<String> more = new java.util.ArrayList<>(problems);
        more.add(problem);
        return new Measurement(system, workload, repetition, acked, recordsPerSecond, mebibytesPerSecond, ack,
            endToEnd, consumeRecordsPerSecond, requests, more);
    }
}
