package io.loglab.jmh.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary scores for benchmarks whose operation carries a parameter-dependent amount of work: JMH reports each
 * public field as its own result ({@code <benchmark>:records}, {@code <benchmark>:bytes}) in operations per time unit,
 * so in throughput mode they read as records/s and bytes/s while the primary score counts calls.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class RecordCounters
{
    public long records;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset()
    {
        records = 0;
        bytes = 0;
    }
}
