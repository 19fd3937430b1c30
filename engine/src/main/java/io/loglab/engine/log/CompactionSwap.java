package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Swaps the cleaner's compacted copies in for the segments they replace, on the log's writer thread (Kafka's
 * {@code replaceSegments}), and finishes a swap a crash interrupted when a writer opens the log.
 * <p>
 * The steps, each safe to stop after: the complete copy {@code B.log.cleaned} is renamed {@code B.log.swap} (from here
 * the swap is decided); the replaced segments are renamed {@code .deleted} (readers holding them finish, and their
 * files are deleted after {@code file.delete.delay.ms}); the copy is renamed {@code B.log}, its indexes written, and
 * the new segment array published. An open that finds {@code B.log.swap} deletes the segments named for offsets the
 * copy covers and renames it {@code B.log}. A group whose segments changed since the pass read them (retention,
 * truncation) is not swapped; its copy is deleted.
 */
final class CompactionSwap
{
    private CompactionSwap()
    {
    }

    /**
     * Writer thread.
     *
     * @return groups swapped in.
     */
    static int swap(final PartitionLog log, final CompactedSegments compacted, final long nowMs) throws IOException
    {
        if (!compacted.take())
        {
            return 0;
        }
        final List<CompactedSegments.Group> groups = compacted.groups();
        int swapped = 0;
        int next = 0;
        try
        {
            while (next < groups.size())
            {
                final CompactedSegments.Group group = groups.get(next++);
                if (swapGroup(log, group, nowMs))
                {
                    swapped++;
                }
            }
        }
        finally
        {
            for (int i = next; i < groups.size(); i++)
            {
                discard(groups.get(i));
            }
        }
        log.deletions().deleteDue(nowMs);
        return swapped;
    }

    private static boolean swapGroup(final PartitionLog log, final CompactedSegments.Group group, final long nowMs)
        throws IOException
    {
        final LogSegment[] current = log.segments().plain();
        final LogSegment[] replaced = group.replaced();
        final int at = indexOf(current, replaced);
        if (at < 0)
        {
            discard(group);
            return false;
        }
        final LogSegment cleaned = group.cleaned();
        final Path dir = log.dir();
        final long base = replaced[0].baseOffset();
        boolean handedOver = false;
        try
        {
            if (cleaned != null)
            {
                cleaned.file().renameTo(LogFiles.swapFile(dir, base));
                FileSync.syncDirectory(dir);
            }
            final List<LogSegment> updated = new ArrayList<>(Arrays.asList(current));
            updated.subList(at, at + replaced.length).clear();
            log.deletions().remove(current, at, at + replaced.length, nowMs);
            if (cleaned != null)
            {
                cleaned.file().renameTo(LogFiles.logFile(dir, base));
                handedOver = true;
                updated.add(at, opened(log, cleaned));
            }
            FileSync.syncDirectory(dir);
            log.segments().replace(updated);
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            // Files and segment array may disagree now: take no more appends, and let a reopen finish the swap.
            log.failed();
            if (cleaned != null && !handedOver)
            {
                cleaned.release();
            }
            throw ex;
        }
    }

    /**
     * The writer's segment over the renamed copy: its heap indexes written to their files and mapped.
     */
    private static LogSegment opened(final PartitionLog log, final LogSegment cleaned) throws IOException
    {
        final SegmentScan scan = new SegmentScan(cleaned.baseOffset(), cleaned.logFile());
        scan.file = cleaned.file();
        scan.segment = cleaned;
        scan.fileSize = cleaned.sizePlain();
        scan.validEnd = cleaned.sizePlain();
        scan.indexesRebuilt = true;
        try
        {
            return LogLoader.writable(log.dir(), log.config(), scan, false);
        }
        finally
        {
            scan.close();
        }
    }

    /**
     * Where {@code replaced} sits in {@code current}, whole and below the active segment, or -1.
     */
    private static int indexOf(final LogSegment[] current, final LogSegment[] replaced)
    {
        for (int i = 0; i + replaced.length < current.length; i++)
        {
            if (current[i] == replaced[0])
            {
                for (int k = 1; k < replaced.length; k++)
                {
                    if (current[i + k] != replaced[k])
                    {
                        return -1;
                    }
                }
                return i;
            }
        }
        return -1;
    }

    private static void discard(final CompactedSegments.Group group)
    {
        if (group.cleaned() != null)
        {
            CleanedSegmentWriter.discard(group.cleaned());
        }
    }

    /**
     * A writer's open, before it looks at the segments: finish every swap a crash interrupted.
     *
     * @return what was done, for the recovery report.
     */
    static List<LogFinding> completeInterrupted(final Path dir) throws IOException
    {
        final List<Path> swaps = new ArrayList<>();
        final List<Long> segmentBases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                switch (LogFiles.classify(name, Files.isDirectory(file)))
                {
                    case SWAP -> swaps.add(file);
                    case SEGMENT -> segmentBases.add(LogFiles.baseOffset(name, LogFiles.LOG_SUFFIX));
                    default ->
                    {
                        // Not part of a swap.
                    }
                }
            }
        }
        if (swaps.isEmpty())
        {
            return List.of();
        }
        swaps.sort(null);
        final List<LogFinding> done = new ArrayList<>();
        for (final Path swap : swaps)
        {
            final long base = LogFiles.baseOffset(swap.getFileName().toString(),
                LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX);
            final long end = endOffset(swap, base);
            for (final long segment : segmentBases)
            {
                if (segment >= base && segment < end)
                {
                    Files.deleteIfExists(LogFiles.logFile(dir, segment));
                    Files.deleteIfExists(LogFiles.offsetIndexFile(dir, segment));
                    Files.deleteIfExists(LogFiles.timeIndexFile(dir, segment));
                }
            }
            Files.deleteIfExists(LogFiles.offsetIndexFile(dir, base));
            Files.deleteIfExists(LogFiles.timeIndexFile(dir, base));
            Files.move(swap, LogFiles.logFile(dir, base), StandardCopyOption.ATOMIC_MOVE);
            done.add(new LogFinding(LogFinding.Kind.LEFTOVER, swap, 0, LogFinding.offsets(base, end),
                "a compacted copy whose swap was interrupted", "swapped in for the segments it covers"));
        }
        FileSync.syncDirectory(dir);
        return done;
    }

    /**
     * Offset after the last batch of a copy (complete: it was forced to storage before it was named a swap).
     */
    private static long endOffset(final Path swap, final long base) throws IOException
    {
        try (SegmentFile file = SegmentFile.open(swap, false))
        {
            final FileBatchIterator iterator = new FileBatchIterator(64 * 1024);
            iterator.reset(file, 0, file.fileSize());
            long end = base;
            while (iterator.next())
            {
                end = iterator.batch().nextOffset();
            }
            return end;
        }
        catch (final InvalidRecordBatchException ex)
        {
            throw new IOException(swap + ": a compacted copy that does not read back (" + ex.getMessage() +
                "): remove it to open the log as it was before the compaction", ex);
        }
    }
}
