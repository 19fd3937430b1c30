package io.loglab.latency.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest
{
    @Test
    void shouldMeasureAPositiveWriteRateAndLeaveNoFileWhenWritingABoundedAmount(@TempDir final Path dir)
        throws Exception
    {
        final DiskBaseline.Result result = DiskBaseline.measure(dir, 64 * 1024,
            new WriteShape(1024 * 1024, TimeUnit.MILLISECONDS.toNanos(50), 8L * 1024 * 1024, 0, LogFootprint.KEEP_ALL),
            TimeUnit.SECONDS.toNanos(10));

        assertTrue(result.bytesPerSecond() > 0, "rate " + result.bytesPerSecond());
        assertEquals(8L * 1024 * 1024, result.measuredBytes(), "the run's measured bytes, in whole writes");
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count());
        }
    }

    @Test
    void shouldWriteWholeBuffersAndStopAtTheTimeBoundWhenMeasuring(@TempDir final Path dir) throws Exception
    {
        final DiskBaseline.Result rounded = DiskBaseline.measure(dir, 64 * 1024,
            new WriteShape(0, 0, 100_000, 0, LogFootprint.KEEP_ALL), TimeUnit.SECONDS.toNanos(10));
        final DiskBaseline.Result bounded = DiskBaseline.measure(dir, 64 * 1024,
            new WriteShape(0, 0, Long.MAX_VALUE, 0, LogFootprint.KEEP_ALL), 0);

        assertEquals(2 * 64 * 1024, rounded.measuredBytes(), "rounded up to whole writes");
        assertEquals(0, bounded.measuredBytes(), "no time, no writes");
        assertTrue(Double.isNaN(bounded.bytesPerSecond()), "nothing measured is no rate");
    }

    @Test
    void shouldKeepOnDiskWhatTheLogKeepsWhileWriting(@TempDir final Path dir) throws Exception
    {
        final long segment = 256 * 1024;
        final long retention = 1024 * 1024;
        final long written = 128 * 64 * 1024;

        final long[] deletedAtOnce = writeAndTrack(dir, new LogFootprint(1, segment, retention, 0), 128);
        assertTrue(deletedAtOnce[0] >= retention, "what retention keeps stays: " + deletedAtOnce[0]);
        assertTrue(deletedAtOnce[1] <= retention + segment, "at most retention plus the file being written, " +
            "when removed files are deleted at once: " + deletedAtOnce[1]);

        final long[] deletedLater =
            writeAndTrack(dir, new LogFootprint(1, segment, retention, TimeUnit.HOURS.toNanos(1)), 128);
        assertTrue(deletedLater[0] >= retention && deletedLater[0] <= retention + segment,
            "retention keeps the same: " + deletedLater[0]);
        assertEquals(written, deletedLater[1], "removed files wait their delete delay on disk");

        assertEquals(written, writeAndTrack(dir, LogFootprint.KEEP_ALL, 128)[1], "no limit keeps everything");
        final long[] fourLogs = writeAndTrack(dir, new LogFootprint(4, segment, retention, 0), 128);
        assertTrue(fourLogs[0] >= 4 * retention && fourLogs[0] <= 4 * retention + segment,
            "four partitions' retention together: " + fourLogs[0]);
    }

    /**
     * @return the bytes retention kept at the end, and the most bytes on disk at once.
     */
    private static long[] writeAndTrack(final Path dir, final LogFootprint kept, final int writes) throws Exception
    {
        long maxOnDisk = 0;
        final long retained;
        try (RetainedFiles files = new RetainedFiles(dir, kept))
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            for (int i = 0; i < writes; i++)
            {
                assertEquals(64 * 1024, files.write(buffer.clear()));
                maxOnDisk = Math.max(maxOnDisk, files.onDiskBytes());
            }
            retained = files.retainedBytes();
        }
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count(), "every file and their directory deleted on close");
        }
        return new long[] {retained, maxOnDisk};
    }

    @Test
    void shouldMeasureAPositiveRateWhenSendingABoundedAmountOverLoopback() throws Exception
    {
        final double bytesPerSecond = LoopbackBaseline.measure(16L * 1024 * 1024, 2_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
    }
}
