package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LeaderEpochCache.EpochEntry;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.loglab.engine.log.PartitionLogTest.append;
import static io.loglab.engine.log.PartitionLogTest.assertContiguous;
import static io.loglab.engine.log.PartitionLogTest.files;
import static io.loglab.engine.log.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What replication will need from a log: leader epochs recorded and rebuilt, truncation from the end, appends of
 * batches that already carry offsets, and a high watermark that bounds consumers but not replicas.
 */
class ReplicaLogTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1).fileDeleteDelayMs(0);
    }

    private static PartitionLog open(final Path dir, final PartitionLog.HighWatermarkPolicy policy)
        throws IOException
    {
        return PartitionLog.open(dir, config(), Runnable::run, policy);
    }

    /** 30 batches of 4 records: epoch 0 for the first 10, epoch 3 for the next 10, epoch 7 after. */
    private static void writeEpochs(final PartitionLog log) throws IOException
    {
        for (int i = 0; i < 30; i++)
        {
            if (i == 10)
            {
                log.leaderAppends().stamp(3);
            }
            if (i == 20)
            {
                log.leaderAppends().stamp(7);
            }
            append(log, TestBatches.batch(4, NOW + i, 1, 100), NOW);
        }
    }

    @Test
    void shouldRecordEachEpochAtItsFirstBatchAndKeepItAcrossReopens() throws IOException
    {
        final List<EpochEntry> expected = List.of(new EpochEntry(0, 0), new EpochEntry(3, 40), new EpochEntry(7, 80));
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
            assertEquals(expected, log.epochCache().entries());
            assertEquals(new LeaderEpochCache.EpochEndOffset(3, 80), log.epochCache().endOffsetFor(3, 120));
            assertThrows(IllegalArgumentException.class, () -> log.leaderAppends().stamp(6), "epochs never go back");
        }
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(expected, log.epochCache().entries());
        }
        Files.delete(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(expected, log.epochCache().entries(), "rebuilt from the batches' epochs");
        }
        Files.writeString(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT), "garbage");
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(expected, log.epochCache().entries(), "rebuilt from the batches' epochs");
            assertEquals(LogFinding.Kind.REBUILT, log.recoveryReport().get(0).kind());
        }
        assertEquals(expected, new LeaderEpochCheckpointFile(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT)).read());
    }

    @Test
    void shouldTruncateToABatchBoundaryAndTakeAppendsFromThere() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
            final int segmentsBefore = log.segmentCount();
            assertEquals(60, log.truncateTo(60, NOW));
            assertEquals(60, log.logEndOffset());
            assertEquals(60, log.highWatermark());
            assertTrue(log.segmentCount() < segmentsBefore, "segments past the cut removed");
            assertEquals(List.of(new EpochEntry(0, 0), new EpochEntry(3, 40)), log.epochCache().entries());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, 60);
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, log.newReader().read(61, 100));

            log.leaderAppends().stamp(9);
            append(log, TestBatches.batch(4, NOW), NOW);
            assertEquals(64, log.logEndOffset());
            assertEquals(new EpochEntry(9, 60), log.epochCache().entries().get(2));
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, 64);
        }
        assertEquals(List.of(), files(dir, LogFiles.DELETED_SUFFIX), "removed segments deleted");
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(64, log.logEndOffset());
            assertEquals(3, log.epochCache().entries().size());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, 64);
        }
    }

    @Test
    void shouldCutTheWholeBatchHoldingAnOffsetInsideIt() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
            assertEquals(40, log.truncateTo(42, NOW), "offset 42 is inside the batch 40-43");
            assertEquals(List.of(new EpochEntry(0, 0)), log.epochCache().entries());
            assertEquals(120, log.truncateTo(500, NOW) + 80, "past the end: nothing to do");
        }
    }

    @Test
    void shouldMakeTheSegmentBeforeActiveWhenTruncatingAtASegmentsBaseOffset() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
            final List<Path> segments = files(dir, LogFiles.LOG_SUFFIX);
            final long secondBase = LogFiles.baseOffset(segments.get(1).getFileName().toString(), LogFiles.LOG_SUFFIX);
            assertEquals(secondBase, log.truncateTo(secondBase, NOW));
            assertEquals(1, log.segmentCount());
            append(log, TestBatches.batch(4, NOW), NOW);
            assertEquals(secondBase + 4, log.logEndOffset());
            assertEquals(1, log.segmentCount(), "the first segment takes appends again");
            assertContiguous(TestBatches.decode(readAll(log, 0, 1 << 20)), 0, secondBase + 4);
        }
    }

    @Test
    void shouldTruncateFullyAndStartAtAnyOffset() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
            log.truncateFullyAndStartAt(1_000, NOW);
            assertEquals(1_000, log.logStartOffset());
            assertEquals(1_000, log.logEndOffset());
            assertEquals(List.of(), log.epochCache().entries());
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, log.newReader().read(999, 100));
            append(log, TestBatches.batch(4, NOW), NOW);
            assertEquals(1_004, log.logEndOffset());
        }
        assertEquals(List.of(dir.resolve(LogFiles.segmentFileName(1_000, LogFiles.LOG_SUFFIX))),
            files(dir, LogFiles.LOG_SUFFIX));
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(1_000, log.logStartOffset());
            assertEquals(1_004, log.logEndOffset());
            assertContiguous(TestBatches.decode(readAll(log, 1_000, 1 << 20)), 1_000, 1_004);
        }
    }

    @Test
    void shouldAppendTheLeadersBatchesAsTheyAreOnTheFollower() throws IOException
    {
        final Path leaderDir = dir.resolve("leader");
        final Path followerDir = dir.resolve("follower");
        final List<ByteBuffer> replicated = new ArrayList<>();
        try (PartitionLog leader = open(leaderDir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(leader);
            final LogReader reader = leader.newReader();
            for (long offset = 0; offset < leader.logEndOffset(); )
            {
                assertEquals(LogReader.OK, reader.read(offset, 1));
                final ByteBuffer batch = ByteBuffer.allocate(reader.length());
                reader.copyTo(batch);
                replicated.add(batch.flip());
                offset = reader.nextOffset();
            }
        }
        try (PartitionLog follower = open(followerDir, PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION))
        {
            final ByteBuffer[] batches = replicated.toArray(new ByteBuffer[0]);
            int done = 0;
            while (done < batches.length)
            {
                done += follower.appendAsFollower(batches, done, batches.length - done, NOW);
            }
            assertEquals(120, follower.logEndOffset());
            assertEquals(0, follower.highWatermark(), "replication moves it, not appends");
            assertEquals(List.of(new EpochEntry(0, 0), new EpochEntry(3, 40), new EpochEntry(7, 80)),
                follower.epochCache().entries());

            final ByteBuffer again = replicated.get(0).duplicate();
            final InvalidRecordBatchException notContiguous = assertThrows(InvalidRecordBatchException.class,
                () -> follower.appendAsFollower(new ByteBuffer[]{ again }, 0, 1, NOW));
            assertTrue(notContiguous.getMessage().contains("continues at 120"), notContiguous.getMessage());

            final ByteBuffer stale = TestBatches.batch(2, NOW);
            RecordBatchDescriptor.putLong(stale, RecordBatchDescriptor.BASE_OFFSET_OFFSET, 120);
            RecordBatchDescriptor.putInt(stale, RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET, 5);
            final InvalidRecordBatchException older = assertThrows(InvalidRecordBatchException.class,
                () -> follower.appendAsFollower(new ByteBuffer[]{ stale }, 0, 1, NOW));
            assertTrue(older.getMessage().contains("leader epoch 5, older than the log's 7"), older.getMessage());

            final ByteBuffer next = TestBatches.batch(2, NOW);
            RecordBatchDescriptor.putLong(next, RecordBatchDescriptor.BASE_OFFSET_OFFSET, 120);
            RecordBatchDescriptor.putInt(next, RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET, 7);
            assertEquals(1, follower.appendAsFollower(new ByteBuffer[]{ next, again }, 0, 2, NOW),
                "the batches before the first that does not continue the log");
            assertEquals(122, follower.logEndOffset());
        }
        try (PartitionLog leader = open(leaderDir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END);
             PartitionLog follower = open(followerDir, PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION))
        {
            final byte[] leaderBytes = readAll(leader, 0, 1 << 20);
            final byte[] followerBytes = new byte[leaderBytes.length];
            final LogReader reader = follower.newReader();
            final ByteBuffer target = ByteBuffer.wrap(followerBytes);
            for (long offset = 0; offset < 120; offset = reader.nextOffset())
            {
                assertEquals(LogReader.OK, reader.read(offset, 1 << 20, 120));
                reader.copyTo(target);
            }
            assertArrayEquals(leaderBytes, followerBytes, "byte for byte as the leader stored them");
        }
    }

    @Test
    void shouldBoundConsumersByTheHighWatermarkAndReplicasByTheLogEnd() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION))
        {
            writeEpochs(log);
            final LogReader reader = log.newReader();
            assertEquals(LogReader.OK, reader.read(0, 1 << 20));
            assertEquals(0, reader.length(), "nothing committed yet");
            log.highWatermark(50);
            assertEquals(50, log.highWatermark());
            assertEquals(LogReader.OK, reader.read(40, 1 << 20));
            assertEquals(40, reader.firstOffset());
            assertEquals(48, reader.nextOffset(), "whole batches ending below it; 48-51 is held back");
            assertEquals(LogReader.OK, reader.read(40, 1 << 20, log.logEndOffset()));
            assertTrue(reader.nextOffset() > 50, "a replica reads past it");
            log.highWatermark(1_000);
            assertEquals(120, log.highWatermark(), "never past the log end");
            log.highWatermark(52);
            assertEquals(40, log.truncateTo(42, NOW));
            assertEquals(40, log.highWatermark(), "truncation moves it back");
        }
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION))
        {
            assertEquals(40, log.highWatermark(), "kept in its checkpoint");
        }
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(log.logEndOffset(), log.highWatermark());
            assertThrows(IllegalStateException.class, () -> log.highWatermark(3));
        }
    }

    @Test
    void shouldReportOffsetsMissingBeforeTheFirstSegmentThatRetentionDidNotRemove() throws IOException
    {
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeEpochs(log);
        }
        final List<Path> segments = files(dir, LogFiles.LOG_SUFFIX);
        Files.writeString(dir.resolve(LogFiles.LOG_START_OFFSET), "0\n");
        Files.delete(segments.get(0));
        final long secondBase = LogFiles.baseOffset(segments.get(1).getFileName().toString(), LogFiles.LOG_SUFFIX);
        assertEquals(LogVerifier.Status.DAMAGED, LogVerifier.verify(dir, config()).status());
        try (PartitionLog log = open(dir, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(secondBase, log.logStartOffset());
            assertTrue(log.recoveryReport().stream().anyMatch(f -> f.kind() == LogFinding.Kind.OFFSETS_MISSING &&
                f.offsets().equals("offsets 0 to " + (secondBase - 1))), log.recoveryReport().toString());
        }
        assertEquals(LogVerifier.Status.CLEAN, LogVerifier.verify(dir, config()).status(),
            "the writer recorded the new start");
    }
}
