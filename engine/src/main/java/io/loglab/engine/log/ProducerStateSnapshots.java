package io.loglab.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshots of a log's idempotent producers' state (Kafka's {@code <offset>.snapshot} files): written atomically
 * at every roll and at close once the state is built, the newest {@value #KEPT} kept, and read back so that a restart
 * reads only the batches after the latest one instead of every batch header of the log. Derived files: one that is
 * damaged or past the log end (a truncation, a crash that cut the tail) is passed over, and the state comes from the
 * next older one or from the batches.
 * <p>
 * Threading: the log's writer thread only.
 */
final class ProducerStateSnapshots
{
    static final int KEPT = 2;
    /** A snapshot larger than this is not one we wrote (a producer takes at most 134 bytes). */
    private static final long MAX_BYTES = 256L * 1024 * 1024;

    private ProducerStateSnapshots()
    {
    }

    /**
     * Fill {@code table} from the newest sound snapshot at or below {@code logEndOffset}.
     *
     * @return the offset it is of: the batches from there on are still to be read; 0 when there is none.
     */
    static long load(final Path dir, final long logEndOffset, final ProducerStateTable table) throws IOException
    {
        final List<Long> offsets = offsets(dir);
        for (int i = offsets.size() - 1; i >= 0; i--)
        {
            final long offset = offsets.get(i);
            final Path file = LogFiles.snapshotFile(dir, offset);
            if (offset > logEndOffset || Files.size(file) > MAX_BYTES)
            {
                continue;
            }
            if (table.restore(ByteBuffer.wrap(Files.readAllBytes(file)), offset))
            {
                return offset;
            }
        }
        return 0;
    }

    /**
     * Writer thread, at a roll or a close: snapshot {@code table} as of {@code offset} if it is built (a log no
     * idempotent producer used has no state to keep), and delete all but the newest {@value #KEPT}.
     */
    static void writeIfBuilt(final Path dir, final long offset, final ProducerStateTable table) throws IOException
    {
        if (!table.isBuilt())
        {
            return;
        }
        FileSync.writeAtomically(LogFiles.snapshotFile(dir, offset), table.snapshot(offset));
        final List<Long> offsets = offsets(dir);
        for (int i = 0; i < offsets.size() - KEPT; i++)
        {
            Files.deleteIfExists(LogFiles.snapshotFile(dir, offsets.get(i)));
        }
    }

    /**
     * Writer thread, after a truncation to {@code endOffset}: delete the snapshots of offsets past it.
     */
    static void deleteAbove(final Path dir, final long endOffset) throws IOException
    {
        for (final long offset : offsets(dir))
        {
            if (offset > endOffset)
            {
                Files.deleteIfExists(LogFiles.snapshotFile(dir, offset));
            }
        }
    }

    private static List<Long> offsets(final Path dir) throws IOException
    {
        final List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFiles.SNAPSHOT_SUFFIX))
        {
            for (final Path file : files)
            {
                final long offset = LogFiles.baseOffset(file.getFileName().toString(), LogFiles.SNAPSHOT_SUFFIX);
                if (offset >= 0 && Files.isRegularFile(file))
                {
                    offsets.add(offset);
                }
            }
        }
        offsets.sort(null);
        return offsets;
    }
}
