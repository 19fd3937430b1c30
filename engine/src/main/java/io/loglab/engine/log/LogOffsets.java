package io.loglab.engine.log;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * A log's offsets and their checkpoints: log start, log end, high watermark, durable end, and the recovery point.
 * The rules that tie them together live here: the high watermark lies between the log start and end offsets and,
 * for a log no one replicates, is the log end offset; the log start offset is recorded before the segments below it
 * are removed, so a segment found below it on open is known to be retention's leftover.
 * <p>
 * Threading: the log's writer thread changes every offset and publishes it with a release store, but for the high
 * watermark of a replicated log, which the replication node raises from its own thread; readers load them with
 * acquire semantics from any thread. The recovery point and the checkpoint files are the writer's alone.
 */
final class LogOffsets
{
    private static final VarHandle LOG_START_OFFSET;
    private static final VarHandle LOG_END_OFFSET;
    private static final VarHandle HIGH_WATERMARK;
    private static final VarHandle DURABLE_END_OFFSET;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOG_START_OFFSET = lookup.findVarHandle(LogOffsets.class, "logStartOffset", long.class);
            LOG_END_OFFSET = lookup.findVarHandle(LogOffsets.class, "logEndOffset", long.class);
            HIGH_WATERMARK = lookup.findVarHandle(LogOffsets.class, "highWatermark", long.class);
            DURABLE_END_OFFSET = lookup.findVarHandle(LogOffsets.class, "durableEndOffset", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PartitionLog.HighWatermarkPolicy policy;
    private final OffsetCheckpoint recoveryPointFile;
    private final OffsetCheckpoint logStartOffsetFile;
    private final OffsetCheckpoint highWatermarkFile;

    /** Writer: release store when retention or truncation removes segments. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long logStartOffset;
    /** Writer: release store after the batches below it are written and indexed. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long logEndOffset;
    /**
     * Writer: release store, never above the log end offset; a replication node's thread raises it by
     * compare-and-set ({@link #highWatermark(long)}), as does retention. Readers: acquire load.
     */
    @SuppressWarnings("unused")
    private volatile long highWatermark;
    /** Writer: release store after an fsync. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long durableEndOffset;

    /** Writer thread only: base offset of the first segment a crash would make recovery scan. */
    private long recoveryPoint;

    LogOffsets(final Path dir, final PartitionLog.HighWatermarkPolicy policy, final LogLoader.Loaded loaded)
    {
        this.policy = policy;
        this.recoveryPointFile = new OffsetCheckpoint(dir.resolve(LogFiles.RECOVERY_POINT));
        this.logStartOffsetFile = new OffsetCheckpoint(dir.resolve(LogFiles.LOG_START_OFFSET));
        this.highWatermarkFile = new OffsetCheckpoint(dir.resolve(LogFiles.HIGH_WATERMARK));
        final long start = loaded.logStartOffset();
        final long end = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        LOG_START_OFFSET.setRelease(this, start);
        LOG_END_OFFSET.setRelease(this, end);
        DURABLE_END_OFFSET.setRelease(this, loaded.durableEndOffset());
        HIGH_WATERMARK.setRelease(this, policy == PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END ? end :
            clamp(loaded.recordedHighWatermark(), start, end));
    }

    /**
     * Writer thread, once opened: record the recovery point and log start offset the open arrived at, when they
     * differ from what the files say.
     */
    void checkpointAfterOpen(final LogLoader.Loaded loaded) throws IOException
    {
        if (differs(loaded.recordedRecoveryPoint(), recoveryPoint))
        {
            recoveryPointFile.write(recoveryPoint);
        }
        if (differs(loaded.recordedLogStartOffset(), logStartOffsetPlain()))
        {
            logStartOffsetFile.write(logStartOffsetPlain());
        }
    }

    /**
     * A checkpoint needs writing when it says something else; an absent one says 0.
     */
    private static boolean differs(final long recorded, final long offset)
    {
        return recorded != offset && !(recorded == OffsetCheckpoint.ABSENT && offset == 0);
    }

    long logStartOffset()
    {
        return (long)LOG_START_OFFSET.getAcquire(this);
    }

    long logEndOffset()
    {
        return (long)LOG_END_OFFSET.getAcquire(this);
    }

    long highWatermark()
    {
        return (long)HIGH_WATERMARK.getAcquire(this);
    }

    long durableEndOffset()
    {
        return (long)DURABLE_END_OFFSET.getAcquire(this);
    }

    /**
     * The writer's own view of the log end offset.
     */
    long logEndOffsetPlain()
    {
        return (long)LOG_END_OFFSET.get(this);
    }

    private long logStartOffsetPlain()
    {
        return (long)LOG_START_OFFSET.get(this);
    }

    long recoveryPoint()
    {
        return recoveryPoint;
    }

    /**
     * Writer thread: batches up to {@code endOffset} are written and indexed.
     */
    void onAppended(final long endOffset)
    {
        LOG_END_OFFSET.setRelease(this, endOffset);
        if (policy == PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END)
        {
            HIGH_WATERMARK.setRelease(this, endOffset);
        }
    }

    /**
     * Writer thread: everything below {@code offset} is on storage.
     */
    void onDurable(final long offset)
    {
        if ((long)DURABLE_END_OFFSET.get(this) < offset)
        {
            DURABLE_END_OFFSET.setRelease(this, offset);
        }
    }

    boolean isDurableTo(final long offset)
    {
        return (long)DURABLE_END_OFFSET.get(this) >= offset;
    }

    /**
     * Writer thread: a crash now need recover only from {@code offset}, a segment's base offset.
     */
    void moveRecoveryPoint(final long offset) throws IOException
    {
        recoveryPoint = offset;
        recoveryPointFile.write(offset);
    }

    /**
     * Any thread (a replication node's): raise replication's high watermark to {@code offset}, clamped to the log
     * end offset, never lowering it. Only a truncation lowers it, and the node never raises it while a truncation it
     * asked for runs; retention raises it too, and both raise by compare-and-set, so neither undoes the other.
     *
     * @throws IllegalStateException if the high watermark follows the log end offset.
     */
    void highWatermark(final long offset)
    {
        if (policy != PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION)
        {
            throw new IllegalStateException("this log's high watermark follows its log end offset");
        }
        raiseHighWatermark(Math.min(offset, (long)LOG_END_OFFSET.getAcquire(this)));
    }

    private void raiseHighWatermark(final long target)
    {
        long current;
        do
        {
            current = (long)HIGH_WATERMARK.getAcquire(this);
            if (target <= current)
            {
                return;
            }
        }
        while (!HIGH_WATERMARK.compareAndSet(this, current, target));
    }

    /**
     * Writer thread: retention removed the segments below {@code offset}. Recorded before the files go.
     */
    void moveLogStartOffset(final long offset) throws IOException
    {
        logStartOffsetFile.write(offset);
        LOG_START_OFFSET.setRelease(this, offset);
        raiseHighWatermark(offset);
    }

    /**
     * Writer thread: the log was truncated to run from {@code startOffset} to {@code endOffset}, its active segment
     * starting at {@code activeBase}.
     */
    void onTruncated(final long startOffset, final long endOffset, final long activeBase) throws IOException
    {
        if (startOffset != logStartOffsetPlain())
        {
            moveLogStartOffset(startOffset);
        }
        LOG_END_OFFSET.setRelease(this, endOffset);
        final long hw = policy == PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END ? endOffset :
            clamp((long)HIGH_WATERMARK.get(this), startOffset, endOffset);
        HIGH_WATERMARK.setRelease(this, hw);
        DURABLE_END_OFFSET.setRelease(this, clamp((long)DURABLE_END_OFFSET.get(this), startOffset, endOffset));
        moveRecoveryPoint(clamp(recoveryPoint, startOffset, activeBase));
    }

    /**
     * Writer thread, closing cleanly with everything flushed: the active segment is where a crash would start.
     */
    void checkpointOnClose(final long activeBase) throws IOException
    {
        moveRecoveryPoint(activeBase);
        highWatermarkFile.write((long)HIGH_WATERMARK.get(this));
        DURABLE_END_OFFSET.setRelease(this, logEndOffsetPlain());
    }

    private static long clamp(final long value, final long low, final long high)
    {
        return Math.min(Math.max(value, low), high);
    }
}
