package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestFiles;
import io.loglab.engine.TestBatches.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.loglab.engine.log.PartitionLogTest.append;
import static io.loglab.engine.log.PartitionLogTest.assertContiguous;
import static io.loglab.engine.log.PartitionLogTest.copyDirectory;
import static io.loglab.engine.log.PartitionLogTest.files;
import static io.loglab.engine.log.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.*;

class CorruptionTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final int BATCHES = 33;

    @TempDir
    Path dir;

    /** Where one batch lives. */
    record Loc(long base, long next, long segmentBase, int position, int length)
    {
    }

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).segmentMs(Long.MAX_VALUE).indexIntervalBytes(256).retentionMs(-1)
            .fileDeleteDelayMs(0);
    }

    private static List<Loc> locate(final PartitionLog log) throws IOException
    {
        final LogReader reader = log.newReader();
        final List<Loc> locs = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset())
        {
            assertEquals(LogReader.OK, reader.read(offset, 1));
            final LogSegment[] segments = log.segments().acquire();
            final long segmentBase = segments[LogSegments.floor(segments, offset)].baseOffset();
            locs.add(new Loc(reader.firstOffset(), reader.nextOffset(), segmentBase, (int)reader.position(),
                reader.length()));
            offset = reader.nextOffset();
        }
        return locs;
    }

    /** Write {@code BATCHES} batches over several segments; with {@code crashCopy}, also copy the files before close. */
    private List<Loc> writeLog(final Path logDir, final Path crashCopy) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(logDir, config()))
        {
            for (int i = 0; i < BATCHES; i++)
            {
                append(log, TestBatches.batch(4, 1_000 + i * 10L, 1, 100), NOW);
            }
            assertTrue(log.segmentCount() >= 4, "segments: " + log.segmentCount());
            if (crashCopy != null)
            {
                copyDirectory(logDir, crashCopy);
            }
            return locate(log);
        }
    }

    private static Path logFile(final Path logDir, final long segmentBase)
    {
        return logDir.resolve(LogFiles.segmentFileName(segmentBase, LogFiles.LOG_SUFFIX));
    }

    /**
     * Every read, at every offset and in runs of several sizes, returns whole batches that pass validation and hold
     * the offsets asked for.
     */
    private static void assertServesOnlyValidData(final PartitionLog log) throws IOException
    {
        final LogReader reader = log.newReader();
        for (long offset = log.logStartOffset(); offset < log.logEndOffset(); offset++)
        {
            assertEquals(LogReader.OK, reader.read(offset, 1));
            final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
            reader.copyTo(bytes);
            final List<Batch> batches = TestBatches.decode(bytes.array());
            assertEquals(1, batches.size());
            assertTrue(batches.get(0).baseOffset() <= offset && offset <= batches.get(0).lastOffset());
        }
        for (final int maxBytes : new int[]{ 1, 1000, 3000, Integer.MAX_VALUE })
        {
            assertContiguous(TestBatches.decode(readAll(log, log.logStartOffset(), maxBytes)),
                log.logStartOffset(), log.logEndOffset());
        }
    }

    private static void assertAppendsContinue(final PartitionLog log) throws IOException
    {
        final long end = log.logEndOffset();
        append(log, TestBatches.batch(3, 5_000), NOW);
        append(log, TestBatches.batch(2, 5_001), NOW);
        assertEquals(end + 5, log.logEndOffset());
        assertServesOnlyValidData(log);
        assertEquals(end, log.newReader().offsetForTimestamp(5_000));
    }

    private void reopenAndCheckAgain(final Path logDir, final long expectedEnd) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(logDir, config()))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(expectedEnd, log.logEndOffset());
            assertServesOnlyValidData(log);
        }
    }

    @ParameterizedTest(name = "byte {0} of the batch")
    @ValueSource(ints = { 0, 7, 8, 11, 16, 17, 21, 24, 30, 40, 50, 57, 60, 61, 70, -1 })
    void shouldTruncateToLastGoodBatchWhenLastBatchOfActiveSegmentIsDamaged(final int byteInBatch)
        throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final Loc last = locs.get(locs.size() - 1);
        final Path file = logFile(dir, last.segmentBase());
        TestFiles.flipByte(file, last.position() + (byteInBatch < 0 ? last.length() - 1 : byteInBatch));
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        assertRecoveredToBatchBefore(last, file);
    }

    /**
     * After an unclean shutdown with {@code last}, the last batch, damaged: recovery reports it, cuts the file there,
     * serves only what came before, and takes appends again.
     */
    private void assertRecoveredToBatchBefore(final Loc last, final Path file) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            final List<LogFinding> report = log.recoveryReport();
            assertEquals(1, report.size(), report.toString());
            assertEquals(file, report.get(0).file());
            assertEquals(last.position(), report.get(0).position());
            assertEquals(last.base(), log.logEndOffset());
            assertEquals(last.position(), Files.size(file));
            assertServesOnlyValidData(log);
            assertAppendsContinue(log);
        }
        reopenAndCheckAgain(dir, last.base() + 5);
    }

    @Test
    void shouldRefuseAndLaterRepairWhenABatchInsideTheActiveSegmentIsDamaged() throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final long activeBase = locs.get(locs.size() - 1).segmentBase();
        final Loc second = locs.stream().filter(l -> l.segmentBase() == activeBase).skip(1).findFirst().orElseThrow();
        assertTrue(second.next() < locs.get(locs.size() - 1).next(), "batches follow the damaged one");
        final Path file = logFile(dir, activeBase);
        TestFiles.flipByte(file, second.position() + 80);
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));

        final Map<String, String> before = DirectoryChecksums.of(dir);
        final LogNeedsRepairException refused =
            assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(dir, config()));
        assertTrue(refused.getMessage().contains(file + " at byte " + second.position()), refused.getMessage());
        assertTrue(refused.getMessage().contains("CRC"), refused.getMessage());
        assertEquals(before, DirectoryChecksums.of(dir), "a refused open changes nothing");

        final long fileSize = Files.size(file);
        final List<LogFinding> repaired = PartitionLog.repair(dir, config());
        assertTrue(repaired.stream().anyMatch(f -> f.kind() == LogFinding.Kind.QUARANTINED &&
            f.file().equals(file) && f.position() == second.position()), repaired.toString());
        assertEquals(fileSize - second.position(), quarantinedBytes(dir, file.getFileName() + ".from-byte-" +
            second.position()), "the cut bytes are in quarantine");
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(second.base(), log.logEndOffset());
            assertServesOnlyValidData(log);
            assertAppendsContinue(log);
        }
    }

    /** Bytes of the one quarantine item whose name ends with {@code nameSuffix}; its report must exist. */
    static long quarantinedBytes(final Path logDir, final String nameSuffix) throws IOException
    {
        final Path quarantine = logDir.resolve(LogFiles.QUARANTINE_DIR);
        try (Stream<Path> items = Files.list(quarantine))
        {
            final List<Path> matching = items.filter(p -> p.getFileName().toString().endsWith(nameSuffix)).toList();
            assertEquals(1, matching.size(), "quarantine items ending " + nameSuffix + ": " + matching);
            final Path report = matching.get(0).resolveSibling(matching.get(0).getFileName() + ".report");
            assertTrue(Files.readString(report).contains("why: "), "report beside " + matching.get(0));
            return Files.size(matching.get(0));
        }
    }

    @ParameterizedTest(name = "cut {0} bytes into the last batch")
    @ValueSource(ints = { 1, 12, 30, 61, 100, -1 })
    void shouldTruncateTornTailWhenLogFileEndsMidBatch(final int keep) throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final Loc last = locs.get(locs.size() - 1);
        final Path file = logFile(dir, last.segmentBase());
        TestFiles.truncate(file, last.position() + (keep < 0 ? last.length() - 1 : keep));
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        assertRecoveredToBatchBefore(last, file);
    }

    @Test
    void shouldTruncateTornTailWhenCleanShutdownMarkerIsPresent() throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final Loc last = locs.get(locs.size() - 1);
        final Path file = logFile(dir, last.segmentBase());
        TestFiles.truncate(file, last.position() + 100);
        assertTrue(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)));

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            final List<LogFinding> report = log.recoveryReport();
            assertFalse(report.isEmpty());
            assertTrue(report.stream().anyMatch(c -> c.file().equals(file) && c.position() == last.position()),
                report.toString());
            assertEquals(last.base(), log.logEndOffset());
            assertServesOnlyValidData(log);
            assertAppendsContinue(log);
        }
        reopenAndCheckAgain(dir, last.base() + 5);
    }

    @Test
    void shouldRebuildIndexesWhenTheirLengthIsNotWholeEntries() throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final byte[] before;
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            before = readAll(log, 0, Integer.MAX_VALUE);
        }
        final Random random = new Random(42);
        final Path index0 = dir.resolve(LogFiles.segmentFileName(0, LogFiles.INDEX_SUFFIX));
        final long activeBase = locs.get(locs.size() - 1).segmentBase();
        final Path activeTimeIndex = dir.resolve(LogFiles.segmentFileName(activeBase, LogFiles.TIME_INDEX_SUFFIX));
        Files.write(index0, randomBytes(random, 13));
        Files.write(activeTimeIndex, randomBytes(random, 17));
        assertTrue(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)));

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            final List<LogFinding> report = log.recoveryReport();
            assertEquals(2, report.size(), report.toString());
            assertEquals(index0, report.get(0).file());
            assertEquals(dir.resolve(LogFiles.segmentFileName(activeBase, LogFiles.INDEX_SUFFIX)), report.get(1).file());
            assertTrue(report.get(1).reason().contains("whole number"), report.get(1).reason());
            assertIndexesSound(log);
            assertEquals(BATCHES * 4L, log.logEndOffset());
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            assertServesOnlyValidData(log);
            assertEquals(5 * 4L + 2, log.newReader().offsetForTimestamp(1_000 + 5 * 10 + 2));
            assertAppendsContinue(log);
        }
        assertEquals(0, Files.size(index0) % OffsetIndex.ENTRY_SIZE);
        reopenAndCheckAgain(dir, BATCHES * 4L + 5);
    }

    @Test
    void shouldRebuildIndexesWhenTheirEntriesAreGarbage() throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        final byte[] before;
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            before = readAll(log, 0, Integer.MAX_VALUE);
        }
        final Random random = new Random(7);
        final long secondBase = locs.stream().mapToLong(Loc::segmentBase).filter(b -> b > 0).min().orElseThrow();
        final Path index1 = dir.resolve(LogFiles.segmentFileName(secondBase, LogFiles.INDEX_SUFFIX));
        final Path timeIndex0 = dir.resolve(LogFiles.segmentFileName(0, LogFiles.TIME_INDEX_SUFFIX));
        final int index1Length = (int)Files.size(index1);
        assertTrue(index1Length >= 2 * OffsetIndex.ENTRY_SIZE, "the segment has index entries");
        Files.write(index1, randomBytes(random, index1Length));
        Files.write(timeIndex0, randomBytes(random, (int)Files.size(timeIndex0)));

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            final List<LogFinding> report = log.recoveryReport();
            assertEquals(2, report.size(), report.toString());
            assertEquals(timeIndex0, report.get(0).file());
            assertEquals(index1, report.get(1).file());
            assertIndexesSound(log);
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            assertServesOnlyValidData(log);
            for (long offset = 0; offset < BATCHES * 4L; offset += 3)
            {
                final long timestamp = 1_000 + offset / 4 * 10 + offset % 4;
                assertEquals(offset, log.newReader().offsetForTimestamp(timestamp), "timestamp " + timestamp);
            }
            assertAppendsContinue(log);
        }
        reopenAndCheckAgain(dir, BATCHES * 4L + 5);
    }

    private static void assertIndexesSound(final PartitionLog log)
    {
        for (final LogSegment segment : log.segments().acquire())
        {
            assertNull(segment.offsetIndex().findDamage(Math.max(segment.size(), 1)), segment.toString());
            assertTrue(segment.offsetIndex().entriesAcquire() > 0, segment + " has index entries again");
        }
    }

    @Test
    void shouldRefuseAndLaterRepairWhenAMiddleSegmentIsDamagedAfterCrash() throws IOException
    {
        final Path crashed = dir.resolve("crashed");
        final List<Loc> locs = writeLog(dir.resolve("live"), crashed);
        final long[] segmentBases = locs.stream().mapToLong(Loc::segmentBase).distinct().toArray();
        assertTrue(segmentBases.length >= 4);
        final long middle = segmentBases[1];
        final Loc damaged = locs.stream().filter(l -> l.segmentBase() == middle).skip(2).findFirst().orElseThrow();
        TestFiles.flipByte(logFile(crashed, middle), damaged.position() + 70);

        final Map<String, String> before = DirectoryChecksums.of(crashed);
        final LogNeedsRepairException refused =
            assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(crashed, config()));
        final LogFinding finding = refused.damage().stream()
            .filter(f -> f.kind() == LogFinding.Kind.NEEDS_REPAIR).findFirst().orElseThrow();
        assertEquals(logFile(crashed, middle), finding.file());
        assertEquals(damaged.position(), finding.position());
        assertEquals(before, DirectoryChecksums.of(crashed), "a refused open changes nothing");

        final List<LogFinding> repaired = PartitionLog.repair(crashed, config());
        for (int s = 2; s < segmentBases.length; s++)
        {
            final Path later = logFile(crashed, segmentBases[s]);
            assertFalse(Files.exists(later), later + " moved out of the log");
            assertTrue(repaired.stream().anyMatch(f -> f.file().equals(later) &&
                f.kind() == LogFinding.Kind.QUARANTINED), repaired.toString());
        }
        try (PartitionLog log = PartitionLog.open(crashed, config()))
        {
            assertEquals(2, log.segmentCount());
            assertEquals(List.of(logFile(crashed, 0), logFile(crashed, middle)), files(crashed, ".log"));
            assertEquals(damaged.base(), log.logEndOffset());
            assertServesOnlyValidData(log);
            assertAppendsContinue(log);
        }
        reopenAndCheckAgain(crashed, damaged.base() + 5);
    }

    @Test
    void shouldReportUnparseableRecoveryPointAndScanEverything() throws IOException
    {
        final List<Loc> locs = writeLog(dir, null);
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.writeString(dir.resolve(LogFiles.RECOVERY_POINT), "not-a-number");
        final Loc firstSegmentBatch = locs.get(1);
        TestFiles.flipByte(logFile(dir, 0), firstSegmentBatch.position() + 65);

        final LogNeedsRepairException refused =
            assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(dir, config()));
        final List<LogFinding> report = refused.damage();
        assertEquals(dir.resolve(LogFiles.RECOVERY_POINT), report.get(0).file());
        assertEquals(LogFinding.Kind.REBUILT, report.get(0).kind());
        final LogFinding damage = report.get(report.size() - 1);
        assertEquals(LogFinding.Kind.NEEDS_REPAIR, damage.kind());
        assertEquals(logFile(dir, 0), damage.file());
        assertEquals(firstSegmentBatch.position(), damage.position());

        PartitionLog.repair(dir, config());
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(firstSegmentBatch.base(), log.logEndOffset());
            assertEquals(1, log.segmentCount());
            assertServesOnlyValidData(log);
            assertAppendsContinue(log);
        }
    }

    private static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @SuppressWarnings("unused")
    private static String describe(final List<Loc> locs)
    {
        return Arrays.toString(locs.toArray());
    }
}
