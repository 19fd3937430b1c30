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
 * without fsync, so the page cache is in play as it is for flush=os. Bounded by bytes and by time; the file is
 * deleted afterwards.
 */
public final class DiskBaseline
{
    private DiskBaseline()
    {
    }

    /**
     * @param writeBytes size of each write.
     * @param maxBytes   stop after this many bytes...
     * @param maxMillis  ...or after this long, whichever comes first.
     * @return bytes/s written.
     */
    public static double measure(final Path dir, final int writeBytes, final long maxBytes, final long maxMillis)
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
            final long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            long written = 0;
            long now = start;
            while (written < maxBytes && now < deadline)
            {
                buffer.clear();
                while (buffer.hasRemaining())
                {
                    written += channel.write(buffer);
                }
                now = System.nanoTime();
            }
            return written / ((now - start) / 1e9);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }
}
