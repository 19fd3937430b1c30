package io.loglab.engine.log;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Sparse map from offset to the file position of the batch that holds it, Kafka's {@code .index} layout:
 * <pre>
 *  +---------------------------------+---------------------------------+
 *  | relativeOffset (int32, BE)      | position (int32, BE)            |   8 bytes an entry
 *  +---------------------------------+---------------------------------+
 * </pre>
 * {@code relativeOffset} is the batch's last offset minus the segment's base offset; {@code position} is where the
 * batch starts in the segment's {@code .log}. Entries ascend in both fields. See {@link SegmentIndex} for threading.
 */
final class OffsetIndex extends SegmentIndex
{
    static final int ENTRY_SIZE = 8;

    /**
     * The writer's index: {@code file} mapped, its first {@code entries} valid.
     */
    OffsetIndex(
        final Path file, final long baseOffset, final int entries, final int maxIndexBytes, final boolean mutable)
        throws IOException
    {
        super(file, baseOffset, ENTRY_SIZE, entries, maxIndexBytes, mutable);
    }

    /**
     * A heap-backed index over {@code content}, its first {@code entries} valid: a read-only copy of the file, or an
     * index being rebuilt.
     */
    OffsetIndex(final Path file, final long baseOffset, final byte[] content, final int entries)
    {
        super(file, baseOffset, ENTRY_SIZE, content, entries);
    }

    /**
     * Position to start scanning from for {@code targetOffset}: that of the last indexed batch ending at or
     * before it, or 0 (the segment's start).
     */
    int lookup(final long targetOffset)
    {
        final int entry = largestLowerBound(targetOffset);
        return entry < 0 ? 0 : positionAt(entry);
    }

    @Override
    long keyAt(final int entry)
    {
        return baseOffset + buffer.getInt(entry * ENTRY_SIZE, ByteOrder.BIG_ENDIAN);
    }

    int positionAt(final int entry)
    {
        return buffer.getInt(entry * ENTRY_SIZE + 4, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writer thread: index a batch ending at {@code lastOffset} that starts at {@code position}.
     */
    void append(final long lastOffset, final int position)
    {
        final int entry = entriesPlain();
        buffer.putInt(entry * ENTRY_SIZE, (int)(lastOffset - baseOffset), ByteOrder.BIG_ENDIAN);
        buffer.putInt(entry * ENTRY_SIZE + 4, position, ByteOrder.BIG_ENDIAN);
        publishEntries(entry + 1);
    }

    /**
     * Describe the first entry that breaks the index's rules, or return null when all hold.
     *
     * @param segmentSize bytes in the segment's log file: every position must lie below it.
     */
    String findDamage(final int segmentSize)
    {
        final int count = entriesAcquire();
        long previousOffset = baseOffset - 1;
        int previousPosition = -1;
        for (int i = 0; i < count; i++)
        {
            final long offset = keyAt(i);
            final int position = positionAt(i);
            if (offset <= previousOffset || position <= previousPosition || position >= segmentSize)
            {
                return "entry " + i + " (offset " + offset + ", position " + position + ") is out of order or " +
                    "points past the " + segmentSize + "-byte log";
            }
            previousOffset = offset;
            previousPosition = position;
        }
        return null;
    }
}
