package io.loglab.engine.log;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size, sorted entries: the part the offset and time indexes share.
 * <p>
 * Threading: the partition's writer thread appends entries, then publishes the new count with a release store
 * ({@link #publishEntries}); reader threads load the count with acquire semantics and search only below it, so they
 * never see a half-written entry. A mutable index is mapped at its maximum size; {@link #trimToEntries()} cuts the
 * file to what is used when its segment stops being the active one.
 */
abstract class MappedIndex implements AutoCloseable
{
    private static final VarHandle ENTRIES;

    static
    {
        try
        {
            ENTRIES = MethodHandles.lookup().findVarHandle(MappedIndex.class, "entries", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    protected final Path file;
    protected final long baseOffset;
    protected final int entrySize;
    protected final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final int maxEntries;
    private MappedByteBuffer mapped;

    /** Written by the writer thread with a release store, read by readers with an acquire load. */
    @SuppressWarnings("unused")
    private volatile int entries;

    /**
     * Map an index file, creating it when absent.
     *
     * @param entriesInFile how many entries of the existing file are valid (0 for a new or rebuilt index).
     * @param maxIndexBytes the size a mutable index is mapped at; an immutable one is mapped at its entries' size.
     */
    MappedIndex(
        final Path file,
        final long baseOffset,
        final int entrySize,
        final int entriesInFile,
        final int maxIndexBytes,
        final boolean mutable) throws IOException
    {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        // A mutable index mapped smaller than the file's entries (segment.index.bytes lowered since) keeps them all.
        this.maxEntries = mutable ? Math.max(maxIndexBytes / entrySize, entriesInFile) : entriesInFile;
        final long mappedLength = (long)maxEntries * entrySize;
        try (FileChannel channel = FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (channel.size() != mappedLength)
            {
                if (channel.size() > mappedLength)
                {
                    channel.truncate(mappedLength);
                }
                else
                {
                    // Extend without writing: a sparse tail of zeros.
                    channel.write(java.nio.ByteBuffer.wrap(new byte[1]), mappedLength - 1);
                }
            }
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, mappedLength);
        }
        buffer.wrap(mapped);
        ENTRIES.setRelease(this, entriesInFile);
    }

    /**
     * Entries visible to readers, loaded with acquire semantics.
     */
    final int entriesAcquire()
    {
        return (int)ENTRIES.getAcquire(this);
    }

    /**
     * Writer thread: make entries below {@code count} visible to readers.
     */
    final void publishEntries(final int count)
    {
        ENTRIES.setRelease(this, count);
    }

    /**
     * Writer thread's own view of the count: a plain load of the field it alone writes.
     */
    final int entriesPlain()
    {
        return (int)ENTRIES.get(this);
    }

    final boolean isFull()
    {
        return entriesPlain() >= maxEntries;
    }

    final int maxEntries()
    {
        return maxEntries;
    }

    Path file()
    {
        return file;
    }

    /**
     * Number of the largest entry whose key is at most {@code target}, or -1 when the first entry's key is already
     * larger or there are no entries. Keys are read by {@link #keyAt(int)} and must be ascending.
     */
    final int largestLowerBound(final long target)
    {
        int low = 0;
        int high = entriesAcquire() - 1;
        if (high < 0 || keyAt(0) > target)
        {
            return -1;
        }
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (keyAt(mid) <= target)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * The value an entry is sorted by.
     */
    abstract long keyAt(int entry);

    /**
     * Writer thread: force mapped entries to storage.
     */
    void flush()
    {
        mapped.force();
    }

    /**
     * Writer thread: shrink the file to the entries in use, as Kafka does when a segment becomes inactive.
     * The mapping is kept; readers never touch entries past the count.
     */
    void trimToEntries() throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate((long)entriesPlain() * entrySize);
        }
    }

    /**
     * Writer thread: forget every entry, for a truncated segment whose index is rebuilt.
     */
    void clear()
    {
        publishEntries(0);
    }

    @Override
    public void close()
    {
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
            mapped = null;
        }
    }

    /**
     * Drop this index's hold on its mapping without unmapping it; the mapping goes when no reader can reach it.
     */
    void abandon()
    {
        mapped = null;
    }

    void deleteFile() throws IOException
    {
        Files.deleteIfExists(file);
    }
}
