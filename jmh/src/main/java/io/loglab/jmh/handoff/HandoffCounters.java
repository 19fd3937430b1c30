package io.loglab.jmh.handoff;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread outcomes of {@link HandoffQueueBenchmark}'s calls, reported as {@code :offered}, {@code :offerFailed},
 * {@code :polled} and {@code :pollFailed} per second (producers fill the first two, the consumer the last two).
 * {@code :polled} is the hand-off rate; a failed call (queue full or empty) is counted, never retried, so a stalled
 * side shows up here rather than as a hang.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class HandoffCounters
{
    public long offered;
    public long offerFailed;
    public long polled;
    public long pollFailed;

    @Setup(Level.Iteration)
    public void reset()
    {
        offered = 0;
        offerFailed = 0;
        polled = 0;
        pollFailed = 0;
    }
}
