package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * The names of every file the engine keeps in a partition directory, and how to tell them from files it did not
 * create. The one home of these names: nothing else builds or parses them.
 * <pre>
 *   00000000000000000000.log               segment: batches from base offset 0, as produced (Kafka's name)
 *   00000000000000000000.index             its offset index, derived from the batches
 *   00000000000000000000.timeindex         its time index, derived from the batches
 *   00000000000000000000.log.deleted       a segment retention or truncation removed, deleted after a delay
 *   00000000000000000300.snapshot          idempotent producers' state below offset 300, derived from batches
 *   00000000000000000000.log.cleaned       the cleaner writing a compacted copy of segments (removed on open)
 *   00000000000000000000.log.swap          a compacted copy, complete, replacing the segments it covers
 *   recovery-point                         offset below which segments were flushed when rolled
 *   high-watermark                         the last high watermark replication set
 *   log-start-offset                       first offset still in the log
 *   leader-epoch-checkpoint                leader epoch -> start offset (Kafka's format), derived from batches
 *   cleaner-checkpoint                     offset below which the cleaner has compacted: offsets may skip there
 *   .clean-shutdown                        present only while the log is closed cleanly
 *   &lt;checkpoint or index&gt;.tmp              a file being replaced (left by a crash mid-write)
 *   quarantine/                            what a writer could not keep, with a report per item; never read back
 * </pre>
 */
public final class LogFiles
{
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String TEMPORARY_SUFFIX = ".tmp";
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String CLEANED_SUFFIX = ".cleaned";
    public static final String SWAP_SUFFIX = ".swap";

    public static final String RECOVERY_POINT = "recovery-point";
    public static final String HIGH_WATERMARK = "high-watermark";
    public static final String LOG_START_OFFSET = "log-start-offset";
    public static final String LEADER_EPOCH_CHECKPOINT = "leader-epoch-checkpoint";
    public static final String CLEANER_CHECKPOINT = "cleaner-checkpoint";
    public static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    public static final String QUARANTINE_DIR = "quarantine";

    private static final int OFFSET_DIGITS = 20;
    private static final String[] SEGMENT_SUFFIXES = { LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, SNAPSHOT_SUFFIX };
    private static final String[] CHECKPOINTS = { RECOVERY_POINT, HIGH_WATERMARK, LOG_START_OFFSET,
        LEADER_EPOCH_CHECKPOINT, CLEANER_CHECKPOINT };

    /**
     * What a name in a partition directory is to the engine.
     */
    public enum Kind
    {
        /** A segment's batches. */
        SEGMENT,
        /** A segment's offset or time index: derived, rebuilt from the batches when missing or damaged. */
        INDEX,
        /** The idempotent producers' state at an offset: derived, passed over when damaged or past the log end. */
        SNAPSHOT,
        /** A removed segment's file awaiting deletion, or a checkpoint's temporary copy: an interrupted step. */
        LEFTOVER,
        /** A compacted copy of segments, complete: a writer's open finishes swapping it in. */
        SWAP,
        /** A checkpoint or the clean-shutdown marker. */
        CHECKPOINT,
        /** The quarantine directory. */
        QUARANTINE,
        /** Not a name the engine gives: left alone, and named by verify. */
        FOREIGN
    }

    private LogFiles()
    {
    }

    /**
     * {@code <base offset in 20 digits><suffix>}.
     */
    public static String segmentFileName(final long baseOffset, final String suffix)
    {
        final String digits = Long.toString(baseOffset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits + suffix;
    }

    public static Path logFile(final Path dir, final long baseOffset)
    {
        return dir.resolve(segmentFileName(baseOffset, LOG_SUFFIX));
    }

    public static Path offsetIndexFile(final Path dir, final long baseOffset)
    {
        return dir.resolve(segmentFileName(baseOffset, INDEX_SUFFIX));
    }

    public static Path timeIndexFile(final Path dir, final long baseOffset)
    {
        return dir.resolve(segmentFileName(baseOffset, TIME_INDEX_SUFFIX));
    }

    /**
     * The name a removed segment file takes until it is deleted.
     */
    public static Path deletedFile(final Path file)
    {
        return file.resolveSibling(file.getFileName() + DELETED_SUFFIX);
    }

    /**
     * The idempotent producers' state as of {@code offset} (every batch below it read).
     */
    public static Path snapshotFile(final Path dir, final long offset)
    {
        return dir.resolve(segmentFileName(offset, SNAPSHOT_SUFFIX));
    }

    /**
     * The file the cleaner writes a compacted copy of segments into, named for the first one's base offset.
     */
    public static Path cleanedFile(final Path dir, final long baseOffset)
    {
        return dir.resolve(segmentFileName(baseOffset, LOG_SUFFIX + CLEANED_SUFFIX));
    }

    /**
     * The name a complete compacted copy takes before it replaces the segments it covers.
     */
    public static Path swapFile(final Path dir, final long baseOffset)
    {
        return dir.resolve(segmentFileName(baseOffset, LOG_SUFFIX + SWAP_SUFFIX));
    }

    /**
     * The temporary file a checkpoint is written to before it replaces the real one.
     */
    public static Path temporaryFile(final Path file)
    {
        return file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    }

    /**
     * Base offset named by a segment file with {@code suffix}, or -1 when the name is not one.
     */
    public static long baseOffset(final String fileName, final String suffix)
    {
        if (!fileName.endsWith(suffix) || fileName.length() != OFFSET_DIGITS + suffix.length())
        {
            return -1;
        }
        for (int i = 0; i < OFFSET_DIGITS; i++)
        {
            if (fileName.charAt(i) < '0' || fileName.charAt(i) > '9')
            {
                return -1;
            }
        }
        try
        {
            return Long.parseLong(fileName, 0, OFFSET_DIGITS, 10);
        }
        catch (final NumberFormatException ex)
        {
            // Twenty digits above Long.MAX_VALUE: not a name the engine gives.
            return -1;
        }
    }

    /**
     * What the engine makes of {@code fileName} found in a partition directory.
     */
    public static Kind classify(final String fileName, final boolean directory)
    {
        if (directory)
        {
            return fileName.equals(QUARANTINE_DIR) ? Kind.QUARANTINE : Kind.FOREIGN;
        }
        if (baseOffset(fileName, LOG_SUFFIX) >= 0)
        {
            return Kind.SEGMENT;
        }
        if (baseOffset(fileName, INDEX_SUFFIX) >= 0 || baseOffset(fileName, TIME_INDEX_SUFFIX) >= 0)
        {
            return Kind.INDEX;
        }
        if (fileName.equals(CLEAN_SHUTDOWN) || isCheckpoint(fileName))
        {
            return Kind.CHECKPOINT;
        }
        if (baseOffset(fileName, SNAPSHOT_SUFFIX) >= 0)
        {
            return Kind.SNAPSHOT;
        }
        if (baseOffset(fileName, LOG_SUFFIX + SWAP_SUFFIX) >= 0)
        {
            return Kind.SWAP;
        }
        if (fileName.endsWith(DELETED_SUFFIX) && isSegmentFile(strip(fileName, DELETED_SUFFIX)) ||
            baseOffset(fileName, LOG_SUFFIX + CLEANED_SUFFIX) >= 0)
        {
            return Kind.LEFTOVER;
        }
        if (fileName.endsWith(TEMPORARY_SUFFIX) &&
            (isCheckpoint(strip(fileName, TEMPORARY_SUFFIX)) || isSegmentFile(strip(fileName, TEMPORARY_SUFFIX))))
        {
            return Kind.LEFTOVER;
        }
        return Kind.FOREIGN;
    }

    private static boolean isSegmentFile(final String fileName)
    {
        for (final String suffix : SEGMENT_SUFFIXES)
        {
            if (baseOffset(fileName, suffix) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isCheckpoint(final String fileName)
    {
        for (final String checkpoint : CHECKPOINTS)
        {
            if (checkpoint.equals(fileName))
            {
                return true;
            }
        }
        return false;
    }

    private static String strip(final String fileName, final String suffix)
    {
        return fileName.substring(0, fileName.length() - suffix.length());
    }
}
