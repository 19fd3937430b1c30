package io.loglab.latency.harness;

/**
 * Grants permits at a fixed rate with a bounded burst: a consumer asks how many records it may take now and takes
 * at most that many, instead of sleeping per record. Credit not used beyond the burst is forfeited, so a consumer
 * held up elsewhere does not later exceed its rate by more than the burst.
 * <p>
 * Threading: one thread.
 */
final class RateLimiter
{
    private final FixedRateSchedule schedule;
    private final long maxBurst;
    private long granted;

    /**
     * @param maxBurst permits that may accumulate unused; at least 1.
     */
    RateLimiter(final long startNanos, final long permitsPerSecond, final long maxBurst)
    {
        this.schedule = new FixedRateSchedule(startNanos, permitsPerSecond);
        this.maxBurst = Math.max(1, maxBurst);
    }

    /**
     * @return permits available at {@code nowNanos}.
     */
    long available(final long nowNanos)
    {
        final long due = schedule.dueBy(nowNanos);
        if (due - granted > maxBurst)
        {
            granted = due - maxBurst;
        }
        return due - granted;
    }

    void acquire(final long permits)
    {
        granted += permits;
    }
}
