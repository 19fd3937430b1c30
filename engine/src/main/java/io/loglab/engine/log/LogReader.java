package io.loglab.engine.log;

import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Reads whole batches from a {@link PartitionLog} up to its published end, for one thread; every reading thread takes
 * its own from {@link PartitionLog#newReader()}. Takes no lock and allocates nothing per read: the result of the last
 * {@link #read} lives in this object, as a region of a segment file ready for {@link #transferTo} (sendfile to a
 * socket) or {@link #copyTo} (the copying path, for comparison).
 * <p>
 * Offsets below the log start offset or above the log end offset are out of range: {@link #read} returns
 * {@link #OFFSET_OUT_OF_RANGE}, the way a consumer learns that retention deleted what it had not read.
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

    private final PartitionLog log;
    private final FileBatchIterator iterator = new FileBatchIterator(SCAN_WINDOW_BYTES);
    private final Record record = new Record();

    private FileChannel channel;
    private long position;
    private int length;
    private long firstOffset;
    private long nextOffset;

    LogReader(final PartitionLog log)
    {
        this.log = log;
    }

    /**
     * Find whole batches starting with the one that holds {@code offset}, up to {@code maxBytes} (but always at least
     * one batch, however large, so a consumer can make progress), within one segment, ending before the log end.
     *
     * @return {@link #OK} or {@link #OFFSET_OUT_OF_RANGE}.
     */
    public int read(final long offset, final int maxBytes) throws IOException
    {
        return read(offset, maxBytes, log.logEndOffset());
    }

    /**
     * As {@link #read(long, int)}, stopping before the first batch that starts at or after {@code maxOffset}: the
     * bound a high watermark sets for consumers, or the log end offset.
     */
    public int read(final long offset, final int maxBytes, final long maxOffset) throws IOException
    {
        clearRegion(offset);
        final long logEndOffset = log.logEndOffset();
        if (offset < log.logStartOffset() || offset > logEndOffset)
        {
            return OFFSET_OUT_OF_RANGE;
        }
        final LogSegment[] segments = log.segmentsAcquire();
        int index = floorSegment(segments, offset);
        if (index < 0)
        {
            // Retention removed the segment between the range check and here.
            return OFFSET_OUT_OF_RANGE;
        }
        final long bound = Math.min(maxOffset, logEndOffset);
        for (; index < segments.length && offset < bound; index++)
        {
            final LogSegment segment = segments[index];
            final int end = segment.size();
            iterator.reset(segment.channel(), segment.offsetIndex().lookup(offset), end);
            while (iterator.next())
            {
                final RecordBatch batch = iterator.batch();
                if (batch.lastOffset() < offset)
                {
                    continue;
                }
                if (length == 0)
                {
                    channel = segment.channel();
                    position = iterator.position();
                    firstOffset = batch.baseOffset();
                }
                else if (batch.baseOffset() >= bound || length + batch.totalLength() > maxBytes)
                {
                    return OK;
                }
                length += batch.totalLength();
                nextOffset = batch.nextOffset();
            }
            if (length > 0)
            {
                return OK;
            }
        }
        return OK;
    }

    private void clearRegion(final long offset)
    {
        channel = null;
        position = 0;
        length = 0;
        firstOffset = offset;
        nextOffset = offset;
    }

    static int floorSegment(final LogSegment[] segments, final long offset)
    {
        int low = 0;
        int high = segments.length - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (segments[mid].baseOffset() <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    /**
     * Send the region found by the last {@link #read} with {@code FileChannel.transferTo}: sendfile when the target is
     * a socket, no copy through the JVM heap.
     *
     * @return bytes sent: the whole region unless the target stopped accepting (a non-blocking socket that is full).
     */
    public long transferTo(final WritableByteChannel target) throws IOException
    {
        long sent = 0;
        while (sent < length)
        {
            final long n = channel.transferTo(position + sent, length - sent, target);
            if (n <= 0)
            {
                break;
            }
            sent += n;
        }
        return sent;
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
            final int n = channel.read(target, position + read);
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
        final long logEndOffset = log.logEndOffset();
        for (final LogSegment segment : log.segmentsAcquire())
        {
            if (segment.maxTimestamp() < timestamp)
            {
                continue;
            }
            final long startOffset = Math.max(segment.timeIndex().lookup(timestamp), logStartOffset);
            iterator.reset(segment.channel(), segment.offsetIndex().lookup(startOffset), segment.size());
            while (iterator.next())
            {
                final RecordBatch header = iterator.batch();
                if (header.baseOffset() >= logEndOffset)
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
        }
        return NO_OFFSET;
    }

    private long firstRecordAtOrAfter(final RecordBatch batch, final long timestamp)
    {
        int at = batch.recordsOffset();
        final int limit = batch.limit();
        for (int i = 0; i < batch.recordsCount(); i++)
        {
            record.wrap(batch.buffer(), at, limit, batch.baseOffset(), batch.baseTimestamp());
            if (record.timestamp() >= timestamp)
            {
                return record.offset();
            }
            at += record.totalLength();
        }
        return batch.baseOffset();
    }
}
