package io.loglab.latency.baseline;

/**
 * The log bytes one closed-loop run wrote, split as its figures are: during its warm-up (not counted) and during its
 * measured period, with how long each lasted, and what its log kept of them. The disk baseline writes the same bytes
 * in the same shape and keeps as much as the log did: files the size of its segments, the oldest deleted while the
 * rest still hold its retention, as its retention deleted segments. A baseline that kept every byte would meet the
 * kernel's dirty-page limits that the log, deleting, never reached.
 *
 * @param warmupBytes    bytes acknowledged into the log before the measured period began.
 * @param warmupNanos    how long the warm-up lasted.
 * @param measureBytes   bytes acknowledged into the log during the measured period.
 * @param measureNanos   how long the measured period lasted.
 * @param segmentBytes   the log's segment size.
 * @param retentionBytes the log's retention.bytes, or -1 for no limit.
 */
public record WriteShape(
    long warmupBytes, long warmupNanos, long measureBytes, long measureNanos, long segmentBytes, long retentionBytes)
{
    /** No segment limit, no retention: one file keeps every byte. */
    public static final long UNLIMITED = -1;

    public WriteShape
    {
        if (warmupBytes < 0 || warmupNanos < 0 || measureBytes < 0 || measureNanos < 0)
        {
            throw new IllegalArgumentException("a write shape has no negative part: " + warmupBytes + " B in " +
                warmupNanos + " ns, then " + measureBytes + " B in " + measureNanos + " ns");
        }
        if (segmentBytes == 0 || segmentBytes < UNLIMITED || retentionBytes == 0 || retentionBytes < UNLIMITED)
        {
            throw new IllegalArgumentException("segment bytes " + segmentBytes + " and retention bytes " +
                retentionBytes + " must be positive, or -1 for no limit");
        }
    }

    /**
     * The bytes and times alone: one file keeps everything.
     */
    public WriteShape(final long warmupBytes, final long warmupNanos, final long measureBytes, final long measureNanos)
    {
        this(warmupBytes, warmupNanos, measureBytes, measureNanos, UNLIMITED, UNLIMITED);
    }

    /**
     * This shape, kept as a log with these segment and retention sizes keeps it.
     */
    public WriteShape keeping(final long segmentBytes, final long retentionBytes)
    {
        return new WriteShape(warmupBytes, warmupNanos, measureBytes, measureNanos, segmentBytes, retentionBytes);
    }
}
