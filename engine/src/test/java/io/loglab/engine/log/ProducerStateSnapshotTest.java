package io.loglab.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.loglab.engine.log.LogCompactionTest.keyed;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The idempotent producers' state survives a restart through its snapshots ({@link ProducerStateSnapshots}): taken at
 * roll and at close, read back with the batches after them, passed over when damaged or past the log end. A snapshot
 * knows batches the log no longer holds (compaction removed them): a retry of one is still a duplicate.
 */
class ProducerStateSnapshotTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).retentionMs(-1).fileDeleteDelayMs(0)
            .cleanupPolicy(CleanupPolicy.COMPACT);
    }

    private PartitionLog open() throws IOException
    {
        return PartitionLog.open(dir, config(), Runnable::run, PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END);
    }

    /** Append as the writer shard does: checked against the state, written, then recorded. */
    private static void appendChecked(final PartitionLog log, final ByteBuffer batch) throws IOException
    {
        final ProducerStateTable state = log.producerState();
        assertEquals(ProducerStateTable.APPEND, state.check(batch));
        PartitionLogTest.append(log, batch, NOW);
        batch.rewind();
        state.onAppended(batch);
    }

    /** Producer 7 writes key "a" five times (offsets 0 to 4), then a plain producer replaces it; all rolled. */
    private void writeAndCompact() throws IOException
    {
        try (PartitionLog log = open())
        {
            for (int sequence = 0; sequence < 5; sequence++)
            {
                appendChecked(log, keyed(NOW, 7, sequence, "a", "from-7-" + sequence));
            }
            appendChecked(log, keyed(NOW, -1, 0, "a", "newest"));
            log.roll();
            final LogCompactor compactor = new LogCompactor(64 * 1024);
            assertEquals(1, log.swapCompacted(compactor.compact(log, compactor.cleanable(log, 0, NOW), NOW), NOW));
        }
    }

    private List<Path> snapshots() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.toString().endsWith(LogFiles.SNAPSHOT_SUFFIX)).sorted().toList();
        }
    }

    @Test
    void shouldAnswerARetryOfABatchCompactionRemovedFromTheSnapshot() throws Exception
    {
        writeAndCompact();
        assertEquals(List.of(LogFiles.snapshotFile(dir, 6)), snapshots(), "taken at the roll and at close");
        try (PartitionLog log = open())
        {
            final ProducerStateTable state = log.producerState();
            assertEquals(ProducerStateTable.DUPLICATE, state.check(keyed(NOW, 7, 2, "a", "from-7-2")),
                "the batch at offset 2 is gone from the log, but not from the producer's state");
            assertEquals(2, state.duplicateBaseOffset());
            assertEquals(ProducerStateTable.APPEND, state.check(keyed(NOW, 7, 5, "a", "from-7-5")));
        }
    }

    @Test
    void shouldPassOverADamagedSnapshotAndReadTheBatchesInstead() throws Exception
    {
        writeAndCompact();
        final Path snapshot = LogFiles.snapshotFile(dir, 6);
        final byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 1] ^= 1;
        Files.write(snapshot, bytes);
        try (PartitionLog log = open())
        {
            final ProducerStateTable state = log.producerState();
            assertEquals(ProducerStateTable.DUPLICATE, state.check(keyed(NOW, 7, 4, "a", "from-7-4")),
                "the last batch's header is still in the log");
            assertEquals(ProducerStateTable.OUT_OF_SEQUENCE, state.check(keyed(NOW, 7, 2, "a", "from-7-2")),
                "only the snapshot knew the batches compaction removed");
        }
    }

    @Test
    void shouldReadOnlyTheBatchesAfterTheSnapshotAndDropSnapshotsATruncationPassed() throws Exception
    {
        try (PartitionLog log = open())
        {
            for (int sequence = 0; sequence < 3; sequence++)
            {
                appendChecked(log, keyed(NOW, 9, sequence, "k" + sequence, "v"));
            }
            log.roll();
            for (int sequence = 3; sequence < 6; sequence++)
            {
                appendChecked(log, keyed(NOW, 9, sequence, "k" + sequence, "v"));
            }
        }
        assertEquals(List.of(LogFiles.snapshotFile(dir, 3), LogFiles.snapshotFile(dir, 6)), snapshots());
        // Without the close's snapshot the state comes from the roll's and the three batches after it.
        Files.delete(LogFiles.snapshotFile(dir, 6));
        try (PartitionLog log = open())
        {
            final ProducerStateTable state = log.producerState();
            assertEquals(ProducerStateTable.DUPLICATE, state.check(keyed(NOW, 9, 5, "k5", "v")));
            assertEquals(5, state.duplicateBaseOffset());
            assertEquals(ProducerStateTable.DUPLICATE, state.check(keyed(NOW, 9, 1, "k1", "v")));
            assertEquals(1, state.duplicateBaseOffset());

            assertEquals(2, log.truncateTo(2, NOW));
            assertEquals(List.of(), snapshots(), "the snapshot of offset 3 describes batches no longer there");
            final ProducerStateTable rebuilt = log.producerState();
            assertEquals(ProducerStateTable.OUT_OF_SEQUENCE, rebuilt.check(keyed(NOW, 9, 3, "k3", "v")),
                "the producer's sequence goes back with the log");
            assertEquals(ProducerStateTable.APPEND, rebuilt.check(keyed(NOW, 9, 2, "k2", "v")));
        }
    }
}
