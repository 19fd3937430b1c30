package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The close handshake of a partition's queue, driven step by step on a shard whose thread never runs, so the moment
 * after the shard's last drain can be held still.
 */
class AppendQueueTest
{
    @TempDir
    Path dataDir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    @Test
    void shouldAnswerEveryLeftoverWhenAListenerThrowsWhileTheClosingThreadFailsThem()
    {
        final WriterShard shard = new WriterShard(
            "unstarted", SystemEpochClock.INSTANCE, 1000, errors::add, RecoveryListener.STDERR, new AppendSignal(), false);
        final Partition partition =
            new Partition("t", 0, dataDir.resolve("t").resolve("partition-0"), dataDir, new LogConfig(), 16,
                PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END, shard, null);
        final IllegalStateException thrown = new IllegalStateException("a listener's own failure");
        final AppendRequest throwing = new AppendRequest().batch(TestBatches.batch(1, 0)).listener(request ->
        {
            throw thrown;
        });
        final AppendRequest quiet = new AppendRequest().batch(TestBatches.batch(1, 0));
        // Offered after the shard's last drain: the closing thread is theirs to answer.
        assertEquals(Partition.OFFERED, partition.offer(throwing));
        assertEquals(Partition.OFFERED, partition.offer(quiet));
        partition.beginClose();

        assertTrue(partition.finishClose(CompletableFuture.completedFuture(null), 0));
        assertEquals(AppendRequest.FAILED, throwing.status());
        assertEquals(AppendRequest.FAILED, quiet.status(), "answered though the listener before it threw");
        assertTrue(quiet.failure().getMessage().contains("closed"), quiet.failure().toString());
        assertEquals(List.of(thrown), List.copyOf(errors), "the listener's failure goes to the error handler");
    }
}
