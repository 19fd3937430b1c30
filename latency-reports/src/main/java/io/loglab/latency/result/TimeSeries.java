package io.loglab.latency.result;

import java.util.List;
import java.util.Map;

/**
 * What a run sampled over time, timed from the start of the measured period.
 *
 * @param throughput         acknowledged records/s, one point per sample.
 * @param lag                by partition ("0", "1", ...): consumer lag in records; empty without consumers.
 * @param consumerOutOfRange seconds into the measured period at which a consumer found its offset deleted by
 *                           retention, or -1 if none did.
 */
public record TimeSeries(List<TimePoint> throughput, Map<String, List<TimePoint>> lag, double consumerOutOfRange)
{
}
