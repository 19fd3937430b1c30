package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * What any thread may do with a partition's log: read its offsets and sizes (each a moment's view, loaded with
 * acquire semantics) and take a {@link LogReader}. Nothing here changes the log; its write side belongs to the one
 * thread that owns it. Two kinds exist: a writer's {@link PartitionLog} and a {@link ReadOnlyLog} view.
 */
public abstract class ReadableLog
{
    private final Path dir;
    private final LogConfig config;
    private final LogSegments segments;
    private final LeaderEpochCache epochCache;

    ReadableLog(final Path dir, final LogConfig config, final LogSegments segments, final LeaderEpochCache epochCache)
    {
        this.dir = dir;
        this.config = config;
        this.segments = segments;
        this.epochCache = epochCache;
    }

    public final Path dir()
    {
        return dir;
    }

    public final LogConfig config()
    {
        return config;
    }

    /**
     * First offset still in the log.
     */
    public abstract long logStartOffset();

    /**
     * Offset the next batch appended will get; every offset below it is readable by replicas.
     */
    public abstract long logEndOffset();

    /**
     * Offset below which consumers may read: every offset below it is committed. At most {@link #logEndOffset()}.
     */
    public abstract long highWatermark();

    /**
     * Offset below which every batch is known to be on storage (fsynced).
     */
    public abstract long durableEndOffset();

    /**
     * The leader epochs of the log's batches.
     */
    public final LeaderEpochCache epochCache()
    {
        return epochCache;
    }

    /**
     * Bytes in all segments.
     */
    public final long sizeInBytes()
    {
        return segments.sizeInBytes();
    }

    public final int segmentCount()
    {
        return segments.acquire().length;
    }

    /**
     * A reader for one thread; each reading thread takes its own.
     */
    public final LogReader newReader()
    {
        return new LogReader(this);
    }

    final LogSegments segments()
    {
        return segments;
    }
}
