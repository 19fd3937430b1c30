package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestBatches.Rec;
import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loglab.engine.log.PartitionLogTest.readAll;
import static io.loglab.engine.log.PartitionLogTest.records;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Compaction ({@link LogCompactor}, {@link CompactionSwap}) on one log, the pass and the swap run by the test thread
 * in the order the cleaner and the writer run them: only the latest record of each key stays below the active
 * segment, each at the offset it was written at; tombstones go after {@code delete.retention.ms}; an idempotent
 * producer's sequence survives; an open accepts the gaps and finishes an interrupted swap; readers racing swaps read
 * every offset.
 */
class LogCompactionTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static LogConfig compacted()
    {
        return new LogConfig().segmentBytes(2048).indexIntervalBytes(256).retentionMs(-1).fileDeleteDelayMs(0)
            .cleanupPolicy(CleanupPolicy.COMPACT).deleteRetentionMs(60_000);
    }

    /**
     * A batch of {@code keyValues} pairs (a null key or value stays null), from an idempotent producer when
     * {@code producerId >= 0}.
     */
    static ByteBuffer keyed(final long timestamp, final long producerId, final int baseSequence,
        final String... keyValues)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(new UnsafeBuffer(buffer), 0, 4096);
        if (producerId >= 0)
        {
            builder.producer(producerId, (short)0, baseSequence);
        }
        for (int i = 0; i < keyValues.length; i += 2)
        {
            final byte[] key = keyValues[i] == null ? null : keyValues[i].getBytes(StandardCharsets.UTF_8);
            final byte[] value = keyValues[i + 1] == null ? null : keyValues[i + 1].getBytes(StandardCharsets.UTF_8);
            assertTrue(builder.tryAppend(timestamp,
                key == null ? null : new UnsafeBuffer(key), 0, key == null ? 0 : key.length,
                value == null ? null : new UnsafeBuffer(value), 0, value == null ? 0 : value.length, null));
        }
        buffer.limit(builder.build());
        return buffer;
    }

    private static void append(final PartitionLog log, final ByteBuffer batch) throws IOException
    {
        PartitionLogTest.append(log, batch, NOW);
    }

    /** Twelve keys updated round after round, five records a batch, one record without a key in each tenth. */
    private static void writeRounds(final PartitionLog log, final int from, final int rounds) throws IOException
    {
        writeRounds(log, from, rounds, false);
    }

    /**
     * As {@link #writeRounds(PartitionLog, int, int)}; with {@code uniqueKeys} the last record of each batch has a
     * key of its own, so every segment keeps something.
     */
    private static void writeRounds(final PartitionLog log, final int from, final int rounds, final boolean uniqueKeys)
        throws IOException
    {
        for (int round = from; round < from + rounds; round++)
        {
            final String[] pairs = new String[10];
            for (int i = 0; i < 5; i++)
            {
                pairs[2 * i] = round % 10 == 3 && i == 2 ? null : "k" + (round * 5 + i) % 12;
                pairs[2 * i + 1] = "v" + round + "-" + i;
            }
            if (uniqueKeys)
            {
                pairs[8] = "unique-" + round;
            }
            append(log, keyed(NOW, -1, 0, pairs));
        }
    }

    /** What compaction must leave of {@code written}: below {@code cleanedTo}, only each key's latest record. */
    private static List<Rec> expected(final List<Rec> written, final long cleanedTo)
    {
        final Map<String, Long> latest = new HashMap<>();
        for (final Rec rec : written)
        {
            if (rec.offset() < cleanedTo && rec.key() != null)
            {
                latest.put(rec.key(), rec.offset());
            }
        }
        final List<Rec> kept = new ArrayList<>();
        for (final Rec rec : written)
        {
            if (rec.offset() >= cleanedTo || (rec.key() != null && latest.get(rec.key()) == rec.offset()))
            {
                kept.add(rec);
            }
        }
        return kept;
    }

    private static List<Rec> readRecords(final PartitionLog log) throws IOException
    {
        return records(TestBatches.decodeCompacted(readAll(log, log.logStartOffset(), 1500)));
    }

    /** One pass and its swap, as the cleaner and the writer run them. */
    private static CompactedSegments compactOnce(final PartitionLog log, final LogCompactor compactor, final long nowMs)
        throws IOException
    {
        final LogCompactor.Cleanable cleanable = compactor.cleanable(log, LogCompactor.cleanedTo(log), nowMs);
        assertNotNull(cleanable, "a dirty part below the active segment");
        final CompactedSegments compacted = compactor.compact(log, cleanable, nowMs);
        assertNotNull(compacted);
        assertTrue(log.swapCompacted(compacted, nowMs) > 0, "swapped in");
        return compacted;
    }

    @Test
    void shouldKeepTheLatestRecordOfEachKeyAtItsOffsetAndReopenOverTheGaps() throws Exception
    {
        final LogCompactor compactor = new LogCompactor(64 * 1024);
        final List<Rec> written;
        final long cleanedTo;
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeRounds(log, 0, 60);
            written = readRecords(log);
            final long logEnd = log.logEndOffset();
            final long bytesBefore = log.segments().sizeInBytes();
            final CompactedSegments first = compactOnce(log, compactor, NOW);
            assertEquals(expected(written, first.cleanedTo()), readRecords(log));
            assertEquals(logEnd, log.logEndOffset(), "compaction never moves the log end");
            assertTrue(log.segments().sizeInBytes() < bytesBefore / 2,
                log.segments().sizeInBytes() + " bytes left of " + bytesBefore);
            assertNull(compactor.cleanable(log, LogCompactor.cleanedTo(log), NOW), "nothing dirty is left");

            // A second round: the clean part loses what the new dirty part updates.
            writeRounds(log, 60, 30);
            final List<Rec> all = new ArrayList<>(written);
            all.addAll(records(TestBatches.decode(readAll(log, logEnd, 1500))));
            final CompactedSegments second = compactOnce(log, compactor, NOW);
            assertTrue(second.cleanedTo() > first.cleanedTo());
            cleanedTo = second.cleanedTo();
            assertEquals(expected(all, cleanedTo), readRecords(log));
            written.clear();
            written.addAll(all);
        }
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(List.of(), log.recoveryReport(), "a clean shutdown: nothing to recover");
            assertEquals(expected(written, cleanedTo), readRecords(log));
        }
        // A crash's open scans every batch: the gaps below the clean point are compaction's, not damage.
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.delete(dir.resolve(LogFiles.RECOVERY_POINT));
        assertEquals(LogVerifier.Status.CLEAN, LogVerifier.verify(dir, compacted()).status());
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertEquals(expected(written, cleanedTo), readRecords(log));
        }
    }

    @Test
    void shouldStillRefuseASkipAboveTheCleanPoint() throws Exception
    {
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeRounds(log, 0, 60);
            compactOnce(log, new LogCompactor(64 * 1024), NOW);
        }
        // The clean point moved back below the compacted segments: their gaps are now unexplained.
        CleanerCheckpoint.write(dir, 0);
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        Files.delete(dir.resolve(LogFiles.RECOVERY_POINT));
        assertThrows(LogNeedsRepairException.class, () -> PartitionLog.open(dir, compacted()));
    }

    @Test
    void shouldDropTombstonesOnlyOnceOlderThanDeleteRetention() throws Exception
    {
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            final long old = NOW - 120_000;
            append(log, keyed(old, -1, 0, "gone", "a", "deleted-late", "b", "kept", "c"));
            append(log, keyed(old, -1, 0, "gone", null));
            append(log, keyed(NOW, -1, 0, "deleted-late", null));
            log.roll();
            append(log, keyed(NOW, -1, 0, "active", "d"));
            compactOnce(log, new LogCompactor(64 * 1024), NOW);
            final List<String> left = readRecords(log).stream().map(rec -> rec.key() + "=" + rec.value()).toList();
            assertEquals(List.of("kept=c", "deleted-late=null", "active=d"), left);
        }
    }

    @Test
    void shouldKeepAnIdempotentProducersLastBatchHeaderSoItsSequenceSurvivesARestart() throws Exception
    {
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            for (int sequence = 0; sequence < 5; sequence++)
            {
                append(log, keyed(NOW, 7, sequence, "a", "from-7-" + sequence));
            }
            append(log, keyed(NOW, -1, 0, "a", "newest"));
            log.roll();
            compactOnce(log, new LogCompactor(64 * 1024), NOW);
            assertEquals(List.of("newest"), readRecords(log).stream().map(Rec::value).toList());
        }
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            final ProducerStateTable state = log.producerState();
            assertEquals(ProducerStateTable.DUPLICATE, state.check(keyed(NOW, 7, 4, "a", "from-7-4")),
                "a retry of the last batch is still known");
            assertEquals(4, state.duplicateBaseOffset(), "at its original offset");
            assertEquals(ProducerStateTable.APPEND, state.check(keyed(NOW, 7, 5, "a", "from-7-5")));
        }
    }

    @Test
    void shouldFinishASwapACrashInterruptedWhenAWriterOpens() throws Exception
    {
        final List<Rec> written;
        final CompactedSegments compacted;
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeRounds(log, 0, 60, true);
            written = readRecords(log);
            final LogCompactor compactor = new LogCompactor(64 * 1024);
            compacted = compactor.compact(log, compactor.cleanable(log, 0, NOW), NOW);
            assertTrue(compacted.groups().size() > 1);
            // The writer's first steps, then the crash: each copy named a swap, the first replaced segment removed.
            for (final CompactedSegments.Group group : compacted.groups())
            {
                Files.move(group.cleaned().logFile(), LogFiles.swapFile(dir, group.replaced()[0].baseOffset()));
            }
            final LogSegment firstReplaced = compacted.groups().get(0).replaced()[0];
            Files.move(firstReplaced.logFile(), LogFiles.deletedFile(firstReplaced.logFile()));
            compacted.discard();
        }
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertTrue(log.recoveryReport().stream().anyMatch(finding -> finding.action().contains("swapped in")),
                log.recoveryReport().toString());
            assertEquals(expected(written, compacted.cleanedTo()), readRecords(log));
        }
        assertEquals(LogVerifier.Status.CLEAN, LogVerifier.verify(dir, compacted()).status());
    }

    @Test
    void shouldServeEveryOffsetToReadersRacingCompactionSwaps() throws Exception
    {
        try (PartitionLog log = PartitionLog.open(dir, compacted(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeRounds(log, 0, 40);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicLong reads = new AtomicLong();
            final List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++)
            {
                final LogReader reader = log.newReader();
                final Thread thread = new Thread(() ->
                {
                    final ByteBuffer target = ByteBuffer.allocate(1 << 16);
                    long offset = 0;
                    try
                    {
                        while (!stop.get())
                        {
                            // Every offset from the log start to the high watermark reads a batch at or after it.
                            offset = offset >= log.highWatermark() ? log.logStartOffset() : offset;
                            assertEquals(LogReader.OK, reader.read(offset, 1500), "offset " + offset);
                            assertTrue(reader.length() > 0 && reader.nextOffset() > offset, "offset " + offset);
                            target.clear();
                            try
                            {
                                reader.copyTo(target);
                                TestBatches.decodeCompacted(java.util.Arrays.copyOf(target.array(), target.position()));
                            }
                            catch (final RegionRemovedException swappedSinceTheRead)
                            {
                                continue;
                            }
                            offset = reader.nextOffset();
                            reads.incrementAndGet();
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                readers.add(thread);
                thread.start();
            }
            final LogCompactor compactor = new LogCompactor(64 * 1024);
            for (int round = 40; failure.get() == null && (round < 200 || reads.get() < 5_000); round += 10)
            {
                writeRounds(log, round, 10);
                final LogCompactor.Cleanable cleanable = compactor.cleanable(log, LogCompactor.cleanedTo(log), NOW);
                if (cleanable != null)
                {
                    log.swapCompacted(compactor.compact(log, cleanable, NOW), NOW);
                }
            }
            stop.set(true);
            for (final Thread thread : readers)
            {
                thread.join();
            }
            assertNull(failure.get(), () -> "a reader failed: " + failure.get());
            assertTrue(reads.get() >= 5_000);
        }
    }

    @Test
    void shouldLeaveALogThatOnlyCompactsToTheCleanerNotToRetention() throws Exception
    {
        final LogConfig compactOnly = new LogConfig().segmentBytes(2048).retentionMs(1).retentionBytes(2048)
            .cleanupPolicy(CleanupPolicy.COMPACT);
        try (PartitionLog log = PartitionLog.open(dir, compactOnly, Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            writeRounds(log, 0, 40);
            assertEquals(0, log.applyRetention(NOW + 1_000_000));
            assertEquals(0, log.logStartOffset());
        }
    }

    @Test
    void shouldParseTheCleanupSettingsAsKafkaSpellsThem()
    {
        assertEquals(CleanupPolicy.COMPACT_DELETE, CleanupPolicy.parse("delete,compact"));
        assertEquals(CleanupPolicy.COMPACT_DELETE, CleanupPolicy.parse("compact, delete"));
        assertEquals(CleanupPolicy.COMPACT, LogConfig.fromProperties(
            properties(LogConfig.CLEANUP_POLICY_PROP, "compact")).cleanupPolicy());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> LogConfig.fromProperties(properties(LogConfig.CLEANUP_POLICY_PROP, "compacted")));
        assertEquals("cleanup.policy=compacted: 'compacted' is not a cleanup policy: delete, compact, or " +
            "compact,delete", bad.getMessage());
        assertEquals("min.cleanable.dirty.ratio=1.5: must be between 0 and 1", assertThrows(
            IllegalArgumentException.class, () -> LogConfig.fromProperties(
                properties(LogConfig.MIN_CLEANABLE_DIRTY_RATIO_PROP, "1.5"))).getMessage());
    }

    private static java.util.Properties properties(final String name, final String value)
    {
        final java.util.Properties properties = new java.util.Properties();
        properties.setProperty(name, value);
        return properties;
    }
}
