package io.loglab.engine.log;

import io.loglab.engine.record.CorruptRecordBatchException;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchValidator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Reads one segment file and tells how far it is sound, changing nothing: the common first step of a writer's open,
 * a read-only view and {@code verify}. Two depths:
 * <ul>
 *     <li>{@link #scanTrusted}: for a segment flushed before the recovery point or a clean shutdown. Its index files
 *     are copied and checked (structure, positions inside the file, a last time index entry no older than the batches
 *     after it); only the batches after the last offset index entry are read and validated. Any doubt about a derived
 *     file falls back to a full scan, so retention never decides from a missing or empty time index.</li>
 *     <li>{@link #scanWhole}: every batch validated (lengths, magic, CRC32C, record framing, offsets following on from
 *     the base offset) and both indexes rebuilt in heap memory.</li>
 * </ul>
 * At the first bad byte the scan stops and searches the rest of the file for a sound batch: one found means the bad
 * bytes are damage with intact data after them, not the torn tail a crash leaves.
 * <p>
 * Not thread-safe: one per opening thread.
 */
final class SegmentScanner
{
    /** Batches up to this size are read whole; larger ones (or corrupt lengths) are checked streaming. */
    static final int MAX_LOADED_BATCH_BYTES = 16 * 1024 * 1024;
    private static final int WINDOW_BYTES = 64 * 1024;

    private final LogConfig config;
    /** Batches may skip offsets below this: what compaction removed ({@link CleanerCheckpoint#compactedBelow}). */
    private final long compactedBelow;
    private final FileBatchIterator iterator = new FileBatchIterator(WINDOW_BYTES);
    private final FileBatchIterator probe = new FileBatchIterator(WINDOW_BYTES);
    private final RecordBatchValidator validator = new RecordBatchValidator();
    /** For batches below {@link #compactedBelow}, which compaction may have left with fewer records. */
    private final RecordBatchValidator compactedValidator = new RecordBatchValidator(true);
    private final ByteBuffer searchWindow = ByteBuffer.allocateDirect(WINDOW_BYTES);

    SegmentScanner(final LogConfig config, final long compactedBelow)
    {
        this.config = config;
        this.compactedBelow = compactedBelow;
    }

    /**
     * Scan a segment whose batches were flushed: trust the batches its index files cover.
     */
    SegmentScan scanTrusted(final Path dir, final long baseOffset) throws IOException
    {
        final SegmentScan scan = open(dir, baseOffset);
        final Path offsetFile = LogFiles.offsetIndexFile(dir, baseOffset);
        final Path timeFile = LogFiles.timeIndexFile(dir, baseOffset);
        final byte[] offsetBytes = SegmentIndex.readFile(offsetFile);
        final byte[] timeBytes = SegmentIndex.readFile(timeFile);
        final String indexDoubt = indexDoubt(scan, offsetBytes, timeBytes);
        if (indexDoubt != null)
        {
            return rebuild(scan, dir, offsetFile, indexDoubt);
        }
        final OffsetIndex offsetIndex =
            new OffsetIndex(offsetFile, baseOffset, offsetBytes, offsetBytes.length / OffsetIndex.ENTRY_SIZE);
        final TimeIndex timeIndex =
            new TimeIndex(timeFile, baseOffset, timeBytes, timeBytes.length / TimeIndex.ENTRY_SIZE);
        final String offsetDamage = offsetIndex.findDamage((int)Math.max(scan.fileSize, 1));
        if (offsetDamage != null)
        {
            return rebuild(scan, dir, offsetFile, offsetDamage);
        }
        final int entries = offsetIndex.entriesPlain();
        final int scanFrom = entries == 0 ? 0 : offsetIndex.positionAt(entries - 1);
        final long scanFromOffset = entries == 0 ? baseOffset : baseOffsetOfBatchAt(scan, scanFrom);
        scan.segment = new LogSegment(baseOffset, scan.file, offsetIndex, timeIndex, config.indexIntervalBytes());
        final TailState tail = validate(scan, scanFrom, scanFromOffset, false);
        final int timeEntries = timeIndex.entriesPlain();
        final String timeDamage = timeIndex.findDamage(scan.nextOffset);
        if (timeDamage != null || (timeEntries > 0 && timeIndex.keyAt(timeEntries - 1) < tail.maxTimestamp))
        {
            scan.segment = null;
            return rebuild(scan, dir, timeFile,
                timeDamage != null ? timeDamage : "no entry covers the segment's largest timestamp");
        }
        scan.segment.restoreTrusted(scanFrom, scan.validEnd, scan.nextOffset, tail.maxTimestamp,
            tail.offsetOfMaxTimestamp, firstBatchTimestamp(scan));
        return scan;
    }

    private SegmentScan rebuild(final SegmentScan scan, final Path dir, final Path indexFile, final String why)
        throws IOException
    {
        scan.reset();
        scan.rebuilt.add(new LogFinding(LogFinding.Kind.REBUILT, indexFile, 0, "", why,
            "indexes rebuilt from the batches"));
        return scanWholeInto(scan, dir);
    }

    /**
     * Scan every batch of a segment, rebuilding its indexes.
     */
    SegmentScan scanWhole(final Path dir, final long baseOffset) throws IOException
    {
        return scanWholeInto(open(dir, baseOffset), dir);
    }

    private SegmentScan scanWholeInto(final SegmentScan scan, final Path dir) throws IOException
    {
        final long baseOffset = scan.baseOffset;
        final long entriesNeeded = Math.min(scan.fileSize / config.indexIntervalBytes() + 2,
            config.segmentIndexBytes() / TimeIndex.ENTRY_SIZE);
        final OffsetIndex offsetIndex = new OffsetIndex(LogFiles.offsetIndexFile(dir, baseOffset), baseOffset,
            new byte[(int)entriesNeeded * OffsetIndex.ENTRY_SIZE], 0);
        final TimeIndex timeIndex = new TimeIndex(LogFiles.timeIndexFile(dir, baseOffset), baseOffset,
            new byte[(int)entriesNeeded * TimeIndex.ENTRY_SIZE], 0);
        scan.segment = new LogSegment(baseOffset, scan.file, offsetIndex, timeIndex, config.indexIntervalBytes());
        scan.indexesRebuilt = true;
        scan.scannedWhole = true;
        validate(scan, 0, baseOffset, true);
        scan.file.publishSize(scan.validEnd);
        return scan;
    }

    private static SegmentScan open(final Path dir, final long baseOffset) throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        final SegmentScan scan = new SegmentScan(baseOffset, logFile);
        scan.file = SegmentFile.open(logFile, false);
        scan.fileSize = scan.file.fileSize();
        scan.nextOffset = baseOffset;
        return scan;
    }

    private static String indexDoubt(final SegmentScan scan, final byte[] offsetBytes, final byte[] timeBytes)
    {
        if (offsetBytes == null || timeBytes == null)
        {
            return "index file missing";
        }
        if (offsetBytes.length % OffsetIndex.ENTRY_SIZE != 0 || timeBytes.length % TimeIndex.ENTRY_SIZE != 0)
        {
            return "index file length is not a whole number of entries";
        }
        if (scan.fileSize > 0 && timeBytes.length == 0)
        {
            // A rolled segment always indexes its largest timestamp: an empty time index cannot be trusted.
            return "time index is empty for a segment of " + scan.fileSize + " bytes";
        }
        return null;
    }

    /** Largest timestamp seen by a tail scan, and the offset of the batch carrying it. */
    private record TailState(long maxTimestamp, long offsetOfMaxTimestamp)
    {
    }

    /**
     * Validate batches from {@code from} (a batch start) on, expecting offsets from {@code expectedOffset}, indexing
     * them into the scan's segment when {@code index}; stop at the first bad byte and look for sound data after it.
     */
    private TailState validate(final SegmentScan scan, final int from, final long expectedOffset, final boolean index)
        throws IOException
    {
        final SegmentFile file = scan.file;
        long expected = expectedOffset;
        long maxTimestamp = LogSegment.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = scan.baseOffset;
        int validEnd = from;
        int lastEpoch = LeaderEpochCache.UNDEFINED_EPOCH;
        iterator.reset(file, from, scan.fileSize);
        try
        {
            while (iterator.next())
            {
                final RecordBatch batch = validatedBatch(iterator,
                    iterator.batch().baseOffset() < compactedBelow ? compactedValidator : validator);
                final boolean skipsOffsets = batch.baseOffset() > expected && batch.baseOffset() > compactedBelow;
                if (batch.baseOffset() < expected || skipsOffsets)
                {
                    throw new InvalidRecordBatchException(
                        "batch has base offset " + batch.baseOffset() + " where offset " + expected +
                        " was expected next");
                }
                if (index)
                {
                    scan.segment.onBatchWritten(batch.lastOffset(), batch.maxTimestamp(), (int)iterator.position(),
                        batch.totalLength());
                }
                if (batch.maxTimestamp() > maxTimestamp)
                {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMaxTimestamp = batch.lastOffset();
                }
                final int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0 && epoch != lastEpoch)
                {
                    scan.epochs.add(new LeaderEpochCache.EpochEntry(epoch, batch.baseOffset()));
                    lastEpoch = epoch;
                }
                expected = batch.nextOffset();
                validEnd = (int)iterator.nextPosition();
                scan.batches++;
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            final long position = Math.max(iterator.position(), validEnd);
            scan.damage = new LogFinding(LogFinding.Kind.TORN_TAIL, scan.logFile, position,
                "from offset " + expected, ex.getMessage(), "");
            scan.intactAfterDamage = findSoundBatchAfter(file, position, scan.fileSize);
        }
        scan.validEnd = validEnd;
        scan.nextOffset = expected;
        return new TailState(maxTimestamp, offsetOfMaxTimestamp);
    }

    /**
     * Whether a sound batch (plausible header and matching CRC) starts anywhere in {@code (from, end)}. Searches the
     * bytes a window at a time for the magic byte, checking a candidate's CRC only when its header is plausible.
     */
    private boolean findSoundBatchAfter(final SegmentFile file, final long from, final long end) throws IOException
    {
        for (long windowStart = from + 1; windowStart + HEADER_LENGTH <= end; )
        {
            searchWindow.clear();
            final int read = file.read(searchWindow, windowStart);
            if (read < HEADER_LENGTH)
            {
                return false;
            }
            for (int i = 0; i + HEADER_LENGTH <= read; i++)
            {
                if (searchWindow.get(i + MAGIC_OFFSET) == MAGIC && isSoundBatchAt(file, windowStart + i, end))
                {
                    return true;
                }
            }
            windowStart += read - HEADER_LENGTH + 1;
        }
        return false;
    }

    private boolean isSoundBatchAt(final SegmentFile file, final long position, final long end) throws IOException
    {
        try
        {
            probe.reset(file, position, end);
            return probe.next() && probe.crcMatchesStreaming();
        }
        catch (final InvalidRecordBatchException ex)
        {
            return false;
        }
    }

    private long baseOffsetOfBatchAt(final SegmentScan scan, final int position) throws IOException
    {
        try
        {
            iterator.reset(scan.file, position, scan.fileSize);
            return iterator.next() ? iterator.batch().baseOffset() : scan.baseOffset;
        }
        catch (final InvalidRecordBatchException ex)
        {
            // The validation that follows reports it.
            return scan.baseOffset;
        }
    }

    private long firstBatchTimestamp(final SegmentScan scan) throws IOException
    {
        if (!scan.hasBatches())
        {
            return LogSegment.NO_TIMESTAMP;
        }
        iterator.reset(scan.file, 0, scan.validEnd);
        iterator.next();
        return iterator.batch().maxTimestamp();
    }

    /**
     * For {@code verify}: the index files of a segment a writer would trust, checked against its batches (already
     * validated by {@link #scanWhole}): present, whole entries, every offset entry at the start of the batch ending
     * at the offset it names, time entries ascending and covering the largest timestamp.
     *
     * @return what a writer's open would rebuild; empty when the files are sound.
     */
    List<LogFinding> checkIndexFiles(final Path dir, final SegmentScan scan) throws IOException
    {
        final Path offsetFile = LogFiles.offsetIndexFile(dir, scan.baseOffset);
        final Path timeFile = LogFiles.timeIndexFile(dir, scan.baseOffset);
        final byte[] offsetBytes = SegmentIndex.readFile(offsetFile);
        final byte[] timeBytes = SegmentIndex.readFile(timeFile);
        String doubt = indexDoubt(scan, offsetBytes, timeBytes);
        Path doubtful = offsetFile;
        if (doubt == null)
        {
            final OffsetIndex offsets = new OffsetIndex(
                offsetFile, scan.baseOffset, offsetBytes, offsetBytes.length / OffsetIndex.ENTRY_SIZE);
            doubt = misplacedEntry(scan, offsets);
            if (doubt == null)
            {
                final TimeIndex times =
                    new TimeIndex(timeFile, scan.baseOffset, timeBytes, timeBytes.length / TimeIndex.ENTRY_SIZE);
                doubt = times.findDamage(scan.nextOffset);
                if (doubt == null && times.entriesPlain() > 0 &&
                    times.keyAt(times.entriesPlain() - 1) < scan.segment.maxTimestamp())
                {
                    doubt = "no entry covers the segment's largest timestamp";
                }
                doubtful = timeFile;
            }
        }
        return doubt == null ? List.of() : List.of(new LogFinding(LogFinding.Kind.REBUILT, doubtful, 0, "", doubt,
            "the next writer open rebuilds it from the batches"));
    }

    private String misplacedEntry(final SegmentScan scan, final OffsetIndex index) throws IOException
    {
        final String damage = index.findDamage((int)Math.max(scan.validEnd, 1));
        if (damage != null)
        {
            return damage;
        }
        for (int entry = 0; entry < index.entriesPlain(); entry++)
        {
            final int position = index.positionAt(entry);
            final long offset = index.keyAt(entry);
            probe.reset(scan.file, position, scan.validEnd);
            if (!probe.next() || probe.batch().lastOffset() != offset)
            {
                return "entry " + entry + " maps offset " + offset + " to position " + position +
                    ", where no batch ending at that offset starts";
            }
        }
        return null;
    }

    /**
     * Leader epoch changes across a sound segment's batches, reading headers only: for rebuilding a missing epoch
     * checkpoint from segments that were not scanned whole.
     */
    void collectEpochs(final SegmentScan scan) throws IOException
    {
        scan.epochs.clear();
        int lastEpoch = LeaderEpochCache.UNDEFINED_EPOCH;
        iterator.reset(scan.file, 0, scan.validEnd);
        while (iterator.next())
        {
            final int epoch = iterator.batch().partitionLeaderEpoch();
            if (epoch >= 0 && epoch != lastEpoch)
            {
                scan.epochs.add(new LeaderEpochCache.EpochEntry(epoch, iterator.batch().baseOffset()));
                lastEpoch = epoch;
            }
        }
    }

    /**
     * The iterator's current batch, checked: whole and record by record when it is of a size a producer can send,
     * by a streaming CRC alone when it is larger, so a corrupt length never makes a scan allocate its size.
     */
    static RecordBatch validatedBatch(final FileBatchIterator iterator, final RecordBatchValidator validator)
        throws IOException
    {
        final RecordBatch header = iterator.batch();
        if (header.totalLength() > MAX_LOADED_BATCH_BYTES)
        {
            if (!iterator.crcMatchesStreaming())
            {
                throw new CorruptRecordBatchException("CRC32C mismatch in a batch of " + header.totalLength() +
                    " bytes");
            }
            validator.validateCountAndCodec(header);
            return header;
        }
        final RecordBatch batch = iterator.loadBatch();
        validator.validate(batch.buffer(), batch.offset(), batch.totalLength(), true);
        return batch;
    }
}
