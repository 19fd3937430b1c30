package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * What any thread may do with a partition's log: read its offsets and sizes (each a moment's view, loaded with
 * acquire semantics) and take a {@link LogReader}. Nothing here changes the log; its write side belongs to the one
 * thread that owns it.
 */
public interface ReadableLog
{
    Path dir();

    LogConfig config();

    /**
     * First offset still in the log.
     */
    long logStartOffset();

    /**
     * Offset the next batch appended will get; every offset below it is readable by replicas.
     */
    long logEndOffset();

    /**
     * Offset below which consumers may read: every offset below it is committed. At most {@link #logEndOffset()}.
     */
    long highWatermark();

    /**
     * Offset below which every batch is known to be on storage (fsynced).
     */
    long durableEndOffset();

    /**
     * Bytes in all segments.
     */
    long sizeInBytes();

    int segmentCount();

    /**
     * A reader for one thread; each reading thread takes its own.
     */
    LogReader newReader();
}
