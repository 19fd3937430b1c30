package io.loglab.latency.harness;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * The platform baseline of a fixed-rate run, by jHiccup's method: a thread that does nothing but sleep a short fixed
 * time, over and over, and records how much later than the shortest sleep it has seen it woke. An idle thread waking
 * late was stalled by the machine (scheduler, other tenants, a safepoint, the hypervisor), not by the engine; the
 * same stall hits the engine's threads, so a latency percentile near the hiccup percentile beside it is the
 * machine's, not the engine's.
 * <p>
 * As jHiccup does, a wake-up {@code h} late is recorded with HdrHistogram's coordinated-omission correction for the
 * expected interval (the sleep time): the samples a regular sampler would have taken during the stall are recorded
 * too, at {@code h - t}, {@code h - 2t}, .... Values are nanoseconds.
 * <p>
 * Threading: the meter's own thread is the single writer of its {@link SingleWriterRecorder}, which the coordinator
 * reads with {@code getIntervalHistogram}.
 */
final class HiccupMeter implements LoadAgent
{
    static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Sleeps; {@link TimeUnit#sleep} in a run, which never returns early as a park may.
     */
    @FunctionalInterface
    interface Sleeper
    {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final SingleWriterRecorder hiccups = new SingleWriterRecorder(3);
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final long resolutionNanos;
    private long shortestObservedNanos = Long.MAX_VALUE;

    HiccupMeter(final NanoClock clock, final Sleeper sleeper, final long resolutionNanos)
    {
        if (resolutionNanos <= 0)
        {
            throw new IllegalArgumentException("hiccup resolution " + resolutionNanos + " ns: must be positive");
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.resolutionNanos = resolutionNanos;
    }

    /**
     * One sleep and its lateness. Ignores {@code nowNanos}: the meter times its own sleep.
     */
    @Override
    public int doWork(final long nowNanos) throws InterruptedException
    {
        final long before = clock.nanoTime();
        sleeper.sleepNanos(resolutionNanos);
        final long slept = clock.nanoTime() - before;
        if (slept < shortestObservedNanos)
        {
            shortestObservedNanos = slept;
        }
        hiccups.recordValueWithExpectedInterval(slept - shortestObservedNanos, resolutionNanos);
        return 1;
    }

    @Override
    public void onStop(final long deadlineNanos)
    {
    }

    SingleWriterRecorder hiccups()
    {
        return hiccups;
    }

    @Override
    public String name()
    {
        return "loglab-hiccup-meter";
    }
}
