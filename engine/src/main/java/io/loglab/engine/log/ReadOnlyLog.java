package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A view of a partition's log that changes nothing: for {@code consume}, {@code topic describe} and any reader that
 * is not the log's writer. It needs no write permission and no lock, and may be opened while another process writes
 * the log: it serves the complete batches on disk when it was opened, a moment's state, up to the first damage a
 * writer would not keep ({@link #findings()} says what that is). Indexes are copied into memory (never mapped: the
 * writing process may cut its files) or rebuilt from the batches, as {@link LogAnalysis} decides.
 * <p>
 * Its high watermark is its log end offset: everything on disk is served. Threading: any thread, as
 * {@link ReadableLog}; {@link #close()} once no reader needs it.
 */
public final class ReadOnlyLog implements ReadableLog, AutoCloseable
{
    private final Path dir;
    private final LogConfig config;
    private final LogSegments segments;
    private final long logStartOffset;
    private final long logEndOffset;
    private final long durableEndOffset;
    private final List<LogFinding> findings;
    private final List<Path> foreignFiles;
    private final LeaderEpochCache epochCache;

    private ReadOnlyLog(final LogAnalysis analysis, final List<LogSegment> segments)
    {
        this.dir = analysis.dir;
        this.config = analysis.config;
        this.segments = new LogSegments(segments);
        this.logEndOffset = analysis.logEndOffset();
        this.logStartOffset = analysis.logStartOffset();
        this.durableEndOffset = analysis.cleanShutdown ? logEndOffset : Math.min(analysis.recoveryPoint, logEndOffset);
        this.findings = List.copyOf(analysis.findings);
        this.foreignFiles = List.copyOf(analysis.foreign);
        final LeaderEpochCache cache = new LeaderEpochCache(null,
            analysis.recordedEpochs == null ? List.of() : analysis.recordedEpochs);
        for (final SegmentScan scan : analysis.kept)
        {
            scan.epochs.forEach(cache::assignInMemoryIfNewer);
        }
        this.epochCache = cache;
    }

    /**
     * Open a read-only view of the log in {@code dir}.
     *
     * @throws IOException if {@code dir} is not a directory or a file in it cannot be read.
     */
    public static ReadOnlyLog open(final Path dir, final LogConfig config) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IOException("no partition directory at " + dir);
        }
        final LogAnalysis analysis = LogAnalysis.of(dir, config.concludedIfNeeded(), LogAnalysis.Depth.TRUSTING);
        analysis.closeAllBut(analysis.kept);
        final List<LogSegment> kept = new ArrayList<>();
        for (final SegmentScan scan : analysis.kept)
        {
            kept.add(scan.segment);
        }
        return new ReadOnlyLog(analysis, kept);
    }

    /**
     * What a writer's open would find and do here; nothing has been done.
     */
    public List<LogFinding> findings()
    {
        return findings;
    }

    /**
     * Files in the directory the engine did not create; left alone.
     */
    public List<Path> foreignFiles()
    {
        return foreignFiles;
    }

    public LeaderEpochCache epochCache()
    {
        return epochCache;
    }

    @Override
    public Path dir()
    {
        return dir;
    }

    @Override
    public LogConfig config()
    {
        return config;
    }

    @Override
    public long logStartOffset()
    {
        return logStartOffset;
    }

    @Override
    public long logEndOffset()
    {
        return logEndOffset;
    }

    @Override
    public long highWatermark()
    {
        return logEndOffset;
    }

    @Override
    public long durableEndOffset()
    {
        return durableEndOffset;
    }

    @Override
    public long sizeInBytes()
    {
        return segments.sizeInBytes();
    }

    @Override
    public int segmentCount()
    {
        return segments.acquire().length;
    }

    @Override
    public LogReader newReader()
    {
        return new LogReader(this, segments);
    }

    /**
     * Release the files; readers still using the view get exceptions.
     */
    @Override
    public void close()
    {
        for (final LogSegment segment : segments.acquire())
        {
            segment.release();
        }
        segments.replace(List.of());
    }
}
