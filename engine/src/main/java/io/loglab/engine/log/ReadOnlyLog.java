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
public final class ReadOnlyLog extends ReadableLog implements AutoCloseable
{
    private final long logStartOffset;
    private final long logEndOffset;
    private final long durableEndOffset;
    private final List<LogFinding> findings;
    private final List<Path> foreignFiles;

    private ReadOnlyLog(
        final Path dir,
        final LogConfig config,
        final List<LogSegment> segments,
        final long logStartOffset,
        final long logEndOffset,
        final long durableEndOffset,
        final List<LogFinding> findings,
        final List<Path> foreignFiles,
        final LeaderEpochCache epochCache)
    {
        super(dir, config, new LogSegments(segments), epochCache);
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.durableEndOffset = durableEndOffset;
        this.findings = List.copyOf(findings);
        this.foreignFiles = List.copyOf(foreignFiles);
    }

    /**
     * Open a read-only view of the log in {@code dir}; a directory that does not exist yet (a partition never
     * written) reads as an empty log.
     *
     * @throws IOException if {@code dir} is not a directory or a file in it cannot be read.
     */
    public static ReadOnlyLog open(final Path dir, final LogConfig config) throws IOException
    {
        final LogConfig concluded = config.concludedIfNeeded();
        if (!Files.exists(dir))
        {
            return new ReadOnlyLog(dir, concluded, List.of(), 0, 0, 0, List.of(), List.of(),
                new LeaderEpochCache(null, List.of()));
        }
        if (!Files.isDirectory(dir))
        {
            throw new IOException(dir + " is not a partition directory");
        }
        final LogAnalysis analysis = LogAnalysis.of(dir, concluded, LogAnalysis.Depth.TRUSTING);
        analysis.closeAllBut(analysis.kept);
        final List<LogSegment> kept = new ArrayList<>();
        final LeaderEpochCache epochs = new LeaderEpochCache(null,
            analysis.recordedEpochs == null ? List.of() : analysis.recordedEpochs);
        for (final SegmentScan scan : analysis.kept)
        {
            kept.add(scan.segment);
            scan.epochs.forEach(epochs::assignInMemoryIfNewer);
        }
        final long end = analysis.logEndOffset();
        return new ReadOnlyLog(dir, concluded, kept, analysis.logStartOffset(), end,
            analysis.cleanShutdown ? end : Math.min(analysis.recoveryPoint, end), analysis.findings, analysis.foreign,
            epochs);
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

    /**
     * Release the files; readers still using the view get exceptions.
     */
    @Override
    public void close()
    {
        for (final LogSegment segment : segments().acquire())
        {
            segment.release();
        }
        segments().replace(List.of());
    }
}
