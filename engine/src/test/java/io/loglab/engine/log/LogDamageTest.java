package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static io.loglab.engine.log.PartitionLogTest.append;
import static io.loglab.engine.log.PartitionLogTest.assertContiguous;
import static io.loglab.engine.log.PartitionLogTest.files;
import static io.loglab.engine.log.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Damage and misuse a writer's open must survive without losing intact data: the cases the engine's second pass was
 * filed for, and their neighbours.
 */
class LogDamageTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final int BATCHES = 40;

    @TempDir
    Path dir;

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1).fileDeleteDelayMs(0);
    }

    /** A log of several segments, closed cleanly. @return its end offset. */
    private long writeLog(final LogConfig config) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            for (int i = 0; i < BATCHES; i++)
            {
                append(log, TestBatches.batch(4, NOW + i, 1, 100), NOW);
            }
            assertTrue(log.segmentCount() >= 4, "segments: " + log.segmentCount());
            return log.logEndOffset();
        }
    }

    private List<Path> segmentFiles() throws IOException
    {
        return files(dir, LogFiles.LOG_SUFFIX);
    }

    private void assertWholeLogReadable(final long endOffset) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(endOffset, log.logEndOffset());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, endOffset);
        }
    }

    @Test
    void shouldQuarantineJunkAppendedToARolledSegmentAndKeepEveryLaterSegment() throws IOException
    {
        final long end = writeLog(config());
        final List<Path> segments = segmentFiles();
        final Path rolled = segments.get(1);
        final long rolledSize = Files.size(rolled);
        TestFiles.append(rolled, new byte[]{ 1, 2, 3, 4 });

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(end, log.logEndOffset(), "no record lost");
            assertEquals(segments.size(), log.segmentCount(), "every later segment kept");
            final List<LogFinding> report = log.recoveryReport();
            assertEquals(1, report.size(), report.toString());
            assertEquals(LogFinding.Kind.QUARANTINED, report.get(0).kind());
            assertEquals(rolled, report.get(0).file());
            assertEquals(rolledSize, report.get(0).position());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, end);
        }
        assertEquals(rolledSize, Files.size(rolled));
        assertEquals(4, CorruptionTest.quarantinedBytes(dir, rolled.getFileName() + ".from-byte-" + rolledSize));
        assertWholeLogReadable(end);
    }

    @Test
    void shouldQuarantineAStrayFileNamedLikeASegmentInsideTheLog() throws IOException
    {
        final long end = writeLog(config());
        final Path stray = dir.resolve(LogFiles.segmentFileName(5, LogFiles.LOG_SUFFIX));
        Files.write(stray, "not a segment!".getBytes());
        assertEquals(14, Files.size(stray));

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(end, log.logEndOffset());
            assertEquals(List.of(stray), log.recoveryReport().stream().map(LogFinding::file).toList());
            assertEquals(LogFinding.Kind.QUARANTINED, log.recoveryReport().get(0).kind());
        }
        assertFalse(Files.exists(stray));
        assertEquals(14, CorruptionTest.quarantinedBytes(dir, stray.getFileName().toString()));
        assertWholeLogReadable(end);
    }

    @Test
    void shouldQuarantineAStrayFileNamedPastTheLogEnd() throws IOException
    {
        final long end = writeLog(config());
        final Path stray = dir.resolve(LogFiles.segmentFileName(end + 1000, LogFiles.LOG_SUFFIX));
        Files.write(stray, new byte[100]);

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(end, log.logEndOffset());
            assertEquals(LogFinding.Kind.QUARANTINED, log.recoveryReport().get(0).kind());
            append(log, TestBatches.batch(2, NOW), NOW);
        }
        assertWholeLogReadable(end + 2);
    }

    @Test
    void shouldRebuildMissingTimeIndexesSoRetentionDecidesFromBatchTimestamps() throws IOException
    {
        final LogConfig retained = config();
        final long end = writeLog(retained);
        for (final Path timeIndex : files(dir, LogFiles.TIME_INDEX_SUFFIX))
        {
            Files.delete(timeIndex);
        }
        // Batches are from NOW; a week's retention a minute later keeps everything.
        final LogConfig week = new LogConfig().segmentBytes(4096).indexIntervalBytes(256)
            .retentionMs(7L * 24 * 3600 * 1000).fileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dir, week))
        {
            assertTrue(log.recoveryReport().stream().allMatch(f -> f.kind() == LogFinding.Kind.REBUILT),
                log.recoveryReport().toString());
            assertEquals(0, log.applyRetention(NOW + 60_000), "no segment looks expired");
            assertEquals(0, log.logStartOffset());
            assertEquals(end, log.logEndOffset());
            assertEquals(7 * 4 + 3, log.newReader().offsetForTimestamp(NOW + 10), "batch 7 holds NOW+7 to NOW+10");
        }
        for (final Path segment : segmentFiles())
        {
            final String base = segment.getFileName().toString().replace(LogFiles.LOG_SUFFIX, "");
            assertTrue(Files.size(dir.resolve(base + LogFiles.TIME_INDEX_SUFFIX)) > 0, "time index rebuilt: " + base);
        }
        assertWholeLogReadable(end);
    }

    @Test
    void shouldRebuildAnEmptyTimeIndexOfANonEmptySegment() throws IOException
    {
        final long end = writeLog(config());
        final Path timeIndex = files(dir, LogFiles.TIME_INDEX_SUFFIX).get(0);
        Files.write(timeIndex, new byte[0]);
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(LogFinding.Kind.REBUILT, log.recoveryReport().get(0).kind());
            assertEquals(0, log.newReader().offsetForTimestamp(NOW));
            assertEquals(end, log.logEndOffset());
        }
        assertTrue(Files.size(timeIndex) > 0);
    }

    @Test
    void shouldLeaveFilesItDidNotCreateAloneAndNameThemInVerify() throws IOException
    {
        final long end = writeLog(config());
        final Path foreign = dir.resolve("my.tmp");
        final Path foreignDir = dir.resolve("notes");
        Files.writeString(foreign, "mine");
        Files.createDirectory(foreignDir);
        final Path checkpointTmp = dir.resolve(LogFiles.RECOVERY_POINT + LogFiles.TEMPORARY_SUFFIX);
        Files.writeString(checkpointTmp, "12");

        final LogVerifier.Result verified = LogVerifier.verify(dir, config());
        assertEquals(List.of(foreign, foreignDir), verified.foreignFiles());
        assertEquals(LogVerifier.Status.CLEAN, verified.status(), verified.findings().toString());
        assertEquals(LogFinding.Kind.LEFTOVER, verified.findings().get(0).kind());

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(end, log.logEndOffset());
        }
        assertEquals("mine", Files.readString(foreign));
        assertTrue(Files.isDirectory(foreignDir));
        assertFalse(Files.exists(checkpointTmp), "our own interrupted checkpoint write is removed");
    }

    @Test
    void shouldRewriteUnreadableCheckpointsSoTheNextOpenFindsNothing() throws IOException
    {
        final long end = writeLog(config());
        for (final String checkpoint : List.of(LogFiles.RECOVERY_POINT, LogFiles.LOG_START_OFFSET,
            LogFiles.HIGH_WATERMARK, LogFiles.LEADER_EPOCH_CHECKPOINT))
        {
            Files.writeString(dir.resolve(checkpoint), "\u00ffgarbage");
        }
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(end, log.logEndOffset());
            assertEquals(4, log.recoveryReport().stream().filter(f -> f.kind() == LogFinding.Kind.REBUILT).count(),
                log.recoveryReport().toString());
        }
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(List.of(), log.recoveryReport());
        }
    }

    @Test
    void shouldRefuseAGapInOffsetsAndRepairByTruncatingAtIt() throws IOException
    {
        writeLog(config());
        final List<Path> segments = segmentFiles();
        final long secondBase = LogFiles.baseOffset(segments.get(1).getFileName().toString(), LogFiles.LOG_SUFFIX);
        final long thirdBase = LogFiles.baseOffset(segments.get(2).getFileName().toString(), LogFiles.LOG_SUFFIX);
        Files.delete(segments.get(1));

        final Map<String, String> before = DirectoryChecksums.of(dir);
        final LogNeedsRepairException refused =
            assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(dir, config()));
        assertTrue(refused.getMessage().contains("offsets " + secondBase + " to " + (thirdBase - 1) + " are missing"),
            refused.getMessage());
        assertEquals(before, DirectoryChecksums.of(dir));
        assertEquals(LogVerifier.Status.DAMAGED, LogVerifier.verify(dir, config()).status());

        PartitionLog.repair(dir, config());
        assertEquals(List.of(segments.get(0)), segmentFiles());
        assertWholeLogReadable(secondBase);
    }

    @Test
    void shouldNameTheDamagedSegmentWhenItsFirstBatchIsBadAndSoundBatchesFollow() throws IOException
    {
        writeLog(config());
        final List<Path> segments = segmentFiles();
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.writeString(dir.resolve(LogFiles.RECOVERY_POINT), "0\n");
        try (FileChannel channel = FileChannel.open(segments.get(1), StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[]{ 0x55 }), 100);
        }
        final LogNeedsRepairException refused =
            assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(dir, config()));
        assertTrue(refused.getMessage().contains(segments.get(1) + " at byte 0: CRC32C mismatch"),
            refused.getMessage());
        assertTrue(Files.exists(segments.get(1)), "not taken for a stray");
    }

    @Test
    void shouldReportABatchLengthNear2To31AsATornTailNotAnException() throws IOException
    {
        final long secondBatchPosition;
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            append(log, TestBatches.batch(4, NOW), NOW);
            secondBatchPosition = log.sizeInBytes();
            append(log, TestBatches.batch(4, NOW), NOW);
        }
        final Path segment = segmentFiles().get(0);
        for (final int length : new int[]{ Integer.MAX_VALUE, Integer.MAX_VALUE - 11, Integer.MAX_VALUE - 12 })
        {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.allocate(4).putInt(0, length), secondBatchPosition + 8);
            }
            Files.deleteIfExists(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
            final LogVerifier.Result verified = LogVerifier.verify(dir, config());
            assertEquals(LogVerifier.Status.TORN_TAIL, verified.status(), "length " + length);
            assertEquals(4, verified.endOffset());
        }
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(4, log.logEndOffset());
            assertEquals(LogFinding.Kind.TORN_TAIL, log.recoveryReport().get(0).kind());
        }
    }

    @Test
    void shouldTellATornTailFromDamageInVerify() throws IOException
    {
        writeLog(config());
        assertEquals(LogVerifier.Status.CLEAN, LogVerifier.verify(dir, config()).status());

        final List<Path> segments = segmentFiles();
        final Path active = segments.get(segments.size() - 1);
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - 7);
        }
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        final Map<String, String> before = DirectoryChecksums.of(dir);
        final LogVerifier.Result torn = LogVerifier.verify(dir, config());
        assertEquals(LogVerifier.Status.TORN_TAIL, torn.status(), torn.findings().toString());
        assertEquals(before, DirectoryChecksums.of(dir), "verify changes nothing");

        TestFiles.append(segments.get(0), new byte[]{ 9, 9 });
        assertEquals(LogVerifier.Status.DAMAGED, LogVerifier.verify(dir, config()).status());
        assertEquals(before.keySet(), DirectoryChecksums.of(dir).keySet());
    }
}
