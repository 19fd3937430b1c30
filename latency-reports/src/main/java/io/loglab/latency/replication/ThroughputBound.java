package io.loglab.latency.replication;

import io.loglab.latency.formula.SizingFormulas;
import io.loglab.latency.result.Baselines;

/**
 * The reference article's ceiling on a closed-loop run, {@code min(B*D/(R*s), B*N/s)} records/s
 * ({@link SizingFormulas#throughputBound}), with what went into it: B = 1, since every node of the embedded cluster
 * writes to this machine's one disk and sends over its one loopback; R the run's replication factor; D raw writes of
 * the run's own bytes (all R copies) in its shape, right after it; N loopback TCP, once per suite; s what a record
 * took in the run's log.
 *
 * @param recordsPerSecond the bound.
 * @param fraction         the run's acknowledged records/s over the bound.
 */
public record ThroughputBound(double recordsPerSecond, double fraction, int replicationFactor,
    double logBytesPerRecord, Baselines baselines)
{
    static final int BROKERS = 1;

    static ThroughputBound of(final ReplicationMeasurement run, final Baselines baselines)
    {
        final int rf = run.workload().replicationFactor();
        final double bound = SizingFormulas.throughputBound(BROKERS, baselines.diskWriteBytesPerSecond(), rf,
            baselines.loopbackBytesPerSecond(), run.logBytesPerRecord());
        return new ThroughputBound(bound, run.recordsPerSecond() / bound, rf, run.logBytesPerRecord(), baselines);
    }
}
