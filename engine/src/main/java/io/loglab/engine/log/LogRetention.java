package io.loglab.engine.log;

/**
 * Which of a log's oldest segments retention no longer keeps. By time: a segment whose largest batch timestamp is
 * older than {@code retention.ms}. By size: the oldest segments while the rest still hold {@code retention.bytes}.
 * The active segment is never chosen (the log rolls it first when it has expired too). Timestamps come from the
 * batches (a segment's largest one, known from its scan or its appends), never from an empty or missing index.
 */
final class LogRetention
{
    private LogRetention()
    {
    }

    /**
     * @return how many segments, oldest first, may be deleted.
     */
    static int deletable(final LogSegment[] segments, final LogConfig config, final long nowMs)
    {
        final long retentionMs = config.retentionMs();
        long totalBytes = 0;
        for (final LogSegment segment : segments)
        {
            totalBytes += segment.sizePlain();
        }
        int deletable = 0;
        while (deletable < segments.length - 1)
        {
            final LogSegment segment = segments[deletable];
            final boolean expired = isExpired(segment, retentionMs, nowMs);
            final boolean oversize = config.retentionBytes() > 0 &&
                totalBytes - segment.sizePlain() >= config.retentionBytes();
            if (!expired && !oversize)
            {
                break;
            }
            totalBytes -= segment.sizePlain();
            deletable++;
        }
        return deletable;
    }

    /**
     * Whether every segment, the active one included, has expired: only then does rolling the active one let
     * retention delete it.
     */
    static boolean allExpired(final LogSegment[] segments, final LogConfig config, final long nowMs)
    {
        for (final LogSegment segment : segments)
        {
            if (segment.isEmpty() || !isExpired(segment, config.retentionMs(), nowMs))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isExpired(final LogSegment segment, final long retentionMs, final long nowMs)
    {
        final long maxTimestamp = segment.maxTimestamp();
        return retentionMs > 0 && maxTimestamp != LogSegment.NO_TIMESTAMP && maxTimestamp < nowMs - retentionMs;
    }
}
