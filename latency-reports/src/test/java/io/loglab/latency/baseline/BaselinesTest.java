package io.loglab.latency.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest
{
    @Test
    void shouldMeasureAPositiveWriteRateAndLeaveNoFileWhenWritingABoundedAmount(@TempDir final Path dir)
        throws Exception
    {
        final double bytesPerSecond = DiskBaseline.measure(dir, 64 * 1024, 8L * 1024 * 1024, 0, 2_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count());
        }
    }

    @Test
    void shouldStillGiveARateWhenTheByteBoundRunsOutDuringTheWarmUp(@TempDir final Path dir) throws Exception
    {
        final double bytesPerSecond = DiskBaseline.measure(dir, 64 * 1024, 1024 * 1024, 60_000, 60_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
    }

    @Test
    void shouldMeasureAPositiveRateWhenSendingABoundedAmountOverLoopback() throws Exception
    {
        final double bytesPerSecond = LoopbackBaseline.measure(16L * 1024 * 1024, 2_000);

        assertTrue(bytesPerSecond > 0, "rate " + bytesPerSecond);
    }
}
