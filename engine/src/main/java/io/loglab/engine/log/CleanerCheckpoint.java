package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The offset below which the cleaner has compacted a log ({@link LogFiles#CLEANER_CHECKPOINT}; Kafka keeps the same in
 * its {@code cleaner-offset-checkpoint}). Two readers: the cleaner starts its next pass's dirty part there, and an
 * open accepts offsets that skip below it, where compaction removed batches, while above it a skip is damage.
 * <p>
 * Threading: the cleaner thread writes it, before the writer swaps the compacted segments in, so a crash can leave it
 * ahead of what was swapped (that part is then taken for clean and compacted again only against newer keys) but never
 * behind the gaps on disk.
 */
final class CleanerCheckpoint
{
    private CleanerCheckpoint()
    {
    }

    /**
     * Where the cleaner's dirty part starts: the recorded offset, or 0 when there is none to read.
     */
    static long cleanedTo(final Path dir) throws IOException
    {
        return Math.max(0, checkpoint(dir).read());
    }

    /**
     * Below which offsets may skip: the recorded offset; -1 (nowhere) when the log was never compacted; everywhere
     * when the file cannot be read, since a compacted log must not be refused for the gaps compaction made.
     */
    static long compactedBelow(final Path dir) throws IOException
    {
        final long recorded = checkpoint(dir).read();
        return recorded == OffsetCheckpoint.UNREADABLE ? Long.MAX_VALUE : recorded;
    }

    static void write(final Path dir, final long offset) throws IOException
    {
        checkpoint(dir).write(offset);
    }

    private static OffsetCheckpoint checkpoint(final Path dir)
    {
        return new OffsetCheckpoint(dir.resolve(LogFiles.CLEANER_CHECKPOINT));
    }
}
