package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a partition's log for its writer (Kafka's {@code LogLoader}): carries out what {@link LogAnalysis} decided
 * and returns what was loaded. Only here does opening change files, and only in the ways the analysis names: the
 * clean-shutdown marker is removed first (so a crash during the open is not mistaken for a clean shutdown), strays
 * and junk tails go to {@link Quarantine}, a torn tail is cut, leftovers of interrupted steps are removed, derived
 * files are rewritten. When the analysis found damage a writer must not repair on its own, nothing is changed and
 * {@link LogNeedsRepairException} is thrown, unless this is {@code loglab repair}, which truncates the log at that
 * damage and quarantines everything after it.
 */
final class LogLoader
{
    /**
     * What the writer starts from.
     *
     * @param segments              writable segments, the last one active.
     * @param recoveryPoint         base offset of the active segment, or lower: from here a crash is recovered.
     * @param durableEndOffset      offset below which everything is known to be on storage.
     * @param recordedRecoveryPoint the recovery point checkpoint, or {@link OffsetCheckpoint#ABSENT}.
     * @param recordedLogStartOffset the log start offset checkpoint, or {@link OffsetCheckpoint#ABSENT}.
     * @param recordedHighWatermark the high watermark checkpoint, or {@link OffsetCheckpoint#ABSENT}.
     * @param findings              what was found and done, for the user.
     */
    record Loaded(
        List<LogSegment> segments,
        long logStartOffset,
        long logEndOffset,
        long recoveryPoint,
        long durableEndOffset,
        long recordedRecoveryPoint,
        long recordedLogStartOffset,
        long recordedHighWatermark,
        LeaderEpochCache epochCache,
        List<LogFinding> findings)
    {
    }

    private LogLoader()
    {
    }

    /**
     * @param repair truncate at damage a writer would refuse, instead of refusing.
     * @throws LogNeedsRepairException when {@code !repair} and the log has damage only a repair may cut.
     */
    static Loaded load(final Path dir, final LogConfig config, final boolean repair) throws IOException
    {
        // Before the analysis, so that it sees the segments the interrupted compaction decided on.
        final List<LogFinding> swapped = CompactionSwap.completeInterrupted(dir);
        final LogAnalysis analysis = LogAnalysis.of(dir, config, LogAnalysis.Depth.TRUSTING);
        try
        {
            if (analysis.needsRepair != null && !repair)
            {
                throw new LogNeedsRepairException(dir + ": " + analysis.needsRepair, analysis.findings);
            }
            return apply(analysis, repair, swapped);
        }
        finally
        {
            analysis.close();
        }
    }

