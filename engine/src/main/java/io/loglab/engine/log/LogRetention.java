package io.loglab.engine.log;

import java.io.IOException;

/**
 * Which of a log's oldest segments retention no longer keeps. By time: a segment whose largest batch timestamp is
 * older than {@code retention.ms}. By size: the oldest segments while the rest still hold {@code retention.bytes}.
 * The active segment is never chosen (the log rolls it first when it has expired too). A log whose
 * {@code cleanup.policy} does not include {@code delete} is left to the cleaner. Timestamps come from the
 * batches (a segment's largest one, known from its scan or its appends), never from an empty or missing index.
 */
final class LogRetention
{
    private LogRetention()
    {
    }

    /**
     * Writer thread: remove the segments retention no longer keeps, rolling the active one first when every segment
     * has expired, and move the log start offset to the first segment kept.
     *
     * @return segments removed.
     */
    static int apply(final PartitionLog log, final long nowMs) throws IOException
    {
        final LogConfig config = log.config();
        log.deletions().deleteDue(nowMs);
        if (!config.cleanupPolicy().deletes())
        {
            // cleanup.policy=compact: only the cleaner removes records.
            return 0;
        }
        if (allExpired(log.segments().plain(), config, nowMs))
        {
            log.roll();
        }
        final LogSegment[] current = log.segments().plain();
        final int count = deletable(current, config, nowMs);
        if (count > 0)
        {
            final long newStart = current[count].baseOffset();
            // Recorded before the files go, so a segment found below it on open is known to be retention's leftover.
            log.offsets().moveLogStartOffset(newStart);
            log.epochCache().truncateFromStart(newStart);
            log.deletions().remove(current, 0, count, nowMs);
            log.segments().dropOldest(count);
            log.deletions().deleteDue(nowMs);
        }
        return count;
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
