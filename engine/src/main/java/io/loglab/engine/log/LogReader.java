package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordIterator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Reads whole batches from a log up to its published bounds, for one thread; every reading thread takes its own from
 * {@link ReadableLog#newReader()}. Takes no lock and allocates nothing per read: the result of the last
 * {@link #read} lives in this object, as a region of a segment file ready for {@link #transferTo} (sendfile to a
 * socket) or {@link #copyTo} (the copying path, for comparison). Consumers read below the high watermark
 * ({@link #read(long, int)}); replicas up to the log end ({@link #read(long, int, long)} with the log end offset).
 * <p>
 * Offsets below the log start offset or above the log end offset are out of range: {@link #read} returns
 * {@link #OFFSET_OUT_OF_RANGE}, the way a consumer learns that retention deleted what it had not read. A reader racing
 * the log's close gets an {@link IOException}: each lookup holds its segment ({@link LogSegment#retain()}), so the
 * index memory it reads cannot be unmapped under it.
 */
public final class LogReader
{
    /** {@link #read} found the offset; the region may be empty when the offset is the log end offset. */
    public static final int OK = 0;
    /** {@link #read} was asked for an offset below the log start offset or above the log end offset. */
    public static final int OFFSET_OUT_OF_RANGE = 1;

    /** Returned by {@link #offsetForTimestamp} when no record is that recent. */
    public static final long NO_OFFSET = -1;

    private static final int SCAN_WINDOW_BYTES = 8 * 1024;

    private final ReadableLog log;
    private final LogSegments segments;
    private final FileBatchIterator iterator = new FileBatchIterator(SCAN_WINDOW_BYTES);
    private final RecordIterator records = new RecordIterator();

    private SegmentFile file;
    private long position;
    private int length;
    private long firstOffset;
    private long nextOffset;

    LogReader(final ReadableLog log)
    {
        this.log = log;
        this.segments = log.segments();
    }

    /**
     * What a consumer may read: whole batches starting with the one that holds {@code offset}, up to
     * {@code maxBytes} (but always at least one batch, however large, so a consumer can make progress), within one
     * segment, ending before the high watermark.
     *
     * @return {@link #OK} or {@link #OFFSET_OUT_OF_RANGE}.
     * @throws IOException if the log closed or removed the segment during the read.
     */
    public int read(final long offset, final int maxBytes) throws IOException
    {
        return read(offset, maxBytes, log.highWatermark());
    }

    /**
     * As {@link #read(long, int)}, serving only batches that end below {@code maxOffset}: the log end offset for a
     * replica, or any lower bound. A batch the bound cuts through is held back whole.
     */
    public int read(final long offset, final int maxBytes, final long maxOffset) throws IOException
    {
        clearRegion(offset);
        final long logEndOffset = log.logEndOffset();
        if (offset < log.logStartOffset() || offset > logEndOffset)
        {
            return OFFSET_OUT_OF_RANGE;
        }
        final LogSegment[] current = segments.acquire();
        int index = LogSegments.floor(current, offset);
        if (index < 0)
        {
            // Retention removed the segment between the range check and here.
            return OFFSET_OUT_OF_RANGE;
        }
        final long bound = Math.min(maxOffset, logEndOffset);
        for (; index < current.length && offset < bound && length == 0; index++)
        {
            final LogSegment segment = current[index];
            retain(segment);
            try
            {
                readSegment(segment, offset, maxBytes, bound);
            }
            finally
            {
                segment.release();
            }
        }
        return OK;
    }

    private void readSegment(final LogSegment segment, final long offset, final int maxBytes, final long bound)
        throws IOException
    {
        iterator.reset(segment.file(), segment.offsetIndex().lookup(offset), segment.size());
        while (iterator.next())
        {
            final RecordBatch batch = iterator.batch();
            if (batch.lastOffset() < offset)
            {
                continue;
            }
            if (length == 0)
            {
                if (batch.lastOffset() >= bound)
                {
                    return;
                }
                file = segment.file();
                position = iterator.position();
                firstOffset = batch.baseOffset();
            }
            else if (batch.lastOffset() >= bound || length + batch.totalLength() > maxBytes)
            {
                return;
            }
            length += batch.totalLength();
            nextOffset = batch.nextOffset();
        }
    }

    private static void retain(final LogSegment segment) throws IOException
    {
        if (!segment.retain())
        {
            throw new IOException(segment.logFile() + " was closed or deleted during the read");
        }
    }

    private void clearRegion(final long offset)
    {
        file = null;
        position = 0;
        length = 0;
        firstOffset = offset;
        nextOffset = offset;
    }

    /**
     * Send the region found by the last {@link #read} with {@code FileChannel.transferTo}: sendfile when the target is
     * a socket, no copy through the JVM heap.
     *
     * @return bytes sent: the whole region unless the target stopped accepting (a non-blocking socket that is full).
     */
    public long transferTo(final WritableByteChannel target) throws IOException
    {
        return length == 0 ? 0 : file.transferTo(position, length, target);
    }

    /**
     * Copy the region found by the last {@link #read} into {@code target} at its position, the copying path.
     *
     * @throws IllegalArgumentException if it has less room than {@link #length()}.
     */
    public void copyTo(final ByteBuffer target) throws IOException
    {
        if (target.remaining() < length)
        {
            throw new IllegalArgumentException(
                "target has " + target.remaining() + " bytes of room, the region is " + length);
        }
        final int limit = target.limit();
        target.limit(target.position() + length);
        long read = 0;
        while (read < length)
        {
            final int n = file.read(target, position + read);
            if (n < 0)
            {
                break;
            }
            read += n;
        }
        target.limit(limit);
    }

    /**
     * Bytes in the region found by the last {@link #read}; 0 when there was nothing to read.
     */
    public int length()
    {
        return length;
    }

    /**
     * Base offset of the first batch in the region; it may be below the offset asked for, since batches are
     * returned whole.
     */
    public long firstOffset()
    {
        return firstOffset;
    }

    /**
     * Offset after the region's last batch: where the next read continues.
     */
    public long nextOffset()
    {
        return nextOffset;
    }

    /**
     * File position of the region in its segment.
     */
    public long position()
    {
        return position;
    }

    /**
     * The offset of the first record whose timestamp is at least {@code timestamp}, or {@link #NO_OFFSET} when none
     * is. Exact for uncompressed batches; for a compressed batch, whose records the log does not decompress, the
     * batch's base offset.
     */
    public long offsetForTimestamp(final long timestamp) throws IOException
    {
        final long logStartOffset = log.logStartOffset();
        final long bound = log.highWatermark();
        for (final LogSegment segment : segments.acquire())
        {
            if (segment.maxTimestamp() < timestamp)
            {
                continue;
            }
            retain(segment);
            try
            {
                final long found = offsetForTimestamp(segment, timestamp, logStartOffset, bound);
                if (found != NO_OFFSET || segment.baseOffset() >= bound)
                {
                    return found;
                }
            }
            finally
            {
                segment.release();
            }
        }
        return NO_OFFSET;
    }

    private long offsetForTimestamp(
        final LogSegment segment, final long timestamp, final long logStartOffset, final long bound)
        throws IOException
    {
        final long startOffset = Math.max(segment.timeIndex().lookup(timestamp), logStartOffset);
        iterator.reset(segment.file(), segment.offsetIndex().lookup(startOffset), segment.size());
        while (iterator.next())
        {
            final RecordBatch header = iterator.batch();
            if (header.lastOffset() >= bound)
            {
                return NO_OFFSET;
            }
            if (header.lastOffset() < startOffset || header.maxTimestamp() < timestamp)
            {
                continue;
            }
            if (header.isCompressed())
            {
                return Math.max(header.baseOffset(), logStartOffset);
            }
            return firstRecordAtOrAfter(iterator.loadBatch(), timestamp);
        }
        return NO_OFFSET;
    }

    private long firstRecordAtOrAfter(final RecordBatch batch, final long timestamp)
    {
        records.wrap(batch.buffer(), batch.offset(), batch.totalLength());
        records.nextBatch();
        while (records.nextRecord())
        {
            if (records.record().timestamp() >= timestamp)
            {
                return records.record().offset();
            }
        }
        return batch.baseOffset();
    }
}