    private static Loaded apply(final LogAnalysis analysis, final boolean repair, final List<LogFinding> swapped)
        throws IOException
    {
        final Path dir = analysis.dir;
        final List<LogFinding> done = new ArrayList<>(swapped);
        if (analysis.cleanShutdown)
        {
            Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
            FileSync.syncDirectory(dir);
        }
        final Quarantine quarantine = new Quarantine(dir);
        final List<SegmentScan> kept = new ArrayList<>(analysis.kept);
        final List<SegmentScan> tails = new ArrayList<>(analysis.quarantinedTails);
        final List<SegmentScan> strays = new ArrayList<>(analysis.strays);
        final List<LogFinding> strayFindings = new ArrayList<>(analysis.straysFound);
        if (analysis.needsRepair != null && repair)
        {
            truncateForRepair(analysis, kept, tails, strays, strayFindings);
        }
        for (int i = 0; i < strays.size(); i++)
        {
            final SegmentScan stray = strays.get(i);
            stray.close();
            final Path target = quarantine.moveFile(stray.logFile, strayFindings.get(i));
            for (final Path index : List.of(LogFiles.offsetIndexFile(dir, stray.baseOffset),
                LogFiles.timeIndexFile(dir, stray.baseOffset)))
            {
                if (Files.exists(index))
                {
                    quarantine.moveFile(index, strayFindings.get(i));
                }
            }
            done.add(strayFindings.get(i).withAction("moved to " + target));
        }
        for (final SegmentScan segment : tails)
        {
            final LogFinding why = new LogFinding(LogFinding.Kind.QUARANTINED, segment.logFile, segment.validEnd,
                "", segment.damage == null ? "bytes after the last sound batch" : segment.damage.reason(), "");
            final Path target = quarantine.copyTail(segment.logFile, segment.validEnd, why);
            done.add(why.withAction(segment.bytesAfterValidEnd() + " bytes moved to " + target + " and cut"));
        }
        for (final Path leftover : analysis.leftovers)
        {
            Files.deleteIfExists(leftover);
        }
        for (final SegmentScan below : analysis.belowLogStart)
        {
            below.close();
            Files.deleteIfExists(below.logFile);
            Files.deleteIfExists(LogFiles.offsetIndexFile(dir, below.baseOffset));
            Files.deleteIfExists(LogFiles.timeIndexFile(dir, below.baseOffset));
        }
        for (final LogFinding finding : analysis.findings)
        {
            if (finding.kind() == LogFinding.Kind.TORN_TAIL || finding.kind() == LogFinding.Kind.REBUILT ||
                finding.kind() == LogFinding.Kind.LEFTOVER || finding.kind() == LogFinding.Kind.OFFSETS_MISSING)
            {
                done.add(finding.withAction(doneAction(finding)));
            }
        }

        final List<LogSegment> segments = openWritable(analysis, kept);
        FileSync.syncDirectory(dir);
        final long logEnd = segments.get(segments.size() - 1).nextOffset();
        final long logStart = kept.isEmpty() ? logEnd : Math.min(analysis.logStartOffset(), logEnd);
        final LogSegment active = segments.get(segments.size() - 1);
        final long recoveryPoint = analysis.cleanShutdown ?
            active.baseOffset() : Math.min(analysis.recoveryPoint, active.baseOffset());
        final long durable = analysis.cleanShutdown ? logEnd : Math.min(analysis.recoveryPoint, logEnd);
        final LeaderEpochCache epochs = epochCache(analysis, kept, logStart, logEnd);
        return new Loaded(segments, logStart, logEnd, recoveryPoint, durable, analysis.recordedRecoveryPoint,
            analysis.recordedLogStartOffset, analysis.recordedHighWatermark, epochs, done);
    }

    private static String doneAction(final LogFinding finding)
    {
        return switch (finding.kind())
        {
            case TORN_TAIL -> "cut " + finding.action().replaceFirst("^a writer's open cuts ", "");
            case REBUILT -> "rebuilt from the batches";
            case LEFTOVER -> "removed";
            default -> finding.action();
        };
    }

    /**
     * {@code loglab repair}: end the log where the analysis refused it, quarantining the rest of that segment and
     * every segment after it.
     */
    private static void truncateForRepair(
        final LogAnalysis analysis,
        final List<SegmentScan> kept,
        final List<SegmentScan> tails,
        final List<SegmentScan> strays,
        final List<LogFinding> strayFindings)
    {
        final SegmentScan last = kept.get(analysis.repairFrom);
        while (kept.size() > analysis.repairFrom + 1)
        {
            kept.remove(kept.size() - 1);
        }
        if (last.bytesAfterValidEnd() > 0 && !tails.contains(last))
        {
            tails.add(last);
        }
        for (final SegmentScan scan : analysis.scanned)
        {
            if (scan.baseOffset > last.baseOffset && !strays.contains(scan))
            {
                strays.add(scan);
                strayFindings.add(new LogFinding(LogFinding.Kind.QUARANTINED, scan.logFile, 0,
                    LogFinding.offsets(scan.baseOffset, Math.max(scan.nextOffset, scan.baseOffset)),
                    "after the damage repair truncated the log at (" + analysis.needsRepair.file().getFileName() +
                    " byte " + analysis.needsRepair.position() + ")", ""));
            }
        }
    }

