package io.loglab.engine.log;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * One segment of a partition's log: its {@link SegmentFile} of batches from {@link #baseOffset()} on, its offset and
 * time indexes, and what the writer tracks about it (next offset, largest timestamp, bytes since the last index
 * entry). Files are named by {@link LogFiles}.
 * <p>
 * Threading: the partition's writer thread owns every mutation and the plain fields. It publishes, with release
 * stores after the bytes they describe are written, the file's size (readers never read past it), the index entry
 * counts and {@link #maxTimestamp} (for timestamp lookups and retention).
 * <p>
 * <b>Lifetime.</b> A reader about to touch the indexes' memory or the channel {@link #retain()}s the segment and
 * {@link #release()}s it after; the log holds one reference of its own and releases it when it closes or deletes the
 * segment. The files are closed and the index mappings released by whichever release is last, so a reader racing a
 * close or a retention pass is told by {@link #retain()} returning false, never by a fault on unmapped memory or a
 * closed channel (the reference count Aeron's {@code LogBuffers} keeps for the same reason).
 */
final class LogSegment
{
    static final long NO_TIMESTAMP = -1L;

    private static final VarHandle MAX_TIMESTAMP;
    private static final VarHandle REF_COUNT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            MAX_TIMESTAMP = lookup.findVarHandle(LogSegment.class, "maxTimestamp", long.class);
            REF_COUNT = lookup.findVarHandle(LogSegment.class, "refCount", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long baseOffset;
    private final SegmentFile file;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;

    /** Writer: release store. Readers: acquire load. {@link #NO_TIMESTAMP} while empty. */
    @SuppressWarnings("unused")
    private volatile long maxTimestamp;
    /** The log's own hold plus one per reader inside; CAS by readers, decremented by every release; 0 is final. */
    @SuppressWarnings("unused")
    private volatile int refCount;

    // Writer thread only.
    private long nextOffset;
    private long offsetOfMaxTimestamp;
    private long firstBatchTimestamp = NO_TIMESTAMP;
    /** Writer thread: see {@link #rollingBaseMs}. */
    private long firstSeenMs = NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;

    LogSegment(
        final long baseOffset,
        final SegmentFile file,
        final OffsetIndex offsetIndex,
        final TimeIndex timeIndex,
        final int indexIntervalBytes)
    {
        this.baseOffset = baseOffset;
        this.file = file;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
        MAX_TIMESTAMP.setRelease(this, NO_TIMESTAMP);
        REF_COUNT.setRelease(this, 1);
    }

    /**
     * Writer thread: take over what a scan or an earlier incarnation of this segment learned about its batches.
     */
    void restoreState(final LogSegment from)
    {
        nextOffset = from.nextOffset;
        offsetOfMaxTimestamp = from.offsetOfMaxTimestamp;
        firstBatchTimestamp = from.firstBatchTimestamp;
        bytesSinceLastIndexEntry = from.bytesSinceLastIndexEntry;
        MAX_TIMESTAMP.setRelease(this, (long)MAX_TIMESTAMP.get(from));
        file.publishSize(from.file.sizePlain());
    }

    /**
     * Writer thread (or a scan): the state of a segment whose indexes were trusted and whose tail after the last
     * index entry was scanned.
     *
     * @param scannedFrom      file position the scan of the tail started at.
     * @param validEnd         end of the last complete batch.
     * @param next             offset after the last batch.
     * @param tailMaxTimestamp largest timestamp of the batches scanned, {@link #NO_TIMESTAMP} for none.
     * @param firstTimestamp   max timestamp of the segment's first batch, what age-based rolling measures from.
     */
    void restoreTrusted(
        final int scannedFrom,
        final int validEnd,
        final long next,
        final long tailMaxTimestamp,
        final long tailOffsetOfMaxTimestamp,
        final long firstTimestamp)
    {
        nextOffset = next;
        firstBatchTimestamp = firstTimestamp;
        final int timeEntries = timeIndex.entriesPlain();
        long max = timeEntries == 0 ? NO_TIMESTAMP : timeIndex.keyAt(timeEntries - 1);
        offsetOfMaxTimestamp = timeEntries == 0 ? baseOffset : timeIndex.offsetAt(timeEntries - 1);
        if (tailMaxTimestamp > max)
        {
            max = tailMaxTimestamp;
            offsetOfMaxTimestamp = tailOffsetOfMaxTimestamp;
        }
        MAX_TIMESTAMP.setRelease(this, max);
        // As onBatchWritten counts: from the start of the last indexed batch (or of the file) to its end.
        bytesSinceLastIndexEntry = validEnd - scannedFrom;
        file.publishSize(validEnd);
    }

    /**
     * Writer thread: account for a batch just written at {@code position}, indexing it when enough bytes have passed
     * since the last entry. Call in file order, then publish the size.
     */
    void onBatchWritten(final long lastOffset, final long batchMaxTimestamp, final int position, final int length)
    {
        if (firstBatchTimestamp == NO_TIMESTAMP)
        {
            firstBatchTimestamp = batchMaxTimestamp;
        }
        final long currentMax = (long)MAX_TIMESTAMP.get(this);
        if (batchMaxTimestamp > currentMax)
        {
            MAX_TIMESTAMP.setRelease(this, batchMaxTimestamp);
            offsetOfMaxTimestamp = lastOffset;
        }
        // A full index takes no more entries (the next append rolls the segment); lookups then scan further.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull())
        {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend((long)MAX_TIMESTAMP.get(this), offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        nextOffset = lastOffset + 1;
    }

    /**
     * Writer thread: the segment takes no more appends; index its largest timestamp and trim the index files.
     */
    void onBecomeInactive() throws IOException
    {
        if (!isEmpty())
        {
            timeIndex.maybeAppend((long)MAX_TIMESTAMP.get(this), offsetOfMaxTimestamp);
        }
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
    }

    /**
     * A reader's hold on the segment's files and index memory, for the length of one lookup.
     *
     * @return false if the segment is already released (the log closed it or retention deleted it).
     */
    boolean retain()
    {
        int count;
        do
        {
            count = (int)REF_COUNT.getVolatile(this);
            if (count == 0)
            {
                return false;
            }
        }
        while (!REF_COUNT.compareAndSet(this, count, count + 1));
        return true;
    }

    /**
     * Drop a hold: a reader's after its lookup, or the log's own when it closes or deletes the segment. The last
     * one closes the file and releases the index mappings.
     */
    void release()
    {
        if ((int)REF_COUNT.getAndAdd(this, -1) == 1)
        {
            closeResources();
        }
    }

    private void closeResources()
    {
        try
        {
            file.close();
        }
        catch (final IOException ex)
        {
            // The channel is released either way; nothing is left to do with it.
        }
        offsetIndex.close();
        timeIndex.close();
    }

    /**
     * Writer thread: force the log and its indexes to storage.
     */
    void flush() throws IOException
    {
        file.flush();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Writer thread: rename the files with a {@code .deleted} suffix so that a later open removes them, while readers
     * holding this segment still read through the open channel until it is released.
     */
    void markDeleted() throws IOException
    {
        file.renameTo(LogFiles.deletedFile(file.file()));
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    /**
     * Delete the files of a segment marked deleted a while ago, and drop the log's hold on it.
     */
    void deleteFiles() throws IOException
    {
        try
        {
            file.deleteFile();
            offsetIndex.deleteFile();
            timeIndex.deleteFile();
        }
        finally
        {
            release();
        }
    }

    long baseOffset()
    {
        return baseOffset;
    }

    SegmentFile file()
    {
        return file;
    }

    Path logFile()
    {
        return file.file();
    }

    OffsetIndex offsetIndex()
    {
        return offsetIndex;
    }

    TimeIndex timeIndex()
    {
        return timeIndex;
    }

    /**
     * Bytes of complete batches, loaded with acquire semantics.
     */
    int size()
    {
        return file.size();
    }

    int sizePlain()
    {
        return file.sizePlain();
    }

    boolean isEmpty()
    {
        return file.sizePlain() == 0;
    }

    /**
     * Largest batch timestamp in the segment, or {@link #NO_TIMESTAMP}; acquire load.
     */
    long maxTimestamp()
    {
        return (long)MAX_TIMESTAMP.getAcquire(this);
    }

    /**
     * Writer thread: offset after the segment's last batch.
     */
    long nextOffset()
    {
        return nextOffset;
    }

    /**
     * Writer thread: max timestamp of the segment's first batch.
     */
    long firstBatchTimestamp()
    {
        return firstBatchTimestamp;
    }

    /**
     * Writer thread: what age-based rolling measures from, as Kafka measures it: the first batch's timestamp, or,
     * when it has none (a client that sets no timestamps), the wall-clock time this process first looked, so such a
     * segment does not look older than {@code segment.ms} and roll at every append.
     */
    long rollingBaseMs(final long nowMs)
    {
        if (firstBatchTimestamp >= 0)
        {
            return firstBatchTimestamp;
        }
        if (firstSeenMs == NO_TIMESTAMP)
        {
            firstSeenMs = nowMs;
        }
        return firstSeenMs;
    }

    boolean indexesFull()
    {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    @Override
    public String toString()
    {
        return "LogSegment(" + file + ")";
    }
}
