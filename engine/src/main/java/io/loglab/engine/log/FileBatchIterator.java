package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Walks the batches of a log file between two positions with positional reads, so any number of threads can walk
 * the same file at once, each with its own iterator. Reads a window of the file at a time: small batches cost one
 * read per window, a large one a read for its header and, only when {@link #loadBatch()} asks, one for its body.
 * <p>
 * A length or magic that cannot be right, or a batch that runs past the end, throws
 * {@link InvalidRecordBatchException} (whose file position is {@link #position()}); CRCs are the caller's to check.
 * Lengths read from the file are checked in 64-bit arithmetic, so a corrupt length near 2^31 is reported like any
 * other. Not thread-safe.
 */
public final class FileBatchIterator
{
    /**
     * Where the bytes come from: positional reads that do not move any shared position ({@code FileChannel::read}).
     */
    @FunctionalInterface
    public interface Source
    {
        /**
         * @return bytes read into {@code target} from {@code position}, or -1 at the end.
         */
        int read(ByteBuffer target, long position) throws IOException;
    }

    private ByteBuffer window;
    private final UnsafeBuffer windowView = new UnsafeBuffer(0, 0);
    private final RecordBatch batch = new RecordBatch();
    private final CRC32C crc = new CRC32C();

    private Source source;
    private long end;
    private long nextPosition;
    private long position;
    private long windowStart;
    private int windowLength;

    public FileBatchIterator(final int windowBytes)
    {
        allocateWindow(Math.max(windowBytes, HEADER_LENGTH));
    }

    /**
     * Start a walk over {@code source} from {@code start}, stopping at {@code end}.
     */
    public FileBatchIterator reset(final Source source, final long start, final long end)
    {
        this.source = source;
        this.end = end;
        this.nextPosition = start;
        this.position = -1;
        this.windowLength = 0;
        this.windowStart = start;
        return this;
    }

    /**
     * Advance to the next batch, its header readable through {@link #batch()}.
     *
     * @return false at the end.
     * @throws InvalidRecordBatchException if what follows is not a plausible batch header or runs past the end.
     */
    public boolean next() throws IOException
    {
        if (nextPosition >= end)
        {
            return false;
        }
        position = nextPosition;
        final long remaining = end - position;
        if (remaining < HEADER_LENGTH)
        {
            throw new InvalidRecordBatchException(
                remaining + " bytes remain, fewer than a " + HEADER_LENGTH + "-byte batch header");
        }
        ensureInWindow(position, HEADER_LENGTH);
        batch.wrap(windowView, (int)(position - windowStart));
        final int batchLength = batch.batchLength();
        if (batchLength < MIN_BATCH_LENGTH)
        {
            throw new InvalidRecordBatchException(
                "batchLength " + batchLength + " is below the minimum of " + MIN_BATCH_LENGTH);
        }
        if (batch.magic() != MAGIC)
        {
            throw new InvalidRecordBatchException(
                "magic byte is " + batch.magic() + ", expected " + MAGIC);
        }
        final long total = (long)batchLength + LOG_OVERHEAD;
        if (total > remaining)
        {
            throw new InvalidRecordBatchException(
                "batch declares " + total + " bytes but only " + remaining + " remain");
        }
        nextPosition = position + total;
        return true;
    }

    /**
     * Make the whole current batch readable through {@link #batch()}, reading it in if the window holds only part.
     */
    public RecordBatch loadBatch() throws IOException
    {
        final int total = batch.totalLength();
        ensureInWindow(position, total);
        return batch.wrap(windowView, (int)(position - windowStart));
    }

    /**
     * Check the current batch's CRC32C by reading its body through the window a piece at a time, so a batch of any
     * length (or a corrupt length that still fits the file) never needs a buffer its size.
     *
     * @return true when the stored CRC matches.
     */
    public boolean crcMatchesStreaming() throws IOException
    {
        final long storedCrc = batch.crc();
        final int total = batch.totalLength();
        final long crcStart = position + ATTRIBUTES_OFFSET;
        final long crcEnd = position + total;
        crc.reset();
        long at = crcStart;
        while (at < crcEnd)
        {
            final int length = (int)Math.min(window.capacity(), crcEnd - at);
            readIntoWindow(at, length, length);
            window.flip();
            crc.update(window);
            at += length;
        }
        // The window held body bytes: read the header back so batch() describes the current batch again.
        windowLength = 0;
        ensureInWindow(position, HEADER_LENGTH);
        batch.wrap(windowView, (int)(position - windowStart));
        return (crc.getValue() & 0xFFFF_FFFFL) == storedCrc;
    }

    /**
     * The current batch: its header always, its body after {@link #loadBatch()}.
     */
    public RecordBatch batch()
    {
        return batch;
    }

    /**
     * File position of the current batch.
     */
    public long position()
    {
        return position;
    }

    /**
     * File position just past the current batch.
     */
    public long nextPosition()
    {
        return nextPosition;
    }

    private void ensureInWindow(final long from, final int length) throws IOException
    {
        if (from >= windowStart && from + length <= windowStart + windowLength)
        {
            return;
        }
        if (length > window.capacity())
        {
            // Round up to a power of two, except past 1 GiB where doubling would overflow an int.
            allocateWindow(length > (1 << 30) ? length : Integer.highestOneBit(length - 1) << 1);
        }
        final int toRead = (int)Math.min(window.capacity(), end - from);
        final int read = readIntoWindow(from, toRead, Math.min(length, toRead));
        windowStart = from;
        windowLength = read;
        if (read < length)
        {
            throw new EOFException("end of file at position " + (from + read) + " while reading a batch");
        }
    }

    /**
     * Positional reads from {@code from} into the window, up to {@code limit} bytes and at least {@code atLeast}.
     *
     * @return bytes read.
     * @throws EOFException if the file ends first.
     */
    private int readIntoWindow(final long from, final int limit, final int atLeast) throws IOException
    {
        window.clear().limit(limit);
        int read = 0;
        while (read < atLeast)
        {
            final int n = source.read(window, from + read);
            if (n < 0)
            {
                throw new EOFException("end of file at position " + (from + read) + " while reading a batch");
            }
            read += n;
        }
        return read;
    }

    private void allocateWindow(final int capacity)
    {
        window = ByteBuffer.allocateDirect(capacity);
        windowView.wrap(window);
    }
}
