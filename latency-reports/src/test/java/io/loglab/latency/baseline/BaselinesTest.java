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
            new WriteShape(1024 * 1024, TimeUnit.MILLISECONDS.toNanos(50), 8L * 1024 * 1024, 0),
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
            new WriteShape(0, 0, 100_000, 0), TimeUnit.SECONDS.toNanos(10));
        final DiskBaseline.Result bounded = DiskBaseline.measure(dir, 64 * 1024,
            new WriteShape(0, 0, Long.MAX_VALUE, 0), 0);

        assertEquals(2 * 64 * 1024, rounded.measuredBytes(), "rounded up to whole writes");
        assertEquals(0, bounded.measuredBytes(), "no time, no writes");
        assertTrue(Double.isNaN(bounded.bytesPerSecond()), "nothing measured is no rate");
    }

    @Test
    void shouldKeepNoMoreThanTheLogsRetentionWhileWriting(@TempDir final Path dir) throws Exception
    {
        final long segment = 256 * 1024;
        final long retention = 1024 * 1024;
        long maxKept = 0;
        try (RetainedFiles files = new RetainedFiles(dir, segment, retention))
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            for (int i = 0; i < 128; i++)
            {
                assertEquals(64 * 1024, files.write(buffer.clear()));
                maxKept = Math.max(maxKept, files.keptBytes());
            }
            assertTrue(files.keptBytes() >= retention, "what retention keeps: " + files.keptBytes());
        }
        assertTrue(maxKept <= retention + segment, "kept at most retention plus the active file: " + maxKept);
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count(), "every file and their directory deleted");
        }
        try (RetainedFiles all = new RetainedFiles(dir, WriteShape.UNLIMITED, WriteShape.UNLIMITED))
        {
            for (int i = 0; i < 16; i++)
            {
                all.write(ByteBuffer.allocate(64 * 1024));
            }
            assertEquals(16 * 64 * 1024, all.keptBytes(), "no limit keeps everything");
        }
    }

    @Test
    void shouldMeasureAPositiveRateWhenSendingABoundedAmountOverLoopback() throws Exception
    {
        final double bytesPerSecond = LoopbackBaseline.measure(16L * 1024 * 1024, 2_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
    }
}
