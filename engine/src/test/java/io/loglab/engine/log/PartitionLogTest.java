package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestBatches.Batch;
import io.loglab.engine.TestBatches.Rec;
import io.loglab.engine.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PartitionLogTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    static int append(final PartitionLog log, final ByteBuffer batch, final long nowMs) throws IOException
    {
        final int length = batch.remaining();
        assertEquals(1, log.append(new ByteBuffer[]{ batch }, 0, 1, nowMs));
        return length;
    }

    /** Every batch from {@code from} to the log end, read in pieces of at most {@code maxBytes}. */
    static byte[] readAll(final PartitionLog log, final long from, final int maxBytes) throws IOException
    {
        final LogReader reader = log.newReader();
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long offset = from;
        final long end = log.logEndOffset();
        while (offset < end)
        {
            assertEquals(LogReader.OK, reader.read(offset, maxBytes), "read at " + offset);
            assertTrue(reader.length() > 0, "empty read at " + offset + " below end " + end);
            final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
            reader.copyTo(bytes);
            out.write(bytes.array(), 0, bytes.position());
            assertTrue(reader.nextOffset() > offset);
            offset = reader.nextOffset();
        }
        assertEquals(end, offset);
        return out.toByteArray();
    }

    static List<Rec> records(final List<Batch> batches)
    {
        final List<Rec> records = new ArrayList<>();
        batches.forEach(b -> records.addAll(b.records()));
        return records;
    }

    static void assertContiguous(final List<Batch> batches, final long from, final long to)
    {
        long expected = from;
        for (final Batch batch : batches)
        {
            assertEquals(expected, batch.baseOffset(), "batch base offset");
            long recordOffset = batch.baseOffset();
            for (final Rec rec : batch.records())
            {
                assertEquals(recordOffset++, rec.offset());
            }
            expected = batch.lastOffset() + 1;
        }
        assertEquals(to, expected, "offsets end");
    }

    static List<Path> files(final Path dir, final String suffix) throws IOException
    {
        try (Stream<Path> list = Files.list(dir))
        {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static LogConfig smallSegments()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1).fileDeleteDelayMs(0);
    }

    @Test
    void shouldAssignContiguousOffsetsWhenAppendingBatches() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            assertEquals(0, log.logStartOffset());
            assertEquals(0, log.logEndOffset());
            append(log, TestBatches.batch(5, NOW), NOW);
            assertEquals(5, log.logEndOffset());
            append(log, TestBatches.batch(1, NOW), NOW);
            append(log, TestBatches.batch(10, NOW), NOW);
            assertEquals(16, log.logEndOffset());

            final List<Batch> batches = TestBatches.decode(readAll(log, 0, Integer.MAX_VALUE));
            assertEquals(List.of(0L, 5L, 6L), batches.stream().map(Batch::baseOffset).toList());
            assertContiguous(batches, 0, 16);
            assertEquals("value-9", batches.get(2).records().get(9).value());
            assertEquals("key-0", batches.get(1).records().get(0).key());
        }
    }

    @Test
    void shouldAppendSeveralBatchesWithOneCallAndStampTheirOffsets() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            final ByteBuffer[] batches = { TestBatches.batch(3, NOW), TestBatches.batch(4, NOW),
                TestBatches.batch(2, NOW) };
            final int[] positions = Arrays.stream(batches).mapToInt(ByteBuffer::position).toArray();
            assertEquals(2, log.append(batches, 1, 2, NOW));
            assertEquals(6, log.logEndOffset());
            assertEquals(positions[1], batches[1].position(), "buffers are left as they were");
            assertEquals(0, TestBatches.decode(batches[1]).get(0).baseOffset());
            assertEquals(4, TestBatches.decode(batches[2]).get(0).baseOffset());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, 6);
        }
    }

    @Test
    void shouldReturnWholeBatchHoldingOffsetWhenReadingMidBatch() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig().indexIntervalBytes(100)))
        {
            int batchLength = 0;
            for (int i = 0; i < 10; i++)
            {
                batchLength = append(log, TestBatches.batch(10, NOW + i), NOW);
            }
            final LogReader reader = log.newReader();
            for (long offset = 0; offset < 100; offset++)
            {
                assertEquals(LogReader.OK, reader.read(offset, 1), "at least one batch, whatever maxBytes says");
                final long base = offset / 10 * 10;
                assertEquals(base, reader.firstOffset(), "offset " + offset);
                assertEquals(base + 10, reader.nextOffset());
                assertEquals(batchLength, reader.length());
                final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
                reader.copyTo(bytes);
                final List<Batch> batches = TestBatches.decode(bytes.array());
                assertEquals(1, batches.size());
                assertEquals(base, batches.get(0).baseOffset());
                assertEquals(NOW + base / 10, batches.get(0).maxTimestamp());
            }

            assertEquals(LogReader.OK, reader.read(23, 2 * batchLength));
            assertEquals(20, reader.firstOffset());
            assertEquals(40, reader.nextOffset());
            assertEquals(2 * batchLength, reader.length());

            assertEquals(LogReader.OK, reader.read(23, 2 * batchLength - 1));
            assertEquals(30, reader.nextOffset(), "never a partial batch");
            assertEquals(batchLength, reader.length());

            assertEquals(LogReader.OK, reader.read(95, Integer.MAX_VALUE));
            assertEquals(90, reader.firstOffset());
            assertEquals(100, reader.nextOffset());

            assertEquals(LogReader.OK, reader.read(0, Integer.MAX_VALUE, 35));
            assertEquals(30, reader.nextOffset(), "serves only whole batches that end below maxOffset");
            assertEquals(LogReader.OK, reader.read(0, Integer.MAX_VALUE, 40));
            assertEquals(40, reader.nextOffset());
        }
    }

    @Test
    void shouldReturnEmptyRegionWhenReadingAtLogEndOffset() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            final LogReader reader = log.newReader();
            assertEquals(LogReader.OK, reader.read(0, 1024), "empty log");
            assertEquals(0, reader.length());

            append(log, TestBatches.batch(3, NOW), NOW);
            assertEquals(LogReader.OK, reader.read(3, 1024));
            assertEquals(0, reader.length());
            assertEquals(3, reader.nextOffset());
            reader.copyTo(ByteBuffer.allocate(0));
            assertEquals(0, reader.transferTo(java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream())));
        }
    }

    @Test
    void shouldReturnOffsetOutOfRangeWhenReadingBelowStartOrAboveEnd() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            final LogReader reader = log.newReader();
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(1, 1024));
            append(log, TestBatches.batch(3, NOW), NOW);
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(4, 1024));
            assertEquals(0, reader.length());
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(-1, 1024));
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(Long.MAX_VALUE, 1024));
        }
    }

    @Test
    void shouldRollSegmentWhenNextBatchWouldExceedSegmentBytes() throws IOException
    {
        final LogConfig config = smallSegments();
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            int batchLength = 0;
            for (int i = 0; i < 40; i++)
            {
                batchLength = append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            assertTrue(batchLength > 400 && batchLength < 1000, "batch length " + batchLength);
            final int perSegment = 4096 / batchLength;
            final int expectedSegments = (40 + perSegment - 1) / perSegment;
            assertEquals(expectedSegments, log.segmentCount());
            final List<Path> logFiles = files(dir, ".log");
            assertEquals(expectedSegments, logFiles.size());
            for (int s = 0; s < logFiles.size(); s++)
            {
                assertEquals(LogFiles.segmentFileName(s * perSegment * 4L, ".log"), logFiles.get(s).getFileName().toString());
                assertTrue(Files.size(logFiles.get(s)) <= 4096, logFiles.get(s) + " exceeds segment.bytes");
            }

            // One read never spans two segments; reading on crosses them.
            final LogReader reader = log.newReader();
            assertEquals(LogReader.OK, reader.read(0, Integer.MAX_VALUE));
            assertEquals(perSegment * 4L, reader.nextOffset());
            assertEquals(LogReader.OK, reader.read(perSegment * 4L - 1, Integer.MAX_VALUE));
            assertEquals(perSegment * 4L - 4, reader.firstOffset());
            assertEquals(LogReader.OK, reader.read(perSegment * 4L, 1));
            assertEquals(perSegment * 4L, reader.firstOffset());

            final List<Batch> batches = TestBatches.decode(readAll(log, 0, Integer.MAX_VALUE));
            assertEquals(40, batches.size());
            assertContiguous(batches, 0, 160);
            assertContiguous(TestBatches.decode(readAll(log, 57, 1)), 56, 160);
        }
    }

    @Test
    void shouldLeaveLogIntactWhenRollingAnEmptyActiveSegment() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            log.roll();
            append(log, TestBatches.batch(2, NOW), NOW);
            log.roll();
            assertEquals(2, log.segmentCount());
            log.roll();
            assertEquals(2, log.segmentCount(), "an empty active segment is already at the log end offset");
            append(log, TestBatches.batch(3, NOW), NOW);
            assertEquals(5, log.logEndOffset());
            assertTrue(Files.exists(dir.resolve(LogFiles.segmentFileName(2, LogFiles.INDEX_SUFFIX))));
            assertTrue(Files.exists(dir.resolve(LogFiles.segmentFileName(2, LogFiles.TIME_INDEX_SUFFIX))));
        }
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(5, log.logEndOffset());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, 5);
        }
    }

    @Test
    void shouldRollSegmentWhenActiveSegmentIsOlderThanSegmentMs() throws IOException
    {
        final LogConfig config = new LogConfig().segmentMs(1_000).retentionMs(-1);
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            append(log, TestBatches.batch(2, NOW), NOW);
            append(log, TestBatches.batch(2, NOW + 500), NOW + 500);
            append(log, TestBatches.batch(2, NOW + 1_000), NOW + 1_000);
            assertEquals(1, log.segmentCount(), "not older than segment.ms yet");
            append(log, TestBatches.batch(2, NOW + 1_001), NOW + 1_001);
            assertEquals(2, log.segmentCount());
            assertEquals(6, log.segments().acquire()[1].baseOffset());
            append(log, TestBatches.batch(2, NOW + 1_500), NOW + 2_001);
            assertEquals(2, log.segmentCount(), "age is measured from the segment's first batch timestamp");
            append(log, TestBatches.batch(2, NOW + 2_002), NOW + 2_002);
            assertEquals(3, log.segmentCount());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, 12);
        }
    }

    @Test
    void shouldFindFirstRecordAtOrAfterTimestamp() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, smallSegments()))
        {
            // 30 batches of 10 records, record timestamps 1000, 1010, 1020, ... rising by 10 per record.
            for (int b = 0; b < 30; b++)
            {
                append(log, TestBatches.batch(10, 1_000 + b * 100L, 10, 60), NOW);
            }
            assertTrue(log.segmentCount() > 2);
            final LogReader reader = log.newReader();
            for (long offset = 0; offset < 300; offset++)
            {
                final long timestamp = 1_000 + offset * 10;
                assertEquals(offset, reader.offsetForTimestamp(timestamp), "exact timestamp of " + offset);
                assertEquals(offset, reader.offsetForTimestamp(timestamp - 9), "just after " + (offset - 1));
            }
            assertEquals(0, reader.offsetForTimestamp(Long.MIN_VALUE));
            assertEquals(0, reader.offsetForTimestamp(0));
            assertEquals(LogReader.NO_OFFSET, reader.offsetForTimestamp(1_000 + 299 * 10 + 1));
            assertEquals(LogReader.NO_OFFSET, reader.offsetForTimestamp(Long.MAX_VALUE));
        }
        for (int reopen = 0; reopen < 2; reopen++)
        {
            // Once from the trusted indexes of a clean shutdown, once rebuilt by recovery.
            try (PartitionLog log = PartitionLog.open(dir, smallSegments()))
            {
                assertEquals(List.of(), log.recoveryReport());
                final LogReader reader = log.newReader();
                for (long offset = 0; offset < 300; offset++)
                {
                    assertEquals(offset, reader.offsetForTimestamp(1_000 + offset * 10 - 3), "after reopen");
                }
                assertEquals(LogReader.NO_OFFSET, reader.offsetForTimestamp(1_000 + 299 * 10 + 1));
            }
            Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        }
    }

    @Test
    void shouldApplyTimeRetentionWhenReopenedAfterCleanShutdown() throws IOException
    {
        final LogConfig config = smallSegments().retentionMs(60_000).segmentMs(Long.MAX_VALUE);
        final long secondStart;
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            for (int i = 0; i < 3; i++)
            {
                append(log, TestBatches.batch(4, NOW + i, 0, 100), NOW);
            }
            log.roll();
            secondStart = log.logEndOffset();
            for (int i = 0; i < 3; i++)
            {
                append(log, TestBatches.batch(4, NOW + 30_000 + i, 0, 100), NOW);
            }
            log.roll();
            append(log, TestBatches.batch(4, NOW + 50_000, 0, 100), NOW);
        }
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            assertEquals(3, log.segmentCount());
            assertEquals(0, log.applyRetention(NOW + 60_002));
            assertEquals(1, log.applyRetention(NOW + 60_003), "segment 0's largest timestamp is NOW + 2");
            assertEquals(secondStart, log.logStartOffset());
            assertEquals(0, log.applyRetention(NOW + 90_002));
            assertEquals(1, log.applyRetention(NOW + 90_003));
            assertEquals(1, log.segmentCount());
            assertEquals(1, log.applyRetention(NOW + 110_001), "the expired active segment is rolled and deleted");
            assertEquals(log.logEndOffset(), log.logStartOffset());
        }
    }

    @Test
    void shouldFindRecordByTimestampWhenTimestampsAreNotMonotonic() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig().indexIntervalBytes(1)))
        {
            append(log, TestBatches.batch(3, 5_000, 10, 0), NOW); // 0..2: 5000, 5010, 5020
            append(log, TestBatches.batch(3, 1_000, 10, 0), NOW); // 3..5: 1000, 1010, 1020
            append(log, TestBatches.batch(3, 9_000, 10, 0), NOW); // 6..8: 9000, 9010, 9020
            final LogReader reader = log.newReader();
            assertEquals(0, reader.offsetForTimestamp(1_005));
            assertEquals(1, reader.offsetForTimestamp(5_001));
            assertEquals(6, reader.offsetForTimestamp(5_021));
            assertEquals(8, reader.offsetForTimestamp(9_020));
            assertEquals(LogReader.NO_OFFSET, reader.offsetForTimestamp(9_021));
        }
    }

    @Test
    void shouldDeleteOldestSegmentsWhenOverRetentionBytes() throws IOException
    {
        final LogConfig config = smallSegments().retentionBytes(3 * 4096);
        try (PartitionLog log = PartitionLog.open(dir, config, Runnable::run, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            for (int i = 0; i < 60; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            final int segmentsBefore = log.segmentCount();
            final List<Path> filesBefore = files(dir, ".log");
            assertTrue(segmentsBefore > 5);
            final long sizeBefore = log.sizeInBytes();

            final int deleted = log.applyRetention(NOW);
            assertTrue(deleted > 0);
            assertEquals(segmentsBefore - deleted, log.segmentCount());
            final LogSegment[] kept = log.segments().acquire();
            assertEquals(kept[0].baseOffset(), log.logStartOffset());
            assertTrue(log.logStartOffset() > 0);
            assertTrue(log.sizeInBytes() >= 3 * 4096, "keeps at least retention.bytes");
            assertTrue(log.sizeInBytes() - kept[0].size() < 3 * 4096, "deletes every segment it can");
            assertTrue(log.sizeInBytes() < sizeBefore);
            assertEquals(240, log.logEndOffset());

            for (int i = 0; i < deleted; i++)
            {
                final Path logFile = filesBefore.get(i);
                assertFalse(Files.exists(logFile), logFile + " still there");
                assertFalse(Files.exists(Path.of(logFile + LogFiles.DELETED_SUFFIX)));
                final String base = logFile.getFileName().toString().replace(".log", "");
                assertFalse(Files.exists(dir.resolve(base + ".index")));
                assertFalse(Files.exists(dir.resolve(base + ".timeindex")));
            }
            assertEquals(log.segmentCount(), files(dir, ".log").size());

            final LogReader reader = log.newReader();
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(0, 1024));
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(log.logStartOffset() - 1, 1024));
            assertEquals(LogReader.OK, reader.read(log.logStartOffset(), 1024));
            assertEquals(log.logStartOffset(), reader.firstOffset());
            assertContiguous(TestBatches.decode(readAll(log, log.logStartOffset(), 1000)),
                log.logStartOffset(), 240);
            assertEquals(0, log.applyRetention(NOW), "nothing more to delete");
        }
        try (PartitionLog reopened = PartitionLog.open(dir, config))
        {
            assertTrue(reopened.recoveryReport().isEmpty(), reopened.recoveryReport().toString());
            assertTrue(reopened.logStartOffset() > 0);
            assertEquals(240, reopened.logEndOffset());
        }
    }

    @Test
    void shouldKeepDeletedSegmentFilesUntilFileDeleteDelayPasses() throws IOException
    {
        final LogConfig config = smallSegments().retentionBytes(4096).fileDeleteDelayMs(10_000);
        try (PartitionLog log = PartitionLog.open(dir, config, Runnable::run, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            for (int i = 0; i < 20; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            final Path first = dir.resolve(LogFiles.segmentFileName(0, ".log"));
            assertTrue(log.applyRetention(NOW) > 0);
            assertFalse(Files.exists(first));
            assertTrue(Files.exists(Path.of(first + LogFiles.DELETED_SUFFIX)), "renamed, kept for readers");
            log.applyRetention(NOW + 9_999);
            assertTrue(Files.exists(Path.of(first + LogFiles.DELETED_SUFFIX)));
            log.applyRetention(NOW + 10_000);
            assertFalse(Files.exists(Path.of(first + LogFiles.DELETED_SUFFIX)));
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanRetentionMs() throws IOException
    {
        final LogConfig config = smallSegments().retentionMs(60_000);
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            // Segment 0: timestamps around NOW; later segments 30 s later.
            for (int i = 0; i < 6; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            log.roll();
            final long secondStart = log.logEndOffset();
            for (int i = 0; i < 6; i++)
            {
                append(log, TestBatches.batch(4, NOW + 30_000, 0, 100), NOW + 30_000);
            }
            final int segments = log.segmentCount();
            assertEquals(0, log.applyRetention(NOW + 60_000), "nothing older than retention.ms yet");
            assertEquals(1, log.applyRetention(NOW + 60_001));
            assertEquals(secondStart, log.logStartOffset());
            assertEquals(segments - 1, log.segmentCount());
            assertFalse(Files.exists(dir.resolve(LogFiles.segmentFileName(0, ".log"))));
            final LogReader reader = log.newReader();
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(0, 1024));
            assertEquals(LogReader.OK, reader.read(secondStart, 1024));

            // Everything expired: the active segment is rolled and deleted too; offsets carry on.
            final long end = log.logEndOffset();
            assertTrue(log.applyRetention(NOW + 30_000 + 60_001) > 0);
            assertEquals(end, log.logStartOffset());
            assertEquals(end, log.logEndOffset());
            assertEquals(1, log.segmentCount());
            assertEquals(LogReader.OK, reader.read(end, 1024));
            assertEquals(0, reader.length());
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, reader.read(end - 1, 1024));
            append(log, TestBatches.batch(2, NOW + 100_000), NOW + 100_000);
            assertContiguous(TestBatches.decode(readAll(log, end, 1)), end, end + 2);
        }
    }

    @Test
    void shouldKeepEverythingWhenClosedCleanlyAndReopened() throws IOException
    {
        final LogConfig config = smallSegments();
        final byte[] before;
        final long end;
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            for (int i = 0; i < 25; i++)
            {
                append(log, TestBatches.batch(4, 1_000 + i * 100L, 10, 100), NOW);
            }
            before = readAll(log, 0, Integer.MAX_VALUE);
            end = log.logEndOffset();
        }
        assertTrue(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)));
        for (final Path index : files(dir, ".index"))
        {
            assertEquals(0, Files.size(index) % OffsetIndex.ENTRY_SIZE);
        }

        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertFalse(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)), "marker removed on open");
            assertEquals(0, log.logStartOffset());
            assertEquals(end, log.logEndOffset());
            assertEquals(end, log.durableEndOffset());
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            final LogReader reader = log.newReader();
            assertEquals(37, reader.offsetForTimestamp(1_000 + 9 * 100 + 10));
            assertEquals(LogReader.NO_OFFSET, reader.offsetForTimestamp(1_000 + 24 * 100 + 31));

            append(log, TestBatches.batch(3, 9_000), NOW);
            assertEquals(end + 3, log.logEndOffset());
            assertContiguous(TestBatches.decode(readAll(log, 0, 777)), 0, end + 3);
            assertEquals(end, reader.offsetForTimestamp(9_000));
        }
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(end + 3, log.logEndOffset());
        }
    }

    @Test
    void shouldRecoverEverythingWhenReopenedAfterCrashCopy() throws IOException
    {
        final LogConfig config = smallSegments();
        final Path crashed = dir.resolve("crashed");
        final byte[] before;
        final long end;
        try (PartitionLog log = PartitionLog.open(dir.resolve("live"), config))
        {
            for (int i = 0; i < 25; i++)
            {
                append(log, TestBatches.batch(4, 1_000 + i, 0, 100), NOW);
            }
            before = readAll(log, 0, Integer.MAX_VALUE);
            end = log.logEndOffset();
            copyDirectory(log.dir(), crashed);
        }
        assertFalse(Files.exists(crashed.resolve(LogFiles.CLEAN_SHUTDOWN)));

        try (PartitionLog log = PartitionLog.open(crashed, config))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(end, log.logEndOffset());
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            assertEquals(24 * 4, log.newReader().offsetForTimestamp(1_024));
            append(log, TestBatches.batch(3, 2_000), NOW);
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, end + 3);
        }
    }

    @Test
    void shouldRecoverEverythingWhenCleanShutdownMarkerIsMissing() throws IOException
    {
        final LogConfig config = smallSegments();
        final byte[] before;
        final long end;
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            for (int i = 0; i < 25; i++)
            {
                append(log, TestBatches.batch(4, 1_000 + i, 0, 100), NOW);
            }
            before = readAll(log, 0, Integer.MAX_VALUE);
            end = log.logEndOffset();
        }
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(end, log.logEndOffset());
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            append(log, TestBatches.batch(3, 2_000), NOW);
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, end + 3);
        }
    }

    @Test
    void shouldMakeAppendsDurableWhenFlushPolicyIsEvery() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, smallSegments().flushPolicy(FlushPolicy.EVERY)))
        {
            for (int i = 0; i < 20; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
                assertEquals(log.logEndOffset(), log.durableEndOffset());
            }
        }
    }

    @Test
    void shouldLagDurableEndOffsetWhenFlushPolicyIsOs() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig()))
        {
            append(log, TestBatches.batch(4, NOW), NOW);
            assertEquals(0, log.durableEndOffset());
            log.flush();
            assertEquals(4, log.durableEndOffset());
        }
    }

    @Test
    void shouldYieldIdenticalBytesWhenCopyingOrTransferring() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir.resolve("log"), smallSegments());
             FileChannel file = FileChannel.open(dir.resolve("out"), StandardOpenOption.CREATE_NEW,
                 StandardOpenOption.READ, StandardOpenOption.WRITE);
             ServerSocketChannel server = ServerSocketChannel.open()
                 .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept())
        {
            for (int i = 0; i < 12; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            final LogReader reader = log.newReader();
            long offset = 0;
            while (offset < log.logEndOffset())
            {
                assertEquals(LogReader.OK, reader.read(offset, 2_000));
                final int length = reader.length();
                final ByteBuffer copied = ByteBuffer.allocate(length + 10);
                copied.position(5);
                reader.copyTo(copied);
                assertEquals(5 + length, copied.position());
                final byte[] expected = Arrays.copyOfRange(copied.array(), 5, 5 + length);
                TestBatches.decode(expected);

                file.truncate(0);
                assertEquals(length, reader.transferTo(file));
                final ByteBuffer fromFile = ByteBuffer.allocate(length);
                file.read(fromFile, 0);
                assertArrayEquals(expected, fromFile.array(), "file transfer at " + offset);

                assertEquals(length, reader.transferTo(client));
                final ByteBuffer fromSocket = ByteBuffer.allocate(length);
                while (fromSocket.hasRemaining())
                {
                    assertTrue(accepted.read(fromSocket) >= 0);
                }
                assertArrayEquals(expected, fromSocket.array(), "socket transfer at " + offset);
                offset = reader.nextOffset();
            }
            assertThrows(IllegalArgumentException.class, () ->
            {
                reader.read(0, Integer.MAX_VALUE);
                reader.copyTo(ByteBuffer.allocate(reader.length() - 1));
            });
        }
    }

    static void copyDirectory(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> list = Files.list(from))
        {
            for (final Path file : list.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void shouldStampTheLeaderEpochInEveryBatchAppendedAfterItIsSet() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig().retentionMs(-1)))
        {
            append(log, TestBatches.batch(2, NOW), NOW);
            log.leaderAppends().stamp(7);
            append(log, TestBatches.batch(2, NOW), NOW);

            final ByteBuffer bytes = ByteBuffer.wrap(readAll(log, 0, 1 << 20));
            final RecordBatch batch = new RecordBatch();
            final UnsafeBuffer view = new UnsafeBuffer(bytes);
            assertEquals(0, batch.wrap(view, 0).partitionLeaderEpoch(), "stamped over the producer's -1");
            assertEquals(7, batch.wrap(view, batch.totalLength()).partitionLeaderEpoch());
        }
    }

    @Test
    void shouldNotRollAtEveryAppendWhenBatchesCarryNoTimestamp() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig().segmentMs(60_000)))
        {
            for (int i = 0; i < 5; i++)
            {
                append(log, TestBatches.batch(2, LogSegment.NO_TIMESTAMP), NOW);
            }
            assertEquals(1, log.segmentCount(), "age is measured from when the segment was first seen");
            append(log, TestBatches.batch(2, LogSegment.NO_TIMESTAMP), NOW + 60_001);
            assertEquals(2, log.segmentCount(), "and segment.ms still rolls it");
        }
    }
}
