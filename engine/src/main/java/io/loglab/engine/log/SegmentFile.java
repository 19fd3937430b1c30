package io.loglab.engine.log;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .log} file of one segment (Kafka's {@code FileRecords}): the only owner of its channel and of the size
 * readers may read up to. Appends go at the end with gathering writes; reads are positional ({@code pread}, which
 * never moves the channel's position) and zero-copy ({@link #transferTo}), so any number of threads read while one
 * writes.
 * <p>
 * Threading: the owning writer thread appends, truncates, flushes and publishes {@link #size} with a release store
 * after the bytes below it are written; readers load it with acquire semantics and never read past it. A read-only
 * file (a view of a log another process may be writing) publishes once, the end of its last complete batch.
 */
final class SegmentFile implements FileBatchIterator.Source, AutoCloseable
{
    private static final VarHandle SIZE;

    static
    {
        try
        {
            SIZE = MethodHandles.lookup().findVarHandle(SegmentFile.class, "size", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final FileChannel channel;
    private final boolean writable;
    /** Writer thread only: renamed when the segment is removed. */
    private Path file;

    /** Writer: release store after the bytes are written. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile int size;

    private SegmentFile(final Path file, final FileChannel channel, final boolean writable)
    {
        this.file = file;
        this.channel = channel;
        this.writable = writable;
    }

    /**
     * Create an empty file that must not exist yet.
     */
    static SegmentFile create(final Path file) throws IOException
    {
        return new SegmentFile(file, FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE), true);
    }

    /**
     * Open an existing file; its size is published once the caller knows where its last complete batch ends.
     *
     * @param writable false for a view that must not change a byte (read-only commands, verify).
     * @throws IOException if the file is larger than a segment may be (2 GiB).
     */
    static SegmentFile open(final Path file, final boolean writable) throws IOException
    {
        final FileChannel channel = writable ?
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE) :
            FileChannel.open(file, StandardOpenOption.READ);
        final long length = channel.size();
        if (length > Integer.MAX_VALUE)
        {
            channel.close();
            throw new IOException(file + " is " + length + " bytes, more than a segment may hold");
        }
        return new SegmentFile(file, channel, writable);
    }

    Path file()
    {
        return file;
    }

    /**
     * Bytes the file holds now, complete batches or not.
     */
    long fileSize() throws IOException
    {
        return channel.size();
    }

    /**
     * Bytes of complete batches, loaded with acquire semantics: readers read no further.
     */
    int size()
    {
        return (int)SIZE.getAcquire(this);
    }

    /**
     * The writer's own view of {@link #size()}.
     */
    int sizePlain()
    {
        return (int)SIZE.get(this);
    }

    /**
     * Writer thread: let readers see the file up to {@code newSize}.
     */
    void publishSize(final int newSize)
    {
        SIZE.setRelease(this, newSize);
    }

    /**
     * Writer thread: write {@code count} buffers at the end of the file with gathering writes until all
     * {@code bytes} are written. Publishes nothing: the caller indexes the batches, then {@link #publishSize}.
     */
    void append(final ByteBuffer[] buffers, final int count, final long bytes) throws IOException
    {
        long written = 0;
        while (written < bytes)
        {
            written += channel.write(buffers, 0, count);
        }
    }

    /**
     * Positional read into {@code target} from {@code position}; the channel's own position does not move.
     *
     * @return bytes read, or -1 at the end of the file.
     */
    @Override
    public int read(final ByteBuffer target, final long position) throws IOException
    {
        return channel.read(target, position);
    }

    /**
     * Send {@code length} bytes from {@code position} to {@code target} with {@code FileChannel.transferTo}: sendfile
     * when the target is a socket.
     *
     * @return bytes sent: all of them unless the target stopped taking them (a full non-blocking socket).
     */
    long transferTo(final long position, final long length, final WritableByteChannel target) throws IOException
    {
        long sent = 0;
        while (sent < length)
        {
            final long n = channel.transferTo(position + sent, length - sent, target);
            if (n <= 0)
            {
                break;
            }
            sent += n;
        }
        return sent;
    }

    /**
     * Writer thread: cut the file to {@code newSize} bytes and append from there.
     */
    void truncateTo(final int newSize) throws IOException
    {
        requireWritable();
        channel.truncate(newSize);
        channel.position(newSize);
    }

    /**
     * Writer thread: continue appending at {@code position} (the end of the last complete batch).
     */
    void positionForAppend(final int position) throws IOException
    {
        requireWritable();
        channel.position(position);
    }

    /**
     * Writer thread: force the file's bytes to storage.
     */
    void flush() throws IOException
    {
        channel.force(false);
    }

    /**
     * Writer thread: rename the file (to its {@code .deleted} name when the segment is removed), keeping the channel
     * open so readers that still hold it finish.
     */
    void renameTo(final Path target) throws IOException
    {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    void deleteFile() throws IOException
    {
        Files.deleteIfExists(file);
    }

    private void requireWritable() throws IOException
    {
        if (!writable)
        {
            throw new IOException(file + " is open read-only");
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    @Override
    public String toString()
    {
        return file.getFileName() + "(" + sizePlain() + " bytes)";
    }
}
