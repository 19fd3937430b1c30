package io.loglab.latency.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

/**
 * Sequential writes into files of a log's segment size, the oldest deleted while the rest still hold the log's
 * retention (the rule the engine's retention applies to segments), so the disk baseline keeps as much in the page
 * cache as the log it stands beside. The files live in a directory of their own, deleted with them on close.
 * <p>
 * Not thread-safe: the measuring thread only.
 */
final class RetainedFiles implements AutoCloseable
{
    private final Path dir;
    private final long segmentBytes;
    private final long retentionBytes;
    private final ArrayDeque<Path> full = new ArrayDeque<>();
    private FileChannel channel;
    private Path file;
    private long fileBytes;
    private long keptBytes;
    private int fileIndex;

    /**
     * @param parent         where the files' directory is made.
     * @param segmentBytes   bytes a file takes before the next one starts; {@link WriteShape#UNLIMITED} for one file.
     * @param retentionBytes bytes kept; {@link WriteShape#UNLIMITED} for all.
     */
    RetainedFiles(final Path parent, final long segmentBytes, final long retentionBytes) throws IOException
    {
        this.segmentBytes = segmentBytes == WriteShape.UNLIMITED ? Long.MAX_VALUE : segmentBytes;
        this.retentionBytes = retentionBytes;
        Files.createDirectories(parent);
        this.dir = Files.createTempDirectory(parent, "disk-baseline");
        openNext();
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
            roll();
        }
        long written = 0;
        while (buffer.hasRemaining())
        {
            written += channel.write(buffer);
        }
        fileBytes += written;
        keptBytes += written;
        return written;
    }

    /**
     * Bytes in the files kept now.
     */
    long keptBytes()
    {
        return keptBytes;
    }

    private void roll() throws IOException
    {
        channel.close();
        full.addLast(file);
        while (retentionBytes != WriteShape.UNLIMITED && !full.isEmpty() &&
            keptBytes - Files.size(full.peekFirst()) >= retentionBytes)
        {
            final Path oldest = full.pollFirst();
            keptBytes -= Files.size(oldest);
            Files.delete(oldest);
        }
        openNext();
    }

    private void openNext() throws IOException
    {
        file = dir.resolve(String.format("%06d.tmp", fileIndex++));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileBytes = 0;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
        Files.deleteIfExists(file);
        while (!full.isEmpty())
        {
            Files.deleteIfExists(full.pollFirst());
        }
        Files.deleteIfExists(dir);
    }
}
