package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;

import java.io.EOFException;
import java.io.IOException;

/**
 * How a {@link LogReader} walks a log's segments without a lock: a lookup takes the segment array with the cut
 * sequence first, goes on in the newer array when a segment it held was released (retention and truncation publish
 * the new array before they release), and iterates a segment's batches from an indexed position, ending where a
 * truncation cut the file under it. Shared by the reader's region reads and its timestamp lookups
 * ({@link TimestampLookup}).
 * <p>
 * Threading: the reader's thread only, as the reader.
 */
final class SegmentWalk
{
    /** An attempt met a released segment while the offset stayed in range; distinct from {@link LogReader#NO_OFFSET}. */
    static final int REMOVED = -2;

    private static final int SCAN_WINDOW_BYTES = 8 * 1024;

    private final ReadableLog log;
    private final LogSegments segments;
    private final FileBatchIterator iterator = new FileBatchIterator(SCAN_WINDOW_BYTES);
    /** {@link LogSegments#cutSequence()} when the current lookup started, to tell a truncation under it from damage. */
    private long cutSequenceAtLookup;

    SegmentWalk(final ReadableLog log)
    {
        this.log = log;
        this.segments = log.segments();
    }

    /**
     * A segment of {@code stale} was released. Retention and truncation publish the log's new segment array before
     * they release what they removed, so a newer array means the read can go on in it; the same array means the log
     * closed.
     */
    LogSegment[] afterRemoval(final LogSegment[] stale) throws IOException
    {
        final LogSegment[] latest = start();
        if (latest == stale)
        {
            throw new IOException(log.dir() + " was closed during the read");
        }
        return latest;
    }

    /**
     * The segment array a lookup walks, the cut sequence taken first: a cut that the array does not show yet then
     * shows in the sequence.
     */
    LogSegment[] start()
    {
        cutSequenceAtLookup = segments.cutSequence();
        return segments.acquire();
    }

    /**
     * The iterator's next batch; false at the end of the segment, and also where truncation cut the file under this
     * lookup (the segment's size was read before the cut). What the lookup found before the cut is served as a
     * read of the log before the truncation, as Kafka's reads can be; consumers read below the high watermark, which
     * a follower's truncation does not go below.
     */
    boolean next() throws IOException
    {
        try
        {
            return iterator.next();
        }
        catch (final EOFException cut)
        {
            return false;
        }
        catch (final InvalidRecordBatchException torn)
        {
            // Bytes a truncation cut (the kernel zeroes a cut page's tail) or the writer is writing again.
            if (segments.cutDuring(cutSequenceAtLookup))
            {
                return false;
            }
            throw torn;
        }
    }

    /**
     * Iterate {@code segment}'s batches from the indexed position at or before {@code offset}.
     */
    void reset(final LogSegment segment, final long offset)
    {
        iterator.reset(segment.file(), segment.offsetIndex().lookup(offset), segment.size());
    }

    RecordBatch batch()
    {
        return iterator.batch();
    }

    /**
     * The current batch read whole, records and all.
     */
    RecordBatch loadBatch() throws IOException
    {
        return iterator.loadBatch();
    }

    /**
     * File position of the current batch.
     */
    long position()
    {
        return iterator.position();
    }
}
