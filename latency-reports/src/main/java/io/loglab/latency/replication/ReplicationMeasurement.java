package io.loglab.latency.replication;

import java.util.List;
import java.util.Map;

/**
 * What one run of a {@link ReplicationWorkload} measured: acknowledged records per second over the measured period,
 * and each record's acknowledgement latency from when it was due (fixed rate: corrected for coordinated omission) or
 * sent (closed loop), in microseconds; records not acknowledged as committed, by why; for acks=all, where each
 * batch's time went, stage by stage; what a record takes in the log and how many were acknowledged in the warm-up
 * (the shape of the run's writes, for its disk baseline); and, for a closed-loop run, the article's throughput bound
 * on this machine (null until measured, and for fixed-rate runs).
 */
public record ReplicationMeasurement(ReplicationWorkload workload, double recordsPerSecond, long records,
    double p50Micros, double p90Micros, double p99Micros, double p999Micros, double p9999Micros, double maxMicros,
    Map<String, Long> refused, List<StageLatency> stages, double logBytesPerRecord, long warmupRecords,
    ThroughputBound bound)
{
    ReplicationMeasurement withStages(final List<StageLatency> stages)
    {
        return new ReplicationMeasurement(workload, recordsPerSecond, records, p50Micros, p90Micros, p99Micros,
            p999Micros, p9999Micros, maxMicros, refused, stages, logBytesPerRecord, warmupRecords, bound);
    }

    ReplicationMeasurement withBound(final ThroughputBound bound)
    {
        return new ReplicationMeasurement(workload, recordsPerSecond, records, p50Micros, p90Micros, p99Micros,
            p999Micros, p9999Micros, maxMicros, refused, stages, logBytesPerRecord, warmupRecords, bound);
    }
}
