package io.loglab.engine.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SegmentScanner} learned about one segment file, without changing it: how far its batches are sound,
 * what follows, and a {@link LogSegment} over the file opened read-only, with heap-backed indexes either copied from
 * trusted index files or rebuilt from the batches. The loader decides from this what the segment becomes.
 */
final class SegmentScan
{
    final long baseOffset;
    final Path logFile;
    /** Opened read-only; owned by {@link #segment} once there is one. */
    SegmentFile file;
    /** Bytes in the file when it was scanned. */
    long fileSize;
    /** Read-only, heap-indexed; its state (next offset, timestamps, published size) reflects the sound part. */
    LogSegment segment;
    /** End of the last sound batch: the published size. */
    int validEnd;
    /** Offset after the last sound batch; the base offset when there is none. */
    long nextOffset;
    /** The first bad byte and why, or null when the file is sound to its end. */
    LogFinding damage;
    /** A sound batch starts somewhere after {@link #damage}: cutting there would lose intact data. */
    boolean intactAfterDamage;
    /** The indexes were rebuilt from the batches (they were missing, damaged, stale or not trusted). */
    boolean indexesRebuilt;
    /** Derived files found missing or damaged, rebuilt in {@link #segment}. */
    final List<LogFinding> rebuilt = new ArrayList<>();
    /** Leader epoch changes seen in the batches scanned (all of them when the indexes were rebuilt). */
    final List<LeaderEpochCache.EpochEntry> epochs = new ArrayList<>();
    /** Sound batches read. */
    long batches;
    /** Every batch was read (not only the tail after the last trusted index entry). */
    boolean scannedWhole;

    SegmentScan(final long baseOffset, final Path logFile)
    {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
    }

    /**
     * The file holds at least one sound batch.
     */
    boolean hasBatches()
    {
        return validEnd > 0;
    }

    /**
     * Bytes after the last sound batch.
     */
    long bytesAfterValidEnd()
    {
        return fileSize - validEnd;
    }

    /**
     * Forget what a trusted scan concluded, before scanning the file whole after all.
     */
    void reset()
    {
        damage = null;
        intactAfterDamage = false;
        epochs.clear();
        validEnd = 0;
        nextOffset = baseOffset;
    }

    /**
     * Drop the read-only view's hold on the file.
     */
    void close() throws java.io.IOException
    {
        if (segment != null)
        {
            segment.release();
        }
        else if (file != null)
        {
            file.close();
        }
        segment = null;
        file = null;
    }
}
