package io.loglab.latency.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sequential writes into files kept as a {@link LogFootprint} says a log keeps its segments, so the disk baseline
 * holds as much in the page cache, when the log did, as the log it stands beside. Files are deleted on a thread of
 * their own, as the engine's {@code FileDeleter} deletes segments (unlinking frees page cache in the thread that
 * does it). The files live in a directory of their own, deleted with them on close.
 * <p>
 * Not thread-safe: the measuring thread only.
 */
final class RetainedFiles implements AutoCloseable
{
    private record FileOnDisk(Path file, long size, long deleteAtNanos)
    {
    }

    private final Path dir;
    private final long segmentBytes;
    private final long retentionBytes;
    private final long deleteDelayNanos;
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "loglab-disk-baseline-deleter");
        thread.setDaemon(true);
        return thread;
    });
    /** Full files retention still keeps, oldest first, with their sizes. */
    private final ArrayDeque<FileOnDisk> full = new ArrayDeque<>();
    /** Files retention removed, waiting for their delete delay, oldest first. */
    private final ArrayDeque<FileOnDisk> removed = new ArrayDeque<>();
    private FileChannel channel;
    private Path file;
    private long fileBytes;
    private long retainedBytes;
    private long onDiskBytes;
    private int fileIndex;

    /**
     * @param parent where the files' directory is made.
     * @param kept   what to keep of the bytes written.
     */
    RetainedFiles(final Path parent, final LogFootprint kept) throws IOException
    {
        this.segmentBytes = kept.segmentBytes() == LogFootprint.UNLIMITED ? Long.MAX_VALUE : kept.segmentBytes();
        this.retentionBytes = kept.totalRetentionBytes();
        this.deleteDelayNanos = kept.deleteDelayNanos();
        Files.createDirectories(parent);
        this.dir = Files.createTempDirectory(parent, "disk-baseline");
        try
        {
            openNext();
        }
        catch (final IOException ex)
        {
            deleter.shutdown();
            Files.deleteIfExists(dir);
            throw ex;
        }
    }

    /**
     * Write all of {@code buffer} (from its position), rolling to a new file first when it would not fit.
     *
     * @return bytes written.
     */
    long write(final ByteBuffer buffer) throws IOException
    {
        if (fileBytes > 0 && fileBytes + buffer.remaining() > segmentBytes)
        {
            roll(System.nanoTime());
        }
        long written = 0;
        while (buffer.hasRemaining())
        {
            written += channel.write(buffer);
        }
        fileBytes += written;
        retainedBytes += written;
        onDiskBytes += written;
        return written;
    }

    /**
     * Bytes retention keeps now, the file being written included.
     */
    long retainedBytes()
    {
        return retainedBytes;
    }

    /**
     * Bytes in files not deleted yet: what retention keeps and what waits for its delete delay.
     */
    long onDiskBytes()
    {
        return onDiskBytes;
    }

    private void roll(final long nowNanos) throws IOException
    {
        channel.close();
        full.addLast(new FileOnDisk(file, fileBytes, Long.MAX_VALUE));
        while (retentionBytes != LogFootprint.UNLIMITED && !full.isEmpty() &&
            retainedBytes - full.peekFirst().size() >= retentionBytes)
        {
            final FileOnDisk oldest = full.pollFirst();
            retainedBytes -= oldest.size();
            removed.addLast(new FileOnDisk(oldest.file(), oldest.size(), nowNanos + deleteDelayNanos));
        }
        while (!removed.isEmpty() && removed.peekFirst().deleteAtNanos() - nowNanos <= 0)
        {
            final FileOnDisk due = removed.pollFirst();
            deleter.execute(() -> deleteQuietly(due.file()));
            onDiskBytes -= due.size();
        }
        openNext();
    }

    private void openNext() throws IOException
    {
        file = dir.resolve(String.format("%06d.tmp", fileIndex++));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileBytes = 0;
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // close() deletes what is left, and reports it.
        }
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            channel.close();
        }
        finally
        {
            deleter.shutdown();
            try
            {
                deleter.awaitTermination(1, TimeUnit.MINUTES);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> left = Files.list(dir))
            {
                for (final Path path : (Iterable<Path>)left::iterator)
                {
                    Files.deleteIfExists(path);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
