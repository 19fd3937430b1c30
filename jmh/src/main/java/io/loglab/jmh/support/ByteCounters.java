package io.loglab.jmh.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary score for baselines and reads whose operation moves a parameter-dependent number of bytes: JMH reports
 * {@code <benchmark>:bytes} in operations per time unit, so in throughput mode it reads as bytes/s.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ByteCounters
{
    public long bytes;

    @Setup(Level.Iteration)
    public void reset()
    {
        bytes = 0;
    }
}
