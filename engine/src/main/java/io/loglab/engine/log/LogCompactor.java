package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One compaction pass over a log, as Kafka's cleaner makes it, run by the cleaner thread while the writer goes on
 * appending: it only reads the log, as any reader does, and writes compacted copies beside it for the writer to swap
 * in ({@link PartitionLog#swapCompacted}).
 * <ol>
 *     <li>The cleanable part is every segment below the active one, the high watermark and
 *     {@code min.compaction.lag.ms}; its dirty part starts at the {@link CleanerCheckpoint}. A log is worth a pass
 *     when the dirty part is at least {@code min.cleanable.dirty.ratio} of the cleanable part.</li>
 *     <li>The keys of the dirty part's records go into an {@link OffsetMap} with their latest offsets, up to the
 *     segment where the map fills.</li>
 *     <li>Each group of segments from the log start on (as many as fit in {@code segment.bytes}) is copied keeping a
 *     record only if no later record has its key, it has a key, and, for a tombstone (null value), its batch is
 *     younger than {@code delete.retention.ms}. An idempotent producer's last batch keeps its header when its records
 *     go, so the producer's sequence survives a restart.</li>
 * </ol>
 * Compressed batches and control batches are copied whole: the engine does not decompress records, so their keys
 * neither enter the map nor leave the log.
 * <p>
 * Not thread-safe: one per cleaner thread, its map reused from pass to pass.
 */
public final class LogCompactor
{
    private static final int WINDOW_BYTES = 64 * 1024;

    /**
     * What a pass over a log would clean, as found by {@link #cleanable}.
     */
    public static final class Cleanable
    {
        final LogSegment[] segments;
        /** Segments {@code [0, count)} may be cleaned. */
        final int count;
        final int firstDirtyIndex;
        final long firstDirtyOffset;
        final long dirtyBytes;
        final long cleanableBytes;

        Cleanable(
            final LogSegment[] segments,
            final int count,
            final int firstDirtyIndex,
            final long firstDirtyOffset,
            final long dirtyBytes,
            final long cleanableBytes)
        {
            this.segments = segments;
            this.count = count;
            this.firstDirtyIndex = firstDirtyIndex;
            this.firstDirtyOffset = firstDirtyOffset;
            this.dirtyBytes = dirtyBytes;
            this.cleanableBytes = cleanableBytes;
        }

        /**
         * Dirty bytes over cleanable bytes, from 0 to 1.
         */
        public double dirtyRatio()
        {
            return (double)dirtyBytes / cleanableBytes;
        }
    }

    private final OffsetMap map;
    private final int mapBytes;
    private final FileBatchIterator iterator = new FileBatchIterator(WINDOW_BYTES);
    private final Record record = new Record();
    /** Producer id to the base offset of its last batch in the log. */
    private final Map<Long, Long> lastBatchOfProducer = new HashMap<>();
    private long deleteHorizonMs;
    /** Set (volatile store) by the thread stopping the cleaner; the pass loads it at every batch and gives up. */
    private volatile boolean cancelled;

    /**
     * @param dedupeBufferBytes memory for the map of keys to latest offsets ({@link OffsetMap#SLOT_BYTES} per key).
     */
    public LogCompactor(final int dedupeBufferBytes)
    {
        this.map = new OffsetMap(dedupeBufferBytes);
        this.mapBytes = dedupeBufferBytes;
    }

    /**
     * Any thread: make the pass under way, and every later one, stop at its next batch with an IOException, leaving
     * nothing behind; for a cleaner that is stopping, so no interrupt closes a channel the log's readers share.
     */
    public void cancel()
    {
        cancelled = true;
    }

    /**
     * Where the log's dirty part starts, as its checkpoint records (0 when none is recorded).
     */
    public static long cleanedTo(final ReadableLog log) throws IOException
    {
        return CleanerCheckpoint.cleanedTo(log.dir());
    }

    /**
     * What a pass over {@code log} would clean now, or null when it has no dirty bytes below its active segment.
     */
    public Cleanable cleanable(final ReadableLog log, final long cleanedTo, final long nowMs)
    {
        final LogSegment[] segments = log.segments().acquire();
        final int active = segments.length - 1;
        final long firstUncleanable = Math.min(segments[active].baseOffset(), log.highWatermark());
        final long lagMs = log.config().minCompactionLagMs();
        int count = 0;
        while (count < active && segments[count + 1].baseOffset() <= firstUncleanable &&
            (lagMs == 0 || segments[count].maxTimestamp() <= nowMs - lagMs))
        {
            count++;
        }
        final long firstDirty = Math.max(cleanedTo, log.logStartOffset());
        long dirty = 0;
        long total = 0;
        int firstDirtyIndex = count;
        for (int i = 0; i < count; i++)
        {
            final long size = segments[i].size();
            total += size;
            if (segments[i + 1].baseOffset() > firstDirty)
            {
                dirty += size;
                firstDirtyIndex = Math.min(firstDirtyIndex, i);
            }
        }
        return dirty == 0 ? null : new Cleanable(segments, count, firstDirtyIndex, firstDirty, dirty, total);
    }

    /**
     * Make the compacted copies of what {@code cleanable} found, and record the new clean point.
     *
     * @return the copies for the log's writer to swap in, or null when retention, truncation or a close removed a
     * segment under the pass (nothing is left behind; the next pass starts again).
     * @throws IOException if a segment cannot be read or a copy written; nothing is left behind.
     */
    public CompactedSegments compact(final ReadableLog log, final Cleanable cleanable, final long nowMs)
        throws IOException
    {
        final LogSegment[] segments = cleanable.segments;
        int retained = 0;
        final List<CompactedSegments.Group> groups = new ArrayList<>();
        try
        {
            for (; retained < segments.length; retained++)
            {
                if (!segments[retained].retain())
                {
                    return null;
                }
            }
            final int end = buildMap(segments, cleanable);
            if (end <= cleanable.firstDirtyIndex)
            {
                throw new IOException(segments[end].logFile() + " holds more keys than a dedupe buffer of " +
                    mapBytes + " bytes maps (" + map.size() + "): the log cannot be compacted until it is larger");
            }
            collectProducers(segments);
            deleteHorizonMs = nowMs - log.config().deleteRetentionMs();
            final CleanedSegmentWriter writer = new CleanedSegmentWriter(log.dir(), log.config());
            for (int from = 0, to; from < end; from = to)
            {
                to = groupEnd(segments, from, end, log.config().segmentBytes());
                final CompactedSegments.Group group = copyGroup(writer, segments, from, to);
                if (group != null)
                {
                    groups.add(group);
                }
            }
            final CompactedSegments compacted = new CompactedSegments(groups, segments[end].baseOffset());
            CleanerCheckpoint.write(log.dir(), compacted.cleanedTo());
            return compacted;
        }
        catch (final InvalidRecordBatchException ex)
        {
            new CompactedSegments(groups, 0).discard();
            throw new IOException(log.dir() + ": unreadable batch while compacting: " + ex.getMessage(), ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            new CompactedSegments(groups, 0).discard();
            throw ex;
        }
        finally
        {
            for (int i = 0; i < retained; i++)
            {
                segments[i].release();
            }
        }
    }

    /**
     * Map the dirty part's keys.
     *
     * @return the index of the first segment not to clean: the one where the map filled, or the cleanable count.
     */
    private int buildMap(final LogSegment[] segments, final Cleanable cleanable) throws IOException
    {
        map.clear();
        for (int i = cleanable.firstDirtyIndex; i < cleanable.count; i++)
        {
            if (!mapSegment(segments[i], cleanable.firstDirtyOffset))
            {
                return i;
            }
        }
        return cleanable.count;
    }

    private boolean mapSegment(final LogSegment segment, final long fromOffset) throws IOException
    {
        iterator.reset(segment.file(), 0, segment.size());
        while (iterator.next())
        {
            checkNotCancelled();
            final RecordBatch header = iterator.batch();
            if (header.isCompressed() || header.isControl() || header.lastOffset() < fromOffset)
            {
                continue;
            }
            final RecordBatch batch = iterator.loadBatch();
            int recordAt = batch.recordsOffset();
            for (int i = 0; i < batch.recordsCount(); i++)
            {
                record.wrap(batch.buffer(), recordAt, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
                recordAt += record.totalLength();
                if (record.keyLength() >= 0 && record.offset() >= fromOffset &&
                    !map.put(record.buffer(), record.keyOffset(), record.keyLength(), record.offset()))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void collectProducers(final LogSegment[] segments) throws IOException
    {
        lastBatchOfProducer.clear();
        for (final LogSegment segment : segments)
        {
            iterator.reset(segment.file(), 0, segment.size());
            while (iterator.next())
            {
                final RecordBatch header = iterator.batch();
                if (header.producerId() >= 0)
                {
                    lastBatchOfProducer.put(header.producerId(), header.baseOffset());
                }
            }
        }
    }

    /**
     * The end of the group starting at {@code from}: as many segments as fit in one, at least one.
     */
    private static int groupEnd(final LogSegment[] segments, final int from, final int end, final int segmentBytes)
    {
        long bytes = segments[from].size();
        int to = from + 1;
        while (to < end && bytes + segments[to].size() <= segmentBytes &&
            segments[to + 1].baseOffset() - segments[from].baseOffset() <= Integer.MAX_VALUE)
        {
            bytes += segments[to].size();
            to++;
        }
        return to;
    }

    private CompactedSegments.Group copyGroup(
        final CleanedSegmentWriter writer, final LogSegment[] segments, final int from, final int to)
        throws IOException
    {
        long bytes = 0;
        for (int i = from; i < to; i++)
        {
            bytes += segments[i].size();
        }
        writer.begin(segments[from].baseOffset(), bytes);
        final boolean changed;
        final LogSegment cleaned;
        try
        {
            for (int i = from; i < to; i++)
            {
                copySegment(writer, segments[i]);
            }
            changed = writer.changed();
        }
        catch (final IOException | RuntimeException ex)
        {
            writer.abort();
            throw ex;
        }
        cleaned = writer.finish();
        return changed ? new CompactedSegments.Group(Arrays.copyOfRange(segments, from, to), cleaned) : null;
    }

    private void copySegment(final CleanedSegmentWriter writer, final LogSegment segment) throws IOException
    {
        iterator.reset(segment.file(), 0, segment.size());
        while (iterator.next())
        {
            checkNotCancelled();
            final RecordBatch batch = iterator.loadBatch();
            if (batch.isCompressed() || batch.isControl())
            {
                writer.copy(batch);
                continue;
            }
            final Long producersLast = batch.producerId() >= 0 ? lastBatchOfProducer.get(batch.producerId()) : null;
            writer.filter(batch, this::keep, producersLast != null && producersLast == batch.baseOffset());
        }
    }

    private void checkNotCancelled() throws IOException
    {
        if (cancelled)
        {
            throw new IOException("compaction cancelled: the cleaner is stopping");
        }
    }

    private boolean keep(final RecordBatch batch, final Record candidate)
    {
        if (candidate.keyLength() < 0)
        {
            // A compacted log keeps records by key: one without is dropped, as Kafka's cleaner drops it.
            return false;
        }
        if (map.get(candidate.buffer(), candidate.keyOffset(), candidate.keyLength()) > candidate.offset())
        {
            return false;
        }
        return candidate.valueLength() >= 0 || batch.maxTimestamp() > deleteHorizonMs;
    }
}
