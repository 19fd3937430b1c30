package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Truncation of a log from its end, as a follower truncates where its log diverged from the leader's (Kafka's
 * {@code UnifiedLog.truncateTo} and {@code truncateFullyAndStartAt}).
 * <p>
 * The segment that will end the log is cut at a batch boundary and opened again as the active segment, its indexes
 * rebuilt into new files from what remains; segments wholly past the cut are renamed {@code .deleted} and deleted
 * after {@code file.delete.delay.ms}, as retention does. Readers that hold the old segment array finish on it: the old
 * segment objects keep their channels and index mappings (of the replaced files) until their last reader releases
 * them.
 * <p>
 * Threading: the log's writer thread only.
 */
final class LogTruncation
{
    private LogTruncation()
    {
    }

    static long truncateTo(final PartitionLog log, final long offset, final long nowMs) throws IOException
    {
        log.ensureWritable();
        final long logEnd = log.logEndOffsetPlain();
        if (offset >= logEnd)
        {
            return logEnd;
        }
        final LogSegment[] current = log.segments().plain();
        int index = LogSegments.floor(current, offset);
        if (offset < log.logStartOffset() || index < 0)
        {
            // Below the log, or below its first segment where compaction left nothing: none of it stays.
            truncateFullyAndStartAt(log, offset, nowMs);
            return offset;
        }
        final LogSegment target;
        final int cutAt;
        if (current[index].baseOffset() == offset && index > 0)
        {
            // The log ends where the segment before ends: that one takes appends again, whole.
            index--;
            target = current[index];
            cutAt = target.sizePlain();
        }
        else
        {
            target = current[index];
            cutAt = positionOfBatchHolding(target, offset);
        }
        log.segments().beginCut();
        final LogSegment newActive;
        try
        {
            newActive = reopenAsActive(log, target, cutAt);
            log.deletions().remove(current, index + 1, current.length, nowMs);
            final List<LogSegment> kept = new ArrayList<>(Arrays.asList(current).subList(0, index));
            kept.add(newActive);
            publish(log, target, kept, log.logStartOffset(), newActive.nextOffset());
        }
        finally
        {
            log.segments().endCut();
        }
        log.deletions().deleteDue(nowMs);
        return newActive.nextOffset();
    }

    static void truncateFullyAndStartAt(final PartitionLog log, final long offset, final long nowMs)
        throws IOException
    {
        log.ensureWritable();
        if (offset < 0)
        {
            throw new IllegalArgumentException("cannot start a log at offset " + offset);
        }
        final LogSegment[] current = log.segments().plain();
        // Renamed first, so the new segment's name is free even when it starts where the old log started.
        log.deletions().remove(current, 0, current.length, nowMs);
        final LogSegment fresh = LogLoader.createSegment(log.dir(), offset, log.config());
        FileSync.syncDirectory(log.dir());
        publish(log, null, List.of(fresh), offset, offset);
        log.deletions().deleteDue(nowMs);
    }

    /**
     * Publish {@code kept} as the log's segments, drop the log's hold on {@code replaced} (the object the new active
     * segment took over from, or null), and move the offsets and epochs back to the truncated log's.
     */
    private static void publish(
        final PartitionLog log,
        final LogSegment replaced,
        final List<LogSegment> kept,
        final long startOffset,
        final long endOffset) throws IOException
    {
        log.segments().replace(kept);
        log.checkedProducerState().invalidate();
        // An emptied log keeps no snapshot: one at or below its new start would describe batches it no longer has.
        ProducerStateSnapshots.deleteAbove(log.dir(), startOffset == endOffset ? -1 : endOffset);
        if (replaced != null)
        {
            replaced.release();
        }
        log.offsets().onTruncated(startOffset, endOffset, log.segments().active().baseOffset());
        if (startOffset == endOffset)
        {
            log.epochCache().clear();
        }
        else
        {
            log.epochCache().truncateFromEnd(endOffset);
        }
    }

    /**
     * File position of the batch holding {@code offset} in {@code segment}: where the cut goes.
     */
    private static int positionOfBatchHolding(final LogSegment segment, final long offset) throws IOException
    {
        final FileBatchIterator iterator = new FileBatchIterator(8 * 1024);
        final int end = segment.sizePlain();
        iterator.reset(segment.file(), segment.offsetIndex().lookup(offset), end);
        try
        {
            while (iterator.next())
            {
                if (iterator.batch().lastOffset() >= offset)
                {
                    return (int)iterator.position();
                }
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            throw new IOException(segment.logFile() + ": unreadable batch while truncating: " + ex.getMessage(), ex);
        }
        return end;
    }

    private static LogSegment reopenAsActive(final PartitionLog log, final LogSegment target, final int cutAt)
        throws IOException
    {
        try (SegmentFile file = SegmentFile.open(target.logFile(), true))
        {
            file.truncateTo(cutAt);
        }
        final SegmentScan scan = new SegmentScanner(log.config(), CleanerCheckpoint.compactedBelow(log.dir()))
            .scanWhole(log.dir(), target.baseOffset());
        try
        {
            if (scan.damage != null)
            {
                throw new IOException(scan.logFile + ": damaged where truncation keeps it: " + scan.damage);
            }
            return LogLoader.writable(log.dir(), log.config(), scan, true);
        }
        finally
        {
            scan.close();
        }
    }
}
