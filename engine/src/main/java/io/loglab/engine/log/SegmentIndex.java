package io.loglab.engine.log;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A sorted run of fixed-size entries, the part the offset and time indexes share. Backed either by its file mapped
 * into memory (a writer's log) or by heap memory (a read-only view, which must not change the file and must not map
 * one another process may truncate; and an index being rebuilt, until the writer persists it).
 * <p>
 * Threading: the owning writer thread appends entries, then publishes the new count with a release store
 * ({@link #publishEntries}); reader threads load the count with acquire semantics and search only below it, so they
 * never see a half-written entry. A mapping is released only when no reader can be inside it (see
 * {@link LogSegment#release()}). A mutable mapped index is mapped at its maximum size; {@link #trimToEntries()} cuts
 * the file to what is used when its segment stops being the active one.
 */
abstract class SegmentIndex implements AutoCloseable
{
    private static final VarHandle ENTRIES;

    static
    {
        try
        {
            ENTRIES = MethodHandles.lookup().findVarHandle(SegmentIndex.class, "entries", int.class);
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
    /** Set by the writer when it deletes the file; read by the deleter thread, which the hand-off orders after it. */
    private boolean fileDeleted;
    private final int maxEntries;
    /** Null when heap-backed. */
    private MappedByteBuffer mapped;

    /** Written by the writer thread with a release store, read by readers with an acquire load. */
    @SuppressWarnings("unused")
    private volatile int entries;

    /**
     * Map {@code file}, creating it when absent, sized for {@code maxEntries} (a mutable index) or exactly its valid
     * entries (an immutable one).
     */
    SegmentIndex(
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
            if (channel.size() > mappedLength)
            {
                channel.truncate(mappedLength);
            }
            else if (channel.size() < mappedLength)
            {
                // Extend without writing: a sparse tail of zeros.
                channel.write(ByteBuffer.wrap(new byte[1]), mappedLength - 1);
            }
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, mappedLength);
        }
        buffer.wrap(mapped);
        ENTRIES.setRelease(this, entriesInFile);
    }

    /**
     * A heap-backed index of {@code capacity} entries holding the first {@code entriesValid} of {@code content}.
     */
    SegmentIndex(
        final Path file, final long baseOffset, final int entrySize, final byte[] content, final int entriesValid)
    {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxEntries = content.length / entrySize;
        buffer.wrap(content);
        ENTRIES.setRelease(this, entriesValid);
    }

    /**
     * The bytes of an index file for a heap-backed copy, read without changing it.
     *
     * @return null when the file is absent.
     */
    static byte[] readFile(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readAllBytes(file) : null;
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
     * Writer thread: write a heap-backed index's entries to a new file that then replaces its file (a rebuilt
     * index). A new file, not a rewrite in place: another segment object may still map the old one for a reader, and
     * cutting a mapped file under it would fault.
     */
    final void writeEntriesToFile() throws IOException
    {
        final int length = entriesPlain() * entrySize;
        final ByteBuffer bytes = ByteBuffer.wrap(buffer.byteArray(), 0, length);
        final Path temporary = LogFiles.temporaryFile(file);
        try (FileChannel channel = FileChannel.open(
            temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writer thread: force mapped entries to storage.
     */
    void flush()
    {
        if (mapped != null)
        {
            mapped.force();
        }
    }

    /**
     * Writer thread: shrink the file to the entries in use, as Kafka does when a segment becomes inactive.
     * The mapping is kept; readers never touch entries past the count.
     */
    void trimToEntries() throws IOException
    {
        if (mapped != null)
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate((long)entriesPlain() * entrySize);
            }
        }
    }

    /**
     * Release the mapping. Call only when no reader can be inside it.
     */
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
     * Delete the file, once: a segment removed when it is marked deleted and again when its delay passes, by which
     * time a segment swapped in under the same base offset may have written a new file at this path.
     */
    void deleteFile() throws IOException
    {
        if (!fileDeleted)
        {
            Files.deleteIfExists(file);
            fileDeleted = true;
        }
    }
}
