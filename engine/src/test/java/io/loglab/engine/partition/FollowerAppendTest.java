package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LeaderEpochCache;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.NotLeaderException;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.record.CorruptRecordBatchException;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.loglab.engine.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static io.loglab.engine.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static io.loglab.engine.record.RecordBatchDescriptor.CRC_OFFSET;
import static io.loglab.engine.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static io.loglab.engine.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Follower appends through the writer shards ({@link AppendRequest#asFollower}): the leader's offsets and epochs
 * kept byte for byte, a batch that does not continue the log refused with every one after it in its drain, leader
 * and follower appends queued together each written their own way, and idempotent producers' state derived from
 * followed batches as from led ones.
 */
class FollowerAppendTest
{
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path dir;

    /**
     * A batch as a leader stored it: {@code records} records from {@code baseOffset}, stamped with {@code epoch}
     * (neither field is under the CRC).
     */
    private static ByteBuffer led(final ByteBuffer batch, final long baseOffset, final int epoch)
    {
        batch.putLong(batch.position() + BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(batch.position() + PARTITION_LEADER_EPOCH_OFFSET, epoch);
        return batch;
    }

    private static AppendRequest offer(final Partition partition, final ByteBuffer batch, final boolean asFollower)
    {
        final AppendRequest request = new AppendRequest().batch(batch).asFollower(asFollower);
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, 10_000, () -> "offer");
        return request;
    }

    private static AppendRequest append(final Partition partition, final ByteBuffer batch, final boolean asFollower)
    {
        final AppendRequest request = offer(partition, batch, asFollower);
        TestBatches.await(request::isDone, 10_000, () -> "an answer");
        return request;
    }

    @Test
    void shouldKeepTheLeadersOffsetsAndEpochsByteForByte() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition leader = logs.createTopic("leader", 1, new LogConfig()).partition(0);
            final Partition follower = logs.createTopic("follower", 1, new LogConfig()).partition(0);
            leader.leaderEpoch(2).get();
            for (int i = 0; i < 5; i++)
            {
                append(leader, TestBatches.batch(3, NOW + i), false);
            }
            leader.leaderEpoch(5).get();
            append(leader, TestBatches.batch(2, NOW), false);
            final byte[] leaderBytes = TestBatches.stored(leader);

            final ByteBuffer all = ByteBuffer.wrap(leaderBytes);
            while (all.hasRemaining())
            {
                final int length = all.getInt(all.position() + 8) + 12;
                final ByteBuffer one = ByteBuffer.allocateDirect(length);
                one.put(all.slice().limit(length)).flip();
                all.position(all.position() + length);
                final AppendRequest request = append(follower, one, true);
                assertNotEquals(AppendRequest.FAILED, request.status(), String.valueOf(request.failure()));
            }
            assertArrayEquals(leaderBytes, TestBatches.stored(follower), "the follower stores the leader's bytes");
            assertEquals(17, follower.logEndOffset());
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(2, 0), new LeaderEpochCache.EpochEntry(5, 15)),
                follower.log().epochCache().entries());
        }
    }

    /**
     * The batch with its first record's length one byte longer and the CRC made to match: framing a producer's
     * append walks and refuses, a follower's does not.
     */
    private static ByteBuffer misframedWithItsCrc(final ByteBuffer batch)
    {
        final int at = batch.position();
        batch.put(at + RECORDS_OFFSET, (byte)(batch.get(at + RECORDS_OFFSET) + 2));
        final CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().position(at + ATTRIBUTES_OFFSET));
        batch.putInt(at + CRC_OFFSET, (int)crc.getValue());
        return batch;
    }

    @Test
    void shouldCheckAFollowersBatchByHeaderAndCrcAndAProducersRecordByRecord() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            final InvalidRecordBatchException refused = assertThrows(InvalidRecordBatchException.class,
                () -> partition.offer(new AppendRequest().batch(misframedWithItsCrc(TestBatches.batch(2, NOW)))));
            assertTrue(refused.getMessage().contains("record at byte"), refused.getMessage());

            final AppendRequest followed = append(partition, led(misframedWithItsCrc(TestBatches.batch(2, NOW)), 0, 1),
                true);
            assertNotEquals(AppendRequest.FAILED, followed.status(), String.valueOf(followed.failure()));
            assertEquals(2, partition.logEndOffset(), "its leader walked its records; its CRC shows they are its");

            final ByteBuffer damaged = led(TestBatches.batch(2, NOW), 2, 1);
            damaged.put(damaged.limit() - 1, (byte)(damaged.get(damaged.limit() - 1) ^ 1));
            assertThrows(CorruptRecordBatchException.class,
                () -> partition.offer(new AppendRequest().batch(damaged).asFollower(true)));
            assertEquals(2, partition.logEndOffset(), "nothing of a damaged batch stored");
        }
    }

    @Test
    void shouldRefuseABatchThatDoesNotContinueTheLogAndEveryOneAfterIt() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition follower = logs.createTopic("t", 1, new LogConfig()).partition(0);
            assertEquals(0, append(follower, led(TestBatches.batch(2, NOW), 0, 1), true).baseOffset());
            final AppendRequest gap = offer(follower, led(TestBatches.batch(2, NOW), 5, 1), true);
            final AppendRequest after = offer(follower, led(TestBatches.batch(2, NOW), 7, 1), true);
            TestBatches.await(after::isDone, 10_000, () -> "an answer");
            assertTrue(gap.isDone());
            assertInstanceOf(InvalidRecordBatchException.class, gap.failure());
            assertEquals(AppendRequest.FAILED, after.status(), "queued after a refused one");
            assertEquals(2, follower.logEndOffset(), "nothing of them stored");
            final AppendRequest older = append(follower, led(TestBatches.batch(1, NOW), 2, 0), true);
            assertInstanceOf(InvalidRecordBatchException.class, older.failure(), "an epoch older than the log's");
            assertEquals(3, append(follower, led(TestBatches.batch(2, NOW), 2, 1), true).lastOffset());
        }
    }

    @Test
    void shouldWriteLeaderAndFollowerAppendsQueuedTogetherEachTheirOwnWay() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            final List<AppendRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                // Follower batches carry base offset 0 as led ones do: only the leader path may take them as 0.
                requests.add(i % 2 == 0 ? offer(partition, TestBatches.batch(1, NOW), false) :
                    offer(partition, led(TestBatches.batch(1, NOW), i, 0), true));
            }
            for (int i = 0; i < requests.size(); i++)
            {
                final AppendRequest request = requests.get(i);
                TestBatches.await(request::isDone, 10_000, () -> "an answer");
                assertNotEquals(AppendRequest.FAILED, request.status(), i + ": " + request.failure());
                assertEquals(i, request.baseOffset());
            }
            assertEquals(20, partition.logEndOffset());
        }
    }

    @Test
    void shouldDeriveIdempotentProducersStateFromFollowedBatches() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            append(partition, led(IdempotentAppendTest.batch(77, 0, 0, 3), 0, 1), true);
            append(partition, led(IdempotentAppendTest.batch(77, 0, 3, 2), 3, 1), true);
            partition.leaderEpoch(2).get();
            final AppendRequest retry = append(partition, IdempotentAppendTest.batch(77, 0, 3, 2), false);
            assertNotEquals(AppendRequest.FAILED, retry.status(), String.valueOf(retry.failure()));
            assertEquals(3, retry.baseOffset(), "as leader now, a retry of a followed batch gets its offsets");
            assertEquals(5, append(partition, IdempotentAppendTest.batch(77, 0, 5, 1), false).baseOffset());
            assertEquals(6, partition.logEndOffset());
        }
    }

    /**
     * The test directory's logs as a replication node opens them: replication moves the high watermark.
     */
    private LogManagerContext replicated()
    {
        return new LogManagerContext().dataDir(dir)
            .highWatermarkPolicy(PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION);
    }

    @Test
    void shouldLeaveTheHighWatermarkToReplicationWhenTheDirectorySaysSo() throws Exception
    {
        try (LogManager logs = LogManager.open(replicated()))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            partition.leaderEpoch(0).get();
            append(partition, TestBatches.batch(3, NOW), false);
            append(partition, TestBatches.batch(3, NOW), false);
            assertEquals(6, partition.logEndOffset());
            assertEquals(0, partition.log().highWatermark(), "nothing committed until replication says so");
            assertEquals(0, partition.newReader().read(0, 1 << 20) == LogReader.OK ?
                partition.newReader().length() : -1, "a consumer reads nothing above it");
            partition.highWatermark(3);
            assertEquals(3, partition.log().highWatermark());
            partition.highWatermark(2);
            assertEquals(3, partition.log().highWatermark(), "never lowered but by a truncation");
            partition.highWatermark(100);
            assertEquals(6, partition.log().highWatermark(), "clamped to the log end");
        }
        try (LogManager logs = LogManager.open(replicated()))
        {
            assertEquals(6, logs.topic("t").partition(0).log().highWatermark(), "kept across a clean restart");
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition standalone = logs.topic("t").partition(0);
            append(standalone, TestBatches.batch(1, NOW), false);
            assertEquals(7, standalone.log().highWatermark(), "by default it follows the log end");
            assertThrows(IllegalStateException.class, () -> standalone.highWatermark(7));
        }
    }

    @Test
    void shouldTakeLeaderAppendsToAReplicatedLogOnlyWhileItLeads() throws Exception
    {
        try (LogManager logs = LogManager.open(replicated()))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            final AppendRequest beforeLeading = append(partition, TestBatches.batch(3, NOW), false);
            assertEquals(AppendRequest.FAILED, beforeLeading.status());
            assertInstanceOf(NotLeaderException.class, beforeLeading.failure());

            partition.leaderEpoch(1).get();
            assertEquals(0, append(partition, TestBatches.batch(3, NOW), false).baseOffset());

            partition.resign().get();
            final AppendRequest afterResigning = append(partition, TestBatches.batch(3, NOW), false);
            assertInstanceOf(NotLeaderException.class, afterResigning.failure());
            assertEquals(3, partition.logEndOffset(), "nothing written while not leading");
            final ByteBuffer fromLeader = TestBatches.batch(2, NOW);
            fromLeader.putLong(fromLeader.position() + BASE_OFFSET_OFFSET, 3);
            fromLeader.putInt(fromLeader.position() + PARTITION_LEADER_EPOCH_OFFSET, 2);
            assertEquals(3, append(partition, fromLeader, true).baseOffset(), "a follower append is taken");

            partition.leaderEpoch(3).get();
            assertEquals(5, append(partition, TestBatches.batch(1, NOW), false).baseOffset(), "leading again");
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition standalone = logs.topic("t").partition(0);
            assertEquals(6, append(standalone, TestBatches.batch(1, NOW), false).baseOffset(),
                "a log no one replicates always leads");
            assertThrows(java.util.concurrent.ExecutionException.class, () -> standalone.resign().get());
        }
    }
}
