package io.loglab.latency.baseline;

/**
 * The log bytes one closed-loop run wrote, split as its figures are: during its warm-up (not counted) and during its
 * measured period, with how long each lasted, and what its log kept of them. The disk baseline writes the same bytes
 * in the same shape and keeps what the log kept.
 *
 * @param warmupBytes  bytes acknowledged into the log before the measured period began.
 * @param warmupNanos  how long the warm-up lasted.
 * @param measureBytes bytes acknowledged into the log during the measured period.
 * @param measureNanos how long the measured period lasted.
 * @param kept         what the log kept on disk of them.
 */
public record WriteShape(long warmupBytes, long warmupNanos, long measureBytes, long measureNanos, LogFootprint kept)
{
    public WriteShape
    {
        if (warmupBytes < 0 || warmupNanos < 0 || measureBytes < 0 || measureNanos < 0)
        {
            throw new IllegalArgumentException("a write shape has no negative part: " + warmupBytes + " B in " +
                warmupNanos + " ns, then " + measureBytes + " B in " + measureNanos + " ns");
        }
        if (kept == null)
        {
            throw new IllegalArgumentException("a write shape says what the log kept");
        }
    }
}
