package io.loglab.latency.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * D, the disk baseline: sequential {@link FileChannel} writes of a fixed size to a file in the log's directory,
 * without fsync, so the page cache is in play as it is for flush=os. A warm-up is written first and not counted, as a
 * run's warm-up is not: the first second of writes lands in free page cache far faster than writes are sustained
 * once the kernel's dirty-page limits throttle them, which is the rate a run of several seconds meets. Bounded by
 * bytes and by time; the file is deleted afterwards (which drops its pages, dirty or not).
 */
public final class DiskBaseline
{
    private DiskBaseline()
    {
    }

    /**
     * @param writeBytes    size of each write.
     * @param maxBytes      stop after this many bytes in all...
     * @param warmupMillis  ...not counting those written in the first this long...
     * @param measureMillis ...and stop this long after the warm-up, whichever comes first.
     * @return bytes/s written after the warm-up; over the whole time if {@code maxBytes} ran out during it.
     */
    public static double measure(
        final Path dir, final int writeBytes, final long maxBytes, final long warmupMillis, final long measureMillis)
        throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(writeBytes);
        for (int i = 0; i < writeBytes; i++)
        {
            buffer.put(i, (byte)i);
        }
        Files.createDirectories(dir);
        final Path file = Files.createTempFile(dir, "disk-baseline", ".tmp");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final long start = System.nanoTime();
            final long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            final long deadline = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            long written = 0;
            long writtenBeforeMeasure = -1;
            long measureStart = start;
            long now = start;
            while (written < maxBytes && now < deadline)
            {
                if (writtenBeforeMeasure < 0 && now >= measureFrom)
                {
                    writtenBeforeMeasure = written;
                    measureStart = now;
                }
                buffer.clear();
                while (buffer.hasRemaining())
                {
                    written += channel.write(buffer);
                }
                now = System.nanoTime();
            }
            if (writtenBeforeMeasure < 0 || written == writtenBeforeMeasure)
            {
                return written / ((now - start) / 1e9);
            }
            return (written - writtenBeforeMeasure) / ((now - measureStart) / 1e9);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }
}
