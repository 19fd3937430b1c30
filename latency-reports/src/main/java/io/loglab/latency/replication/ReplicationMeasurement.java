package io.loglab.latency.replication;

/**
 * What one run of a {@link ReplicationWorkload} measured: acknowledged records per second over the measured period,
 * and each record's acknowledgement latency from when it was due (fixed rate: corrected for coordinated omission) or
 * sent (closed loop), in microseconds.
 */
public record ReplicationMeasurement(ReplicationWorkload workload, double recordsPerSecond, long records,
    double p50Micros, double p90Micros, double p99Micros, double p999Micros, double p9999Micros, double maxMicros,
    long refused)
{
}
