package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a partition directory without changing it and says what state it is in: every batch's lengths, magic, CRC
 * and record framing, offsets contiguous within and across segments, and the index files a writer would trust,
 * judged by the same rules a writer's open applies ({@link LogAnalysis}). What {@code loglab verify} runs; safe on a
 * log another process has open, though it then sees a moment's state (and may see the batch being written as a torn
 * tail).
 */
public final class LogVerifier
{
    /**
     * What a partition directory's state means for its data.
     */
    public enum Status
    {
        /** Sound; at most derived files to rebuild or leftovers to remove, which lose nothing. */
        CLEAN,
        /** Sound but for the torn tail a crash leaves, which the next writer open cuts. */
        TORN_TAIL,
        /** Damage: see the findings for what the next writer open or {@code loglab repair} does. */
        DAMAGED
    }

    /**
     * @param status       the verdict.
     * @param segments     segment files kept.
     * @param batches      sound batches read in them.
     * @param startOffset  first offset kept.
     * @param endOffset    offset after the last sound batch kept.
     * @param findings     everything found, damage or not, in the order found.
     * @param foreignFiles files the engine did not create, left alone.
     */
    public record Result(
        Status status,
        int segments,
        long batches,
        long startOffset,
        long endOffset,
        List<LogFinding> findings,
        List<Path> foreignFiles)
    {
    }

    private LogVerifier()
    {
    }

    /**
     * Verify one partition directory.
     *
     * @throws IOException if it is not a directory or a file in it cannot be read.
     */
    public static Result verify(final Path dir, final LogConfig config) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IOException("no partition directory at " + dir);
        }
        final LogAnalysis analysis = LogAnalysis.of(dir, config.concludedIfNeeded(), LogAnalysis.Depth.EVERYTHING);
        try
        {
            long batches = 0;
            for (final SegmentScan scan : analysis.kept)
            {
                batches += scan.batches;
            }
            Status status = Status.CLEAN;
            for (final LogFinding finding : analysis.findings)
            {
                if (finding.kind().isDamage())
                {
                    status = Status.DAMAGED;
                }
                else if (finding.kind() == LogFinding.Kind.TORN_TAIL && status == Status.CLEAN)
                {
                    status = Status.TORN_TAIL;
                }
            }
            return new Result(status, analysis.kept.size(), batches, analysis.logStartOffset(),
                analysis.logEndOffset(), List.copyOf(analysis.findings), List.copyOf(analysis.foreign));
        }
        finally
        {
            analysis.close();
        }
    }
}
