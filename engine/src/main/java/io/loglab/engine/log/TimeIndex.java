package io.loglab.engine.log;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset, Kafka's {@code .timeindex} layout:
 * <pre>
 *  +-----------------------------------------------------------------+---------------------------------+
 *  | timestamp (int64, BE): largest seen so far in the segment       | relativeOffset (int32, BE)      |
 *  +-----------------------------------------------------------------+---------------------------------+
 * </pre>
 * 12 bytes an entry. Each entry says: up to this offset, no record has a larger timestamp. An entry is added only
 * when the timestamp grows, so both fields ascend. See {@link SegmentIndex} for threading.
 */
final class TimeIndex extends SegmentIndex
{
    static final int ENTRY_SIZE = 12;

    /**
     * The writer's index: {@code file} mapped, its first {@code entries} valid.
     */
    TimeIndex(
        final Path file, final long baseOffset, final int entries, final int maxIndexBytes, final boolean mutable)
        throws IOException
    {
        super(file, baseOffset, ENTRY_SIZE, entries, maxIndexBytes, mutable);
    }

    /**
     * A heap-backed index over {@code content}, its first {@code entries} valid: a read-only copy of the file, or an
     * index being rebuilt.
     */
    TimeIndex(final Path file, final long baseOffset, final byte[] content, final int entries)
    {
        super(file, baseOffset, ENTRY_SIZE, content, entries);
    }

    /**
     * Offset to start searching from for the first record with a timestamp at least {@code targetTimestamp}: that of
     * the last entry whose timestamp is below it, or the segment's base offset.
     */
    long lookup(final long targetTimestamp)
    {
        final int entry = largestLowerBound(targetTimestamp - 1);
        return entry < 0 ? baseOffset : offsetAt(entry);
    }

    @Override
    long keyAt(final int entry)
    {
        return buffer.getLong(entry * ENTRY_SIZE, ByteOrder.BIG_ENDIAN);
    }

    long offsetAt(final int entry)
    {
        return baseOffset + buffer.getInt(entry * ENTRY_SIZE + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Largest timestamp indexed, or {@code Long.MIN_VALUE} when empty.
     */
    long lastTimestamp()
    {
        final int count = entriesAcquire();
        return count == 0 ? Long.MIN_VALUE : keyAt(count - 1);
    }

    /**
     * Writer thread: add an entry if {@code timestamp} is larger than the last one and there is room.
     */
    void maybeAppend(final long timestamp, final long offset)
    {
        final int entry = entriesPlain();
        if (entry < maxEntries() && (entry == 0 || timestamp > keyAt(entry - 1)))
        {
            buffer.putLong(entry * ENTRY_SIZE, timestamp, ByteOrder.BIG_ENDIAN);
            buffer.putInt(entry * ENTRY_SIZE + 8, (int)(offset - baseOffset), ByteOrder.BIG_ENDIAN);
            publishEntries(entry + 1);
        }
    }

    /**
     * Describe the first entry that breaks the index's rules, or return null when all hold.
     *
     * @param nextOffset the offset after the segment's last batch: every entry's offset must lie below it.
     */
    String findDamage(final long nextOffset)
    {
        final int count = entriesAcquire();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = baseOffset - 1;
        for (int i = 0; i < count; i++)
        {
            final long timestamp = keyAt(i);
            final long offset = offsetAt(i);
            if ((i > 0 && timestamp <= previousTimestamp) || offset < previousOffset || offset >= nextOffset)
            {
                return "entry " + i + " (timestamp " + timestamp + ", offset " + offset + ") is out of order or " +
                    "points past offset " + (nextOffset - 1);
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return null;
    }
}
