package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatch;

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
 * {@link #OFFSET_OUT_OF_RANGE}, the way a consumer learns that retention deleted what it had not read, also when
 * retention or truncation removes the segment during the lookup; a lookup that meets a segment truncation replaced
 * goes on in the log's new segment array. Each lookup, copy and transfer holds its segment
 * ({@link LogSegment#retain()}), so the index memory and the channel it uses are never released under it: a region
 * removed between {@link #read} and {@link #copyTo} or {@link #transferTo} gets a {@link RegionRemovedException}
 * (read again), and a reader racing the log's close gets an {@link IOException}.
 */
public final class LogReader
{
    /** {@link #read} found the offset; the region may be empty when the offset is the log end offset. */
    public static final int OK = 0;
    /** {@link #read} was asked for an offset below the log start offset or above the log end offset. */
    public static final int OFFSET_OUT_OF_RANGE = 1;

    /** Returned by {@link #offsetForTimestamp} when no record is that recent. */
    public static final long NO_OFFSET = -1;

    private final ReadableLog log;
    private final SegmentWalk walk;
    private final TimestampLookup timestamps;
    /** The segment the region is in; null while the region is empty. */
    private LogSegment regionSegment;
    private long position;
    private int length;
    private long firstOffset;
    private long nextOffset;

    LogReader(final ReadableLog log)
    {
        this.log = log;
        this.walk = new SegmentWalk(log);
        this.timestamps = new TimestampLookup(log, walk);
    }

    /**
     * What a consumer may read: whole batches starting with the one that holds {@code offset}, up to
     * {@code maxBytes} (but always at least one batch, however large, so a consumer can make progress), within one
     * segment, ending before the high watermark.
     *
     * @return {@link #OK} or {@link #OFFSET_OUT_OF_RANGE}.
     * @throws IOException if the log closed during the read.
     */
    public int read(final long offset, final int maxBytes) throws IOException
    {
        while (true)
        {
            final long highWatermark = log.highWatermark();
            final int result = read(offset, maxBytes, highWatermark);
            // Nothing below a high watermark that has moved since: compaction may have taken every batch below the
            // old one from the offset on, while newer ones lie beyond it. Read again, bounded by the new one.
            if (result != OK || length > 0 || offset >= highWatermark || log.highWatermark() == highWatermark)
            {
                return result;
            }
        }
    }

    /**
     * As {@link #read(long, int)}, serving only batches that end below {@code maxOffset}: the log end offset for a
     * replica, or any lower bound. A batch the bound cuts through is held back whole.
     */
    public int read(final long offset, final int maxBytes, final long maxOffset) throws IOException
    {
        // Before the segment array: the writer publishes a segment before any end offset inside it, so the array
        // loaded after holds every offset below this end, but for what compaction has taken out since.
        long logEndOffset = log.logEndOffset();
        LogSegment[] current = walk.start();
        while (true)
        {
            final int result = read(current, offset, maxBytes, Math.min(maxOffset, logEndOffset), logEndOffset);
            if (result == SegmentWalk.REMOVED)
            {
                current = walk.afterRemoval(current);
            }
            else if (result == OK && length == 0 && offset < logEndOffset && logEndOffset < maxOffset &&
                log.logEndOffset() != logEndOffset)
            {
                // Nothing below an end that has moved since and was the bound: compaction may have taken every batch
                // from the offset up to the old end, while the array holds newer ones beyond it. Read again up to the
                // new end.
                logEndOffset = log.logEndOffset();
                current = walk.start();
            }
            else
            {
                return result;
            }
        }
    }

    /**
     * One attempt on the segment array {@code current}, for batches ending below {@code bound}.
     *
     * @return {@link #OK}, {@link #OFFSET_OUT_OF_RANGE}, or {@link SegmentWalk#REMOVED} when a segment of
     * {@code current} was released while the offset is still in range (truncation replaced it): try again.
     */
    private int read(final LogSegment[] current, final long offset, final int maxBytes, final long bound,
        final long logEndOffset) throws IOException
    {
        clearRegion(offset);
        if (offset < log.logStartOffset() || offset > logEndOffset)
        {
            return OFFSET_OUT_OF_RANGE;
        }
        int index = LogSegments.floor(current, offset);
        if (index < 0)
        {
            if (offset < log.logStartOffset())
            {
                // Retention removed the segment between the range check and here.
                return OFFSET_OUT_OF_RANGE;
            }
            // Compaction left nothing below the first segment: the read starts there.
            index = 0;
        }
        for (; index < current.length && offset < bound && length == 0; index++)
        {
            final LogSegment candidate = current[index];
            if (!candidate.retain())
            {
                clearRegion(offset);
                // Retention or truncation removed it, or the log closed: out of range now, or try again.
                return offset < log.logStartOffset() || offset > log.logEndOffset() ?
                    OFFSET_OUT_OF_RANGE : SegmentWalk.REMOVED;
            }
            try
            {
                readSegment(candidate, offset, maxBytes, bound);
            }
            finally
            {
                candidate.release();
            }
        }
        return OK;
    }

    private void readSegment(final LogSegment segment, final long offset, final int maxBytes, final long bound)
        throws IOException
    {
        walk.reset(segment, offset);
        while (walk.next())
        {
            final RecordBatch batch = walk.batch();
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
                regionSegment = segment;
                position = walk.position();
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

    private void clearRegion(final long offset)
    {
        regionSegment = null;
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
     * @throws RegionRemovedException if the region's segment was removed since the read.
     */
    public long transferTo(final WritableByteChannel target) throws IOException
    {
        if (length == 0)
        {
            return 0;
        }
        retainRegion();
        try
        {
            return regionSegment.file().transferTo(position, length, target);
        }
        finally
        {
            regionSegment.release();
        }
    }

    /**
     * Copy the region found by the last {@link #read} into {@code target} at its position, the copying path.
     *
     * @throws IllegalArgumentException if it has less room than {@link #length()}.
     * @throws RegionRemovedException    if the region's segment was removed since the read.
     */
    public void copyTo(final ByteBuffer target) throws IOException
    {
        if (target.remaining() < length)
        {
            throw new IllegalArgumentException(
                "target has " + target.remaining() + " bytes of room, the region is " + length);
        }
        if (length == 0)
        {
            return;
        }
        retainRegion();
        final int limit = target.limit();
        target.limit(target.position() + length);
        try
        {
            long read = 0;
            while (read < length)
            {
                final int n = regionSegment.file().read(target, position + read);
                if (n < 0)
                {
                    // Truncation cut the file under the region.
                    throw new RegionRemovedException(regionSegment.logFile());
                }
                read += n;
            }
        }
        finally
        {
            target.limit(limit);
            regionSegment.release();
        }
    }

    /**
     * Hold the region found by the last {@link #read} until the returned {@link LogRegion} is closed, for a send that
     * outlives this reader's next read. Null when the region is empty.
     *
     * @throws RegionRemovedException if the region's segment was removed since the read.
     */
    public LogRegion holdRegion() throws RegionRemovedException
    {
        if (length == 0)
        {
            return null;
        }
        retainRegion();
        return new LogRegion(regionSegment, position, length);
    }

    private void retainRegion() throws RegionRemovedException
    {
        if (!regionSegment.retain())
        {
            throw new RegionRemovedException(regionSegment.logFile());
        }
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
     * is ({@link TimestampLookup}).
     */
    public long offsetForTimestamp(final long timestamp) throws IOException
    {
        return timestamps.offsetForTimestamp(timestamp);
    }
}
