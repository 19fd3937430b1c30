package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loglab.engine.log.PartitionLogTest.append;
import static io.loglab.engine.log.PartitionLogTest.assertContiguous;
import static io.loglab.engine.log.PartitionLogTest.files;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Read-only views change nothing and need no permission to write; readers of any log, racing its close or its
 * retention, get exceptions and never fault on unmapped memory.
 */
class ReadOnlyLogTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1).fileDeleteDelayMs(0);
    }

    private long writeLog(final Path logDir) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(logDir, config()))
        {
            for (int i = 0; i < 40; i++)
            {
                append(log, TestBatches.batch(4, NOW + i, 1, 100), NOW);
            }
            return log.logEndOffset();
        }
    }

    private static byte[] readAll(final ReadableLog log) throws IOException
    {
        final LogReader reader = log.newReader();
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long offset = log.logStartOffset(); offset < log.highWatermark(); offset = reader.nextOffset())
        {
            assertEquals(LogReader.OK, reader.read(offset, 1 << 20));
            final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
            reader.copyTo(bytes);
            out.write(bytes.array(), 0, bytes.position());
        }
        return out.toByteArray();
    }

    private interface Damage
    {
        void apply(Path logDir, List<Path> segments) throws IOException;
    }

    @Test
    void shouldChangeNoByteOfHealthyOrDamagedLogs() throws IOException
    {
        final Damage[] damages = {
            (d, s) -> { },
            (d, s) -> Files.write(s.get(1), new byte[]{ 1, 2, 3, 4 }, StandardOpenOption.APPEND),
            (d, s) -> Files.write(d.resolve(LogFiles.segmentFileName(7, LogFiles.LOG_SUFFIX)), new byte[14]),
            (d, s) -> TestFiles.truncate(s.get(s.size() - 1), Files.size(s.get(s.size() - 1)) - 5),
            // Below the recovery point, so trusted as a writer would: served, and caught by the consumer's CRC check.
            (d, s) -> TestFiles.flipByte(s.get(1), 700),
            (d, s) -> Files.delete(s.get(2)),
            (d, s) -> Files.delete(d.resolve(LogFiles.segmentFileName(0, LogFiles.TIME_INDEX_SUFFIX))),
            (d, s) -> Files.writeString(d.resolve(LogFiles.RECOVERY_POINT), "junk"),
            (d, s) -> Files.writeString(d.resolve("my.tmp"), "not ours"),
        };
        for (int i = 0; i < damages.length; i++)
        {
            final Path logDir = dir.resolve("case-" + i);
            final long end = writeLog(logDir);
            damages[i].apply(logDir, files(logDir, LogFiles.LOG_SUFFIX));
            Files.deleteIfExists(logDir.resolve(LogFiles.CLEAN_SHUTDOWN));
            final Map<String, String> before = DirectoryChecksums.of(logDir);
            try (ReadOnlyLog view = ReadOnlyLog.open(logDir, config()))
            {
                assertTrue(view.logEndOffset() <= end, "case " + i);
                final byte[] served = readAll(view);
                if (i == 4)
                {
                    assertThrows(io.loglab.engine.record.InvalidRecordBatchException.class,
                        () -> TestBatches.decode(served));
                }
                else
                {
                    assertContiguous(TestBatches.decode(served), 0, view.logEndOffset());
                }
                view.newReader().offsetForTimestamp(NOW + 3);
            }
            LogVerifier.verify(logDir, config());
            assertEquals(before, DirectoryChecksums.of(logDir), "case " + i + " changed the directory");
        }
    }

    @Test
    void shouldOpenALogOnAReadOnlyMount() throws Exception
    {
        final Path source = dir.resolve("source");
        final long end = writeLog(source);
        final Path mount = Files.createDirectories(dir.resolve("mount"));
        assumeTrue(TestFiles.run("mount", "--bind", source.toString(), mount.toString()), "needs root to bind-mount");
        try
        {
            assertTrue(TestFiles.run("mount", "-o", "remount,ro,bind", mount.toString()));
            assertThrows(IOException.class, () -> Files.writeString(mount.resolve("probe"), "x"), "read-only");
            try (ReadOnlyLog view = ReadOnlyLog.open(mount, config()))
            {
                assertEquals(end, view.logEndOffset());
                assertContiguous(TestBatches.decode(readAll(view)), 0, end);
            }
            assertEquals(LogVerifier.Status.CLEAN, LogVerifier.verify(mount, config()).status());
            assertThrows(IOException.class, () -> PartitionLog.open(mount, config()), "a writer cannot");
        }
        finally
        {
            TestFiles.run("umount", mount.toString());
        }
    }

    @Test
    void shouldServeCompleteBatchesOfALogBeingWritten() throws Exception
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            final Thread writer = new Thread(() ->
            {
                try
                {
                    while (!stop.get())
                    {
                        append(log, TestBatches.batch(3, NOW, 1, 200), NOW);
                    }
                }
                catch (final Throwable ex)
                {
                    writerFailure.set(ex);
                }
            });
            writer.start();
            try
            {
                long lastEnd = 0;
                for (int i = 0; i < 30 || lastEnd == 0; i++)
                {
                    try (ReadOnlyLog view = ReadOnlyLog.open(dir, config()))
                    {
                        assertTrue(view.logEndOffset() >= lastEnd, "a later view never sees less");
                        assertContiguous(TestBatches.decode(readAll(view)), 0, view.logEndOffset());
                        lastEnd = view.logEndOffset();
                    }
                }
            }
            finally
            {
                stop.set(true);
                writer.join();
            }
            assertNull(writerFailure.get());
        }
    }

    @Test
    void shouldFailReadersRacingCloseWithExceptionsNotFaults() throws Exception
    {
        for (int round = 0; round < 20; round++)
        {
            final Path logDir = dir.resolve("round-" + round);
            writeLog(logDir);
            final PartitionLog log = PartitionLog.open(logDir, config());
            final AtomicLong reads = new AtomicLong();
            final AtomicLong failures = new AtomicLong();
            final AtomicReference<Throwable> unexpected = new AtomicReference<>();
            final List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++)
            {
                final long seed = round * 31L + r;
                readers.add(new Thread(() -> readUntilFailure(log, seed, reads, failures, unexpected)));
            }
            readers.forEach(Thread::start);
            TestBatches.await(() -> reads.get() > 200, 10_000, () -> "readers started: " + reads.get());
            log.close();
            for (final Thread reader : readers)
            {
                reader.join(10_000);
                assertFalse(reader.isAlive(), "a reader kept reading a closed log");
            }
            assertNull(unexpected.get(), () -> "reader failed otherwise: " + unexpected.get());
            assertEquals(4, failures.get(), "every reader learned of the close from an IOException");
        }
    }

    private static void readUntilFailure(
        final ReadableLog log,
        final long seed,
        final AtomicLong reads,
        final AtomicLong failures,
        final AtomicReference<Throwable> unexpected)
    {
        final LogReader reader = log.newReader();
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer target = ByteBuffer.allocateDirect(1 << 20);
        try
        {
            while (true)
            {
                final long offset = random.nextLong(log.logStartOffset(), log.logEndOffset());
                if (reader.read(offset, 8192) == LogReader.OK)
                {
                    target.clear();
                    reader.copyTo(target);
                }
                reader.offsetForTimestamp(NOW + random.nextInt(40));
                reads.incrementAndGet();
            }
        }
        catch (final IOException expected)
        {
            failures.incrementAndGet();
        }
        catch (final Throwable ex)
        {
            unexpected.compareAndSet(null, ex);
        }
    }

    @Test
    void shouldTellAReaderItsRegionWasRemovedWhenRetentionDeletedItBeforeTheCopy() throws Exception
    {
        final LogConfig retained = new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1)
            .retentionBytes(8 * 1024).fileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dir, retained, Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            append(log, TestBatches.batch(4, NOW, 1, 100), NOW);
            final LogReader copier = log.newReader();
            final LogReader sender = log.newReader();
            assertEquals(LogReader.OK, copier.read(0, 8192));
            assertEquals(LogReader.OK, sender.read(0, 8192));
            while (log.logStartOffset() == 0)
            {
                append(log, TestBatches.batch(4, NOW, 1, 100), NOW);
                log.applyRetention(NOW);
            }

            assertThrows(RegionRemovedException.class, () -> copier.copyTo(ByteBuffer.allocate(8192)));
            assertThrows(RegionRemovedException.class, () -> sender.transferTo(
                java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream())));
            assertEquals(LogReader.OFFSET_OUT_OF_RANGE, copier.read(0, 8192), "read again: retention passed it");
        }
    }

    @Test
    void shouldServeReadersRacingTruncationFromTheSegmentsThereAreNow() throws Exception
    {
        final LogConfig config = new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1)
            .fileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dir, config, Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            for (int i = 0; i < 40; i++)
            {
                append(log, TestBatches.batch(4, NOW, 1, 100), NOW);
            }
            final long kept = 20;
            final RacingReaders readers = new RacingReaders(log, (reader, target, reads) ->
            {
                // Below the truncation point every offset stays in range: a read must serve it.
                final long offset = reads % kept;
                assertEquals(LogReader.OK, reader.read(offset, 8192), "offset " + offset);
                assertTrue(reader.length() > 0, "offset " + offset);
                target.clear();
                reader.copyTo(target);
            });
            // Cut back to 20 records and grow again, over and over: each cut replaces the active segment's object.
            for (int i = 0; (i < 500 || readers.reads() < 20_000) && readers.running(); i++)
            {
                assertEquals(kept, log.truncateTo(kept, NOW));
                for (int b = 0; b < 20; b++)
                {
                    append(log, TestBatches.batch(4, NOW, 1, 100), NOW);
                }
            }
            readers.stopAndCheck();
        }
    }

    @Test
    void shouldAnswerReadersRacingRetentionWithOutOfRangeOrRegionRemovedNeverAnotherFailure() throws Exception
    {
        final LogConfig retained = new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1)
            .retentionBytes(16 * 1024).fileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dir, retained, Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            final RacingReaders readers = new RacingReaders(log, (reader, target, reads) ->
            {
                // The log stays open: a read answers OK or out of range, never throws.
                if (reader.read(log.logStartOffset(), 8192) == LogReader.OK && reader.length() > 0)
                {
                    target.clear();
                    reader.copyTo(target);
                }
            });
            // Retention runs all the time the readers read, so their lookups and copies race segment deletion.
            final long deadlineMs = System.currentTimeMillis() + 20_000;
            for (int i = 0; (i < 2_000 || readers.reads() < 20_000) && readers.running(); i++)
            {
                assertTrue(System.currentTimeMillis() < deadlineMs, () -> "reads: " + readers.reads());
                append(log, TestBatches.batch(4, NOW, 1, 100), NOW);
                log.applyRetention(NOW);
            }
            readers.stopAndCheck();
            assertTrue(log.logStartOffset() > 0, "retention ran");
        }
    }

    /**
     * Four threads, each with its own reader of {@code log}, reading over and over until stopped. A
     * {@link RegionRemovedException} (the region went between the read and the copy) is a read to do again; anything
     * else stops that thread and is kept as the failure.
     */
    private static final class RacingReaders
    {
        @FunctionalInterface
        interface Read
        {
            /**
             * @param reads reads done so far, by all the threads.
             */
            void run(LogReader reader, ByteBuffer target, long reads) throws Exception;
        }

        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        private final AtomicLong reads = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        RacingReaders(final ReadableLog log, final Read read)
        {
            for (int r = 0; r < 4; r++)
            {
                final LogReader reader = log.newReader();
                threads.add(new Thread(() ->
                {
                    final ByteBuffer target = ByteBuffer.allocateDirect(1 << 20);
                    while (!stop.get())
                    {
                        try
                        {
                            read.run(reader, target, reads.get());
                        }
                        catch (final RegionRemovedException removedSinceTheRead)
                        {
                            // Read again.
                        }
                        catch (final Throwable ex)
                        {
                            unexpected.compareAndSet(null, ex);
                            return;
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
        }

        long reads()
        {
            return reads.get();
        }

        /**
         * False once a reader has failed.
         */
        boolean running()
        {
            return unexpected.get() == null;
        }

        void stopAndCheck() throws InterruptedException
        {
            stop.set(true);
            for (final Thread thread : threads)
            {
                thread.join(10_000);
            }
            assertNull(unexpected.get(), () -> "reader failed otherwise: " + unexpected.get());
        }
    }
}
