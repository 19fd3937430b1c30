package io.loglab.latency.replication;

import io.loglab.latency.formula.SizingFormulas;
import io.loglab.latency.result.Baselines;

/**
 * The reference article's ceiling on a closed-loop run, {@code min(B*D/(R*s), B*N/s)} records/s
 * ({@link SizingFormulas#throughputBound}), with what went into it: B = 1, since every node of the embedded cluster
 * writes to this machine's one disk and sends over its one loopback; R the run's replication factor; D raw writes of
 * the run's own bytes (all R copies) in its shape, right after it; N loopback TCP, once per suite; s what a record
 * took in the run's log (R and s are the run's own: {@link ReplicationMeasurement#workload},
 * {@link ReplicationMeasurement#logBytesPerRecord}).
 *
 * @param recordsPerSecond the bound.
 * @param fraction         the run's acknowledged records/s over the bound.
 */
public record ThroughputBound(double recordsPerSecond, double fraction, Baselines baselines)
{
    static final int BROKERS = 1;

    static ThroughputBound of(final ReplicationMeasurement run, final Baselines baselines)
    {
        final double bound = SizingFormulas.throughputBound(BROKERS, baselines.diskWriteBytesPerSecond(),
            run.workload().replicationFactor(), baselines.loopbackBytesPerSecond(), run.logBytesPerRecord());
        return new ThroughputBound(bound, run.recordsPerSecond() / bound, baselines);
    }
}
