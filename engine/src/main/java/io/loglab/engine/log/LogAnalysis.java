package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a partition directory holds and what a writer's open would make of it, found without changing a byte: the
 * first step of every open (writer, read-only view, {@code verify}, {@code repair}).
 * <p>
 * <b>The rules.</b> Segments are taken in base-offset order; each must continue the offsets of the one kept before
 * it, and within a segment each batch those of the batch before it, except below the offset the cleaner has compacted
 * to ({@link CleanerCheckpoint}), where offsets skip the batches compaction removed.
 * <ul>
 *     <li>A crash can only leave a torn tail in the last segment: bad bytes there with no sound batch after them are
 *     a {@link LogFinding.Kind#TORN_TAIL}, which a writer cuts.</li>
 *     <li>Bad bytes after the last sound batch of an earlier segment, when the next segment continues exactly where
 *     the sound part ends, hold no offset the log needs: they are {@link LogFinding.Kind#QUARANTINED} (copied to the
 *     partition's {@code quarantine/} and cut), and every later segment is kept.</li>
 *     <li>A segment file with no sound batch anywhere in it, or named for offsets the segment before already holds, is
 *     a stray: the whole file is quarantined, and the segments around it stay as they were.</li>
 *     <li>Anything else would cut intact batches or leave a gap in the offsets: damage with sound batches after it,
 *     or a segment starting after the offset the previous one ends at. That is {@link LogFinding.Kind#NEEDS_REPAIR}:
 *     a writer refuses the partition, changing nothing, and {@code loglab repair} truncates at the first damage,
 *     quarantining everything after it, as Kafka's recovery would truncate (but without deleting).</li>
 *     <li>Derived files (indexes, the epoch checkpoint) are checked and rebuilt from the batches when missing,
 *     damaged or stale ({@link LogFinding.Kind#REBUILT}); interrupted steps' files are {@link LogFinding.Kind#LEFTOVER}
 *     and removed; files the engine does not name are foreign, left alone and listed.</li>
 * </ul>
 * Segments flushed before the recovery point (or all of them after a clean shutdown) are scanned from their last
 * index entry; the others, and every segment for {@code verify}, are read whole.
 */
final class LogAnalysis
{
    /**
     * How deep to look.
     */
    enum Depth
    {
        /** Trust what the recovery point and a clean shutdown vouch for: a writer's open, a read-only view. */
        TRUSTING,
        /** Read every batch and check every index that would be trusted: {@code verify}. */
        EVERYTHING
    }

    final Path dir;
    final LogConfig config;
    final boolean cleanShutdown;
    /** The recovery point as recorded; 0 when absent or unreadable (everything is scanned). */
    final long recoveryPoint;
    /** The recovery point file's value, {@link OffsetCheckpoint#ABSENT} or {@link OffsetCheckpoint#UNREADABLE}. */
    final long recordedRecoveryPoint;
    /** The log start offset as recorded, {@link OffsetCheckpoint#ABSENT} or {@link OffsetCheckpoint#UNREADABLE}. */
    final long recordedLogStartOffset;
    /** The high watermark as recorded, {@link OffsetCheckpoint#ABSENT} or {@link OffsetCheckpoint#UNREADABLE}. */
    final long recordedHighWatermark;
    /** The epoch checkpoint's entries, or null when absent or damaged (then rebuilt from the batches). */
    final List<LeaderEpochCache.EpochEntry> recordedEpochs;
    /** Offsets may skip below this, where compaction removed batches ({@link CleanerCheckpoint#compactedBelow}). */
    final long compactedBelow;

    /** Segments kept, in offset order; the last one takes appends. */
    final List<SegmentScan> kept = new ArrayList<>();
    /** Segment files moved whole to quarantine, each with why. */
    final List<LogFinding> straysFound = new ArrayList<>();
    final List<SegmentScan> strays = new ArrayList<>();
    /** Kept segments whose bytes after the sound part are moved to quarantine, then cut. */
    final List<SegmentScan> quarantinedTails = new ArrayList<>();
    /** Segments wholly below the recorded log start offset: what retention had removed. */
    final List<SegmentScan> belowLogStart = new ArrayList<>();
    /** Files of interrupted steps, removed by a writer. */
    final List<Path> leftovers = new ArrayList<>();
    /** Files the engine did not create: left alone. */
    final List<Path> foreign = new ArrayList<>();
    /** Everything found, in the order found, with the action planned. */
    final List<LogFinding> findings = new ArrayList<>();
    /** The damage a writer refuses to repair on its own, or null. */
    LogFinding needsRepair;
    /** Index in {@link #kept} of the segment holding that damage; kept.size() when it is a gap after the last. */
    int repairFrom = -1;
    /** Every segment scanned, kept or not, in offset order (for repair). */
    final List<SegmentScan> scanned = new ArrayList<>();

    private LogAnalysis(
        final Path dir,
        final LogConfig config,
        final boolean cleanShutdown,
        final long recoveryPoint,
        final long recordedLogStartOffset,
        final long recordedHighWatermark,
        final List<LeaderEpochCache.EpochEntry> recordedEpochs,
        final long compactedBelow)
    {
        this.dir = dir;
        this.config = config;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPoint = Math.max(recoveryPoint, 0);
        this.recordedRecoveryPoint = recoveryPoint;
        this.recordedLogStartOffset = recordedLogStartOffset;
        this.recordedHighWatermark = recordedHighWatermark;
        this.recordedEpochs = recordedEpochs;
        this.compactedBelow = compactedBelow;
    }

    /**
     * Look at {@code dir} and decide, changing nothing.
     *
     * @throws IOException if the directory or a segment file cannot be read.
     */
    static LogAnalysis of(final Path dir, final LogConfig config, final Depth depth) throws IOException
    {
        final List<LogFinding> checkpointFindings = new ArrayList<>();
        final boolean cleanShutdown = Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        final long recoveryPoint = readCheckpoint(dir, LogFiles.RECOVERY_POINT, checkpointFindings,
            "every segment is scanned");
        final long logStart = readCheckpoint(dir, LogFiles.LOG_START_OFFSET, checkpointFindings,
            "the first segment's base offset is used");
        final long highWatermark = readCheckpoint(dir, LogFiles.HIGH_WATERMARK, checkpointFindings,
            "the log start offset is used");
        final List<LeaderEpochCache.EpochEntry> epochs = readEpochs(dir, checkpointFindings);
        final LogAnalysis analysis = new LogAnalysis(dir, config, cleanShutdown,
            recoveryPoint, logStart, highWatermark, epochs, CleanerCheckpoint.compactedBelow(dir));
        analysis.findings.addAll(checkpointFindings);
        try
        {
            analysis.scanDirectory(depth);
        }
        catch (final IOException | RuntimeException ex)
        {
            analysis.close();
            throw ex;
        }
        return analysis;
    }

    private static long readCheckpoint(
        final Path dir, final String name, final List<LogFinding> findings, final String fallback) throws IOException
    {
        final OffsetCheckpoint checkpoint = new OffsetCheckpoint(dir.resolve(name));
        final long value = checkpoint.read();
        if (value == OffsetCheckpoint.UNREADABLE)
        {
            findings.add(new LogFinding(LogFinding.Kind.REBUILT, checkpoint.file(), 0, "",
                "not one non-negative offset", fallback + "; a writer rewrites it"));
        }
        return value;
    }

    private static List<LeaderEpochCache.EpochEntry> readEpochs(final Path dir, final List<LogFinding> findings)
        throws IOException
    {
        final LeaderEpochCheckpointFile file =
            new LeaderEpochCheckpointFile(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        try
        {
            return file.read();
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            findings.add(new LogFinding(LogFinding.Kind.REBUILT, file.file(), 0, "", ex.getMessage(),
                "rebuilt from the batches' leader epochs"));
            return null;
        }
    }

    private void scanDirectory(final Depth depth) throws IOException
    {
        final List<Long> baseOffsets = new ArrayList<>();
        final List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                switch (LogFiles.classify(name, Files.isDirectory(file)))
                {
                    case SEGMENT -> baseOffsets.add(LogFiles.baseOffset(name, LogFiles.LOG_SUFFIX));
                    case INDEX -> indexes.add(file);
                    case LEFTOVER -> leftovers.add(file);
                    case SWAP -> findings.add(new LogFinding(LogFinding.Kind.LEFTOVER, file, 0, "",
                        "a compacted copy whose swap was interrupted", "a writer's open swaps it in"));
                    case FOREIGN -> foreign.add(file);
                    case CHECKPOINT, QUARANTINE, SNAPSHOT ->
                    {
                        // Read above, read by the writer when it needs them, or never read back.
                    }
                }
            }
        }
        baseOffsets.sort(null);
        foreign.sort(null);
        for (final Path index : indexes)
        {
            final String name = index.getFileName().toString();
            final long base = Math.max(LogFiles.baseOffset(name, LogFiles.INDEX_SUFFIX),
                LogFiles.baseOffset(name, LogFiles.TIME_INDEX_SUFFIX));
            if (!baseOffsets.contains(base))
            {
                leftovers.add(index);
            }
        }
        leftovers.sort(null);
        for (final Path leftover : leftovers)
        {
            findings.add(new LogFinding(LogFinding.Kind.LEFTOVER, leftover, 0, "",
                "left by an interrupted retention, truncation, compaction or checkpoint write", "removed by a writer's open"));
        }

        final SegmentScanner scanner = new SegmentScanner(config, compactedBelow);
        for (int i = 0; i < baseOffsets.size(); i++)
        {
            final long base = baseOffsets.get(i);
            final boolean trusted = depth == Depth.TRUSTING &&
                (cleanShutdown || (i + 1 < baseOffsets.size() && baseOffsets.get(i + 1) <= recoveryPoint));
            final SegmentScan scan = trusted ? scanner.scanTrusted(dir, base) : scanner.scanWhole(dir, base);
            scanned.add(scan);
            if (depth == Depth.EVERYTHING &&
                (cleanShutdown || (i + 1 < baseOffsets.size() && baseOffsets.get(i + 1) <= recoveryPoint)))
            {
                scan.rebuilt.addAll(scanner.checkIndexFiles(dir, scan));
            }
        }
        decide();
        if (recordedEpochs == null)
        {
            for (final SegmentScan scan : kept)
            {
                if (!scan.scannedWhole)
                {
                    scanner.collectEpochs(scan);
                }
            }
        }
    }

    /**
     * Apply the rules to the scanned segments, in offset order.
     */
    private void decide()
    {
        for (int i = 0; i < scanned.size() && needsRepair == null; i++)
        {
            final SegmentScan scan = scanned.get(i);
            final boolean lastFile = i == scanned.size() - 1;
            final SegmentScan previous = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            final long expected = previous == null ? scan.baseOffset : previous.nextOffset;
            if (!scan.hasBatches() && !scan.intactAfterDamage && !(lastFile && scan.baseOffset == expected))
            {
                stray(scan, scan.fileSize == 0 ? "an empty segment file" :
                    "holds no sound batch of offset " + scan.baseOffset + " (" + describe(scan.damage) + ")");
                continue;
            }
            if (scan.baseOffset < expected)
            {
                stray(scan, "named for offset " + scan.baseOffset + ", inside the offsets the segment before holds (" +
                    LogFinding.offsets(previous.baseOffset, expected) + ")");
                continue;
            }
            if (previous != null && scan.baseOffset > expected && scan.baseOffset > compactedBelow)
            {
                refuse(kept.size() - 1, previous, scan);
                break;
            }
            if (previous != null && previous.damage != null)
            {
                quarantineTail(previous);
            }
            if (recordedLogStartOffset >= 0 && scan.hasBatches() && scan.nextOffset <= recordedLogStartOffset &&
                !lastFile)
            {
                belowLogStart.add(scan);
                findings.add(new LogFinding(LogFinding.Kind.LEFTOVER, scan.logFile, 0,
                    LogFinding.offsets(scan.baseOffset, scan.nextOffset),
                    "wholly below the log start offset " + recordedLogStartOffset, "retention removes it"));
                continue;
            }
            kept.add(scan);
            findings.addAll(scan.rebuilt);
        }
        if (needsRepair == null && !kept.isEmpty())
        {
            final SegmentScan last = kept.get(kept.size() - 1);
            if (last.damage != null && last.intactAfterDamage)
            {
                refuse(kept.size() - 1, last, null);
            }
            else if (last.damage != null)
            {
                findings.add(new LogFinding(LogFinding.Kind.TORN_TAIL, last.logFile, last.validEnd,
                    last.damage.offsets(), last.damage.reason(),
                    "a writer's open cuts the last " + last.bytesAfterValidEnd() + " bytes"));
            }
        }
        final long firstOffset = kept.isEmpty() ? -1 : kept.get(0).baseOffset;
        if (firstOffset > recordedLogStartOffset && recordedLogStartOffset >= 0 && firstOffset > compactedBelow)
        {
            findings.add(new LogFinding(LogFinding.Kind.OFFSETS_MISSING, kept.get(0).logFile, 0,
                LogFinding.offsets(recordedLogStartOffset, firstOffset),
                "the log start offset is " + recordedLogStartOffset + " but the first segment starts at " +
                firstOffset + " (not removed by retention)", "the log now starts at " + firstOffset));
        }
    }

    private void stray(final SegmentScan scan, final String why)
    {
        strays.add(scan);
        final LogFinding finding = new LogFinding(LogFinding.Kind.QUARANTINED, scan.logFile, 0, "", why,
            "a writer's open moves it into " + LogFiles.QUARANTINE_DIR + "/");
        straysFound.add(finding);
        findings.add(finding);
    }

    private void quarantineTail(final SegmentScan segment)
    {
        quarantinedTails.add(segment);
        findings.add(new LogFinding(LogFinding.Kind.QUARANTINED, segment.logFile, segment.validEnd, "",
            segment.damage.reason() + "; " + segment.bytesAfterValidEnd() + " bytes after the last sound batch, " +
            "and the next segment continues at offset " + segment.nextOffset,
            "a writer's open moves those bytes into " + LogFiles.QUARANTINE_DIR + "/ and cuts them"));
    }

    /**
     * @param at   index in {@link #kept} of the segment where the log must end.
     * @param next the segment that does not continue it, or null when the damage has sound batches after it.
     */
    private void refuse(final int at, final SegmentScan segment, final SegmentScan next)
    {
        repairFrom = at;
        final String why;
        if (segment.damage != null)
        {
            why = segment.damage.reason() + (next == null ?
                "; sound batches follow in the same file" :
                "; the next segment " + next.logFile.getFileName() + " starts at offset " + next.baseOffset);
        }
        else
        {
            why = "offsets " + segment.nextOffset + " to " + (next.baseOffset - 1) + " are missing: the segment " +
                "ends at " + segment.nextOffset + " and the next, " + next.logFile.getFileName() + ", starts at " +
                next.baseOffset;
        }
        needsRepair = new LogFinding(LogFinding.Kind.NEEDS_REPAIR, segment.logFile,
            segment.damage != null ? segment.validEnd : segment.fileSize, "from offset " + segment.nextOffset, why,
            "a writer refuses the partition; loglab repair truncates the log at offset " + segment.nextOffset +
            ", moving what it cuts into " + LogFiles.QUARANTINE_DIR + "/");
        findings.add(needsRepair);
    }

    private static String describe(final LogFinding damage)
    {
        return damage == null ? "no batch" : "at byte " + damage.position() + ": " + damage.reason();
    }

    /**
     * True when a writer's open would change nothing about the data: no damage, at most a torn tail, rebuilt derived
     * files or leftovers.
     */
    boolean isFreeOfDamage()
    {
        for (final LogFinding finding : findings)
        {
            if (finding.kind().isDamage())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Offset after the last sound batch of the kept segments.
     */
    long logEndOffset()
    {
        if (kept.isEmpty())
        {
            return Math.max(recordedLogStartOffset, 0);
        }
        return kept.get(kept.size() - 1).nextOffset;
    }

    /**
     * The first offset kept: the recorded log start offset when it lies inside the kept segments.
     */
    long logStartOffset()
    {
        if (kept.isEmpty())
        {
            return logEndOffset();
        }
        final long first = kept.get(0).baseOffset;
        // Compaction may have emptied the segments at the front: the log still starts where it did.
        final boolean compactedAway = first <= compactedBelow && recordedLogStartOffset >= 0;
        return Math.min(compactedAway ? recordedLogStartOffset : Math.max(first, recordedLogStartOffset),
            logEndOffset());
    }

    /**
     * Close every read-only file the scans opened.
     */
    void close() throws IOException
    {
        closeAllBut(List.of());
    }

    /**
     * Close the read-only files of every scan but those in {@code keep}, whose segments the caller now owns.
     */
    void closeAllBut(final List<SegmentScan> keep) throws IOException
    {
        for (final SegmentScan scan : scanned)
        {
            if (!keep.contains(scan))
            {
                scan.close();
            }
        }
    }
}
