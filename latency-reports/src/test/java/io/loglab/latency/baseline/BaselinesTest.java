package io.loglab.latency.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void shouldMeasureAPositiveRateWhenSendingABoundedAmountOverLoopback() throws Exception
    {
        final double bytesPerSecond = LoopbackBaseline.measure(16L * 1024 * 1024, 2_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
    }
}
