package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordIterator;

import java.io.IOException;

/**
 * A {@link LogReader}'s timestamp lookup (Kafka's ListOffsets by time): the time index narrows the search to a
 * position, the batches' max timestamps to a batch, and an uncompressed batch's records to the record. Walks the
 * segments as the reader's reads do ({@link SegmentWalk}), below the high watermark.
 * <p>
 * Threading: the reader's thread only, as the reader.
 */
final class TimestampLookup
{
    private final ReadableLog log;
    private final SegmentWalk walk;
    private final RecordIterator records = new RecordIterator();

    TimestampLookup(final ReadableLog log, final SegmentWalk walk)
    {
        this.log = log;
        this.walk = walk;
    }

    /**
     * The offset of the first record whose timestamp is at least {@code timestamp}, or {@link LogReader#NO_OFFSET}
     * when none is. Exact for uncompressed batches; for a compressed batch, whose records the log does not decompress,
     * the batch's base offset.
     */
    long offsetForTimestamp(final long timestamp) throws IOException
    {
        // Before the segment array, as for a read: the array loaded after holds every offset below it.
        final long bound = log.highWatermark();
        LogSegment[] current = walk.start();
        while (true)
        {
            final long found = offsetForTimestamp(current, timestamp, bound);
            if (found != SegmentWalk.REMOVED)
            {
                return found;
            }
            current = walk.afterRemoval(current);
        }
    }

    private long offsetForTimestamp(final LogSegment[] current, final long timestamp, final long bound)
        throws IOException
    {
        final long logStartOffset = log.logStartOffset();
        for (final LogSegment segment : current)
        {
            if (segment.maxTimestamp() < timestamp)
            {
                continue;
            }
            if (!segment.retain())
            {
                return SegmentWalk.REMOVED;
            }
            try
            {
                final long found = offsetForTimestamp(segment, timestamp, logStartOffset, bound);
                if (found != LogReader.NO_OFFSET || segment.baseOffset() >= bound)
                {
                    return found;
                }
            }
            finally
            {
                segment.release();
            }
        }
        return LogReader.NO_OFFSET;
    }

    private long offsetForTimestamp(
        final LogSegment segment, final long timestamp, final long logStartOffset, final long bound)
        throws IOException
    {
        final long startOffset = Math.max(segment.timeIndex().lookup(timestamp), logStartOffset);
        walk.reset(segment, startOffset);
        while (walk.next())
        {
            final RecordBatch header = walk.batch();
            if (header.lastOffset() >= bound)
            {
                return LogReader.NO_OFFSET;
            }
            if (header.lastOffset() < startOffset || header.maxTimestamp() < timestamp)
            {
                continue;
            }
            if (header.isCompressed())
            {
                return Math.max(header.baseOffset(), logStartOffset);
            }
            return firstRecordAtOrAfter(walk.loadBatch(), timestamp);
        }
        return LogReader.NO_OFFSET;
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