    private static List<LogSegment> openWritable(final LogAnalysis analysis, final List<SegmentScan> kept)
        throws IOException
    {
        final List<LogSegment> segments = new ArrayList<>();
        try
        {
            for (int i = 0; i < kept.size(); i++)
            {
                final SegmentScan scan = kept.get(i);
                final boolean active = i == kept.size() - 1;
                if (!active && scan.indexesRebuilt)
                {
                    // Indexes rebuilt in memory lack the entry a roll adds for the largest timestamp.
                    scan.segment.onBecomeInactive();
                }
                segments.add(writable(analysis.dir, analysis.config, scan, active));
            }
            if (segments.isEmpty())
            {
                segments.add(createSegment(analysis.dir, analysis.logEndOffset(), analysis.config));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            segments.forEach(LogSegment::release);
            throw ex;
        }
        return segments;
    }

    /**
     * The writer's segment for a scanned file: opened writable, cut to its sound part, indexes persisted (when
     * rebuilt) and mapped, mutable when it is the active one.
     */
    static LogSegment writable(final Path dir, final LogConfig config, final SegmentScan scan, final boolean active)
        throws IOException
    {
        final LogSegment view = scan.segment;
        if (scan.indexesRebuilt)
        {
            view.offsetIndex().writeEntriesToFile();
            view.timeIndex().writeEntriesToFile();
        }
        final SegmentFile file = SegmentFile.open(scan.logFile, true);
        try
        {
            if (file.fileSize() > scan.validEnd)
            {
                file.truncateTo(scan.validEnd);
            }
            file.positionForAppend(scan.validEnd);
            final LogSegment segment = withIndexes(dir, scan.baseOffset, file, config,
                view.offsetIndex().entriesPlain(), view.timeIndex().entriesPlain(), active);
            segment.restoreState(view);
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * Create an empty active segment at {@code baseOffset}, replacing any index files left under its name.
     */
    static LogSegment createSegment(final Path dir, final long baseOffset, final LogConfig config) throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        Files.deleteIfExists(LogFiles.offsetIndexFile(dir, baseOffset));
        Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
        final SegmentFile file = SegmentFile.create(logFile);
        try
        {
            return withIndexes(dir, baseOffset, file, config, 0, 0, true);
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(LogFiles.offsetIndexFile(dir, baseOffset));
            Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
            throw ex;
        }
    }

    private static LogSegment withIndexes(
        final Path dir,
        final long baseOffset,
        final SegmentFile file,
        final LogConfig config,
        final int offsetEntries,
        final int timeEntries,
        final boolean mutable) throws IOException
    {
        // An entry needs more than index.interval.bytes of log since the last one, so a segment never needs more
        // entries than this; mapping no more keeps small segments from reserving index space they cannot use.
        final long entriesNeeded = config.segmentBytes() / config.indexIntervalBytes() + 2;
        final int maxIndexBytes = (int)Math.min(config.segmentIndexBytes(), entriesNeeded * TimeIndex.ENTRY_SIZE);
        final OffsetIndex offsetIndex = new OffsetIndex(
            LogFiles.offsetIndexFile(dir, baseOffset), baseOffset, offsetEntries, maxIndexBytes, mutable);
        try
        {
            final TimeIndex timeIndex = new TimeIndex(
                LogFiles.timeIndexFile(dir, baseOffset), baseOffset, timeEntries, maxIndexBytes, mutable);
            return new LogSegment(baseOffset, file, offsetIndex, timeIndex, config.indexIntervalBytes());
        }
        catch (final IOException | RuntimeException ex)
        {
            offsetIndex.close();
            throw ex;
        }
    }

    private static LeaderEpochCache epochCache(
        final LogAnalysis analysis, final List<SegmentScan> kept, final long logStart, final long logEnd)
        throws IOException
    {
        final LeaderEpochCache cache = new LeaderEpochCache(
            new LeaderEpochCheckpointFile(analysis.dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT)),
            analysis.recordedEpochs == null ? List.of() : analysis.recordedEpochs);
        // Rebuilt: write it unless there is nothing to say and no file to replace (a new log).
        boolean changed = analysis.recordedEpochs == null &&
            Files.exists(analysis.dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        for (final SegmentScan scan : kept)
        {
            // Batches written after the checkpoint last changed (a crash before it was rewritten) still count.
            for (final LeaderEpochCache.EpochEntry entry : scan.epochs)
            {
                changed |= cache.assignInMemoryIfNewer(entry);
            }
        }
        cache.truncateFromEnd(logEnd);
        cache.truncateFromStart(logStart);
        if (changed || (analysis.recordedEpochs == null && !cache.entries().isEmpty()))
        {
            cache.persist();
        }
        return cache;
    }
}
