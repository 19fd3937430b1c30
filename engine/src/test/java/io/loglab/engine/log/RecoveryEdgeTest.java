package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RecoveryEdgeTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldQuarantineAnEmptySegmentNamedPastTheLogEndWhenEarlierSegmentsLostTheirTail() throws IOException
    {
        final LogConfig config = new LogConfig().segmentBytes(4096).retentionMs(-1);
        final List<Long> batchEnds = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            while (log.segmentCount() < 2)
            {
                PartitionLogTest.append(log, TestBatches.batch(4, NOW), NOW);
                if (log.segmentCount() == 1)
                {
                    batchEnds.add(log.logEndOffset());
                }
            }
        }
        // A power loss kept the first segment only up to a batch boundary, and the second segment's file exists but
        // lost its bytes.
        final long second = batchEnds.get(batchEnds.size() - 1);
        final Path first = dir.resolve(LogFiles.segmentFileName(0, LogFiles.LOG_SUFFIX));
        final long keptOffsets = batchEnds.get(batchEnds.size() / 2);
        final long keptBytes = bytesOfFirstOffsets(first, keptOffsets);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE))
        {
            channel.truncate(keptBytes);
        }
        try (FileChannel channel = FileChannel.open(
            dir.resolve(LogFiles.segmentFileName(second, LogFiles.LOG_SUFFIX)), StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.writeString(dir.resolve(LogFiles.RECOVERY_POINT), "0\n");

        try (PartitionLog reopened = PartitionLog.open(dir, config))
        {
            assertEquals(keptOffsets, reopened.logEndOffset());
            final List<LogFinding> report = reopened.recoveryReport();
            assertTrue(report.stream().anyMatch(f -> f.kind() == LogFinding.Kind.QUARANTINED &&
                f.file().getFileName().toString().equals(LogFiles.segmentFileName(second, LogFiles.LOG_SUFFIX))),
                "the empty segment past the log end is quarantined: " + report);
            assertTrue(Files.isRegularFile(dir.resolve(LogFiles.QUARANTINE_DIR).resolve(
                Files.list(dir.resolve(LogFiles.QUARANTINE_DIR)).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(LogFiles.segmentFileName(second, LogFiles.LOG_SUFFIX))).findFirst()
                    .orElseThrow())));
            PartitionLogTest.append(reopened, TestBatches.batch(4, NOW), NOW);
            assertEquals(keptOffsets + 4, reopened.logEndOffset());
            PartitionLogTest.assertContiguous(
                TestBatches.decode(PartitionLogTest.readAll(reopened, 0, 1 << 20)), 0, keptOffsets + 4);
        }
        try (PartitionLog again = PartitionLog.open(dir, config))
        {
            assertEquals(List.of(), again.recoveryReport(), "a clean reopen finds nothing to repair");
            assertEquals(keptOffsets + 4, again.logEndOffset());
        }
        final LogVerifier.Result verified = LogVerifier.verify(dir, config);
        assertEquals(LogVerifier.Status.CLEAN, verified.status(), verified.findings().toString());
    }

    @Test
    void shouldKeepAppendingWhenTheOffsetIndexFillsWithinOneWrite() throws IOException
    {
        // Room for 3 offset index entries, an entry after every batch, and one call appending 64 batches.
        final LogConfig config = new LogConfig().segmentIndexBytes(24).indexIntervalBytes(1).retentionMs(-1);
        final ByteBuffer[] batches = new ByteBuffer[64];
        for (int i = 0; i < batches.length; i++)
        {
            batches[i] = TestBatches.batch(2, NOW);
        }
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            int done = 0;
            while (done < batches.length)
            {
                done += log.append(batches, done, batches.length - done, NOW);
            }
            assertEquals(128, log.logEndOffset());
            PartitionLogTest.assertContiguous(TestBatches.decode(PartitionLogTest.readAll(log, 0, 1 << 20)), 0, 128);
        }
        try (PartitionLog reopened = PartitionLog.open(dir, config))
        {
            assertEquals(List.of(), reopened.recoveryReport());
            assertEquals(128, reopened.logEndOffset());
            final LogReader reader = reopened.newReader();
            assertEquals(LogReader.OK, reader.read(77, 1));
            assertTrue(reader.firstOffset() <= 77 && reader.nextOffset() > 77);
        }
    }

    @Test
    void shouldCutAtACorruptLengthThatStillFitsTheFileWithoutAllocatingIt() throws IOException
    {
        final LogConfig config = new LogConfig().retentionMs(-1);
        final long secondBatchPosition;
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            PartitionLogTest.append(log, TestBatches.batch(4, NOW), NOW);
            secondBatchPosition = log.sizeInBytes();
            PartitionLogTest.append(log, TestBatches.batch(4, NOW), NOW);
        }
        final Path segment = dir.resolve(LogFiles.segmentFileName(0, LogFiles.LOG_SUFFIX));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.READ))
        {
            // Grow the file past 32 MiB (sparse), then claim the second batch runs to its end.
            channel.write(ByteBuffer.wrap(new byte[]{ 0 }), 40L * 1024 * 1024);
            final int batchLength = (int)(channel.size() - secondBatchPosition - 12);
            channel.write(ByteBuffer.allocate(4).putInt(0, batchLength), secondBatchPosition + 8);
        }
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.writeString(dir.resolve(LogFiles.RECOVERY_POINT), "0\n");

        try (PartitionLog reopened = PartitionLog.open(dir, config))
        {
            assertEquals(4, reopened.logEndOffset(), "the log ends before the batch with the corrupt length");
            assertEquals(1, reopened.recoveryReport().size(), reopened.recoveryReport().toString());
            final LogFinding found = reopened.recoveryReport().get(0);
            assertEquals(secondBatchPosition, found.position());
            assertTrue(found.reason().contains("CRC32C"), found.reason());
            assertEquals(secondBatchPosition, Files.size(segment), "cut where the damage starts");
        }
    }

    private static long bytesOfFirstOffsets(final Path logFile, final long offsets) throws IOException
    {
        final FileBatchIterator iterator = new FileBatchIterator(4096);
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ))
        {
            iterator.reset(channel::read, 0, channel.size());
            while (iterator.next())
            {
                if (iterator.batch().nextOffset() == offsets)
                {
                    return iterator.nextPosition();
                }
            }
        }
        throw new AssertionError("no batch ends at offset " + offsets);
    }
}
