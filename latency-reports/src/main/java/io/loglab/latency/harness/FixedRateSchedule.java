package io.loglab.latency.harness;

/**
 * When each record of a fixed-rate stream is meant to be sent: record {@code i} at
 * {@code start + i * 1e9 / rate} nanoseconds, computed from the index rather than accumulated, so the schedule never
 * drifts. A stream that falls behind keeps these times: a record sent late is measured from when it was due, which
 * is what corrects the measurement for coordinated omission.
 * <p>
 * Immutable; the times are {@link System#nanoTime()} values, exact (rounded down to the nanosecond) for any run
 * shorter than centuries and any rate below 9.2e9 records/s.
 */
public final class FixedRateSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Keeps {@code (index % rate) * 1e9} within a long. */
    static final long MAX_RECORDS_PER_SECOND = Long.MAX_VALUE / NANOS_PER_SECOND;

    private final long startNanos;
    private final long recordsPerSecond;

    /**
     * @param startNanos       intended time of record 0.
     * @param recordsPerSecond at least 1.
     */
    public FixedRateSchedule(final long startNanos, final long recordsPerSecond)
    {
        if (recordsPerSecond < 1 || recordsPerSecond > MAX_RECORDS_PER_SECOND)
        {
            throw new IllegalArgumentException(
                "rate " + recordsPerSecond + ": must be 1 to " + MAX_RECORDS_PER_SECOND + " records/s");
        }
        this.startNanos = startNanos;
        this.recordsPerSecond = recordsPerSecond;
    }

    public long startNanos()
    {
        return startNanos;
    }

    public long recordsPerSecond()
    {
        return recordsPerSecond;
    }

    /**
     * @return the intended send time of record {@code index} (0-based).
     */
    public long intendedNanos(final long index)
    {
        // floor(index * 1e9 / rate), split so the product cannot overflow.
        return startNanos + index / recordsPerSecond * NANOS_PER_SECOND +
            index % recordsPerSecond * NANOS_PER_SECOND / recordsPerSecond;
    }

    /**
     * @return how many records are due by {@code nowNanos}: those whose intended time is at or before it.
     */
    public long dueBy(final long nowNanos)
    {
        if (nowNanos < startNanos)
        {
            return 0;
        }
        // A floating-point estimate (no overflow for any elapsed time), settled exactly against intendedNanos.
        long due = (long)((nowNanos - startNanos) / (double)NANOS_PER_SECOND * recordsPerSecond) + 1;
        while (due > 0 && intendedNanos(due - 1) > nowNanos)
        {
            due--;
        }
        while (intendedNanos(due) <= nowNanos)
        {
            due++;
        }
        return due;
    }
}
