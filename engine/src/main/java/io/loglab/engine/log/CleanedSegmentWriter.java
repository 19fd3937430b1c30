package io.loglab.engine.log;

import io.loglab.engine.record.Crc32cChecksum;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Writes what compaction keeps of a group of segments into one {@code .cleaned} file, building its indexes in heap
 * memory as it goes, for the owning writer to swap in ({@link CompactionSwap}). A batch keeps its header (base
 * offset, last offset delta, producer id, epoch and base sequence, timestamps, leader epoch), so offsets and
 * idempotent producers' sequences are what they were; only its record count, length and CRC change when records
 * leave it. A batch all of whose records are kept is copied byte for byte.
 * <p>
 * Not thread-safe: the cleaner thread's.
 */
final class CleanedSegmentWriter
{
    private static final int BUFFER_BYTES = 256 * 1024;

    /**
     * Which records a batch keeps.
     */
    interface RecordFilter
    {
        boolean keep(RecordBatch batch, Record record);
    }

    private final Path dir;
    private final LogConfig config;
    private final Crc32cChecksum crc = new Crc32cChecksum();
    private final Record record = new Record();
    private ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_BYTES);

    private LogSegment segment;
    private int filePosition;
    private boolean removedAny;

    CleanedSegmentWriter(final Path dir, final LogConfig config)
    {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Start the copy of a group starting at {@code baseOffset} and holding up to {@code inputBytes}.
     */
    void begin(final long baseOffset, final long inputBytes) throws IOException
    {
        final Path file = LogFiles.cleanedFile(dir, baseOffset);
        // A copy an earlier, interrupted pass left: ours, and never swapped in.
        Files.deleteIfExists(file);
        final long entries = Math.min(inputBytes / config.indexIntervalBytes() + 2,
            config.segmentIndexBytes() / TimeIndex.ENTRY_SIZE);
        final SegmentFile segmentFile = SegmentFile.create(file);
        segment = new LogSegment(baseOffset, segmentFile,
            new OffsetIndex(LogFiles.offsetIndexFile(dir, baseOffset), baseOffset,
                new byte[(int)entries * OffsetIndex.ENTRY_SIZE], 0),
            new TimeIndex(LogFiles.timeIndexFile(dir, baseOffset), baseOffset,
                new byte[(int)entries * TimeIndex.ENTRY_SIZE], 0),
            config.indexIntervalBytes());
        filePosition = 0;
        out.clear();
        removedAny = false;
    }

    /**
     * Copy the batch whole: one compaction cannot look into (compressed, or a control batch).
     */
    void copy(final RecordBatch batch) throws IOException
    {
        final int length = batch.totalLength();
        final int at = reserve(length);
        batch.buffer().getBytes(batch.offset(), out, at, length);
        written(batch, at, length);
    }

    /**
     * Copy the records of an uncompressed batch that {@code filter} keeps. A batch left with none is dropped, unless
     * {@code keepEmpty} (an idempotent producer's last batch, whose header its state is rebuilt from).
     */
    void filter(final RecordBatch batch, final RecordFilter filter, final boolean keepEmpty) throws IOException
    {
        final int total = batch.totalLength();
        final int count = batch.recordsCount();
        final int at = reserve(total);
        final DirectBuffer source = batch.buffer();
        source.getBytes(batch.offset(), out, at, HEADER_LENGTH);
        int end = at + HEADER_LENGTH;
        int kept = 0;
        int recordAt = batch.recordsOffset();
        for (int i = 0; i < count; i++)
        {
            record.wrap(source, recordAt, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
            if (filter.keep(batch, record))
            {
                source.getBytes(recordAt, out, end, record.totalLength());
                end += record.totalLength();
                kept++;
            }
            recordAt += record.totalLength();
        }
        if (kept == count)
        {
            // Nothing left the batch: the original bytes, CRC and all.
            source.getBytes(batch.offset(), out, at, total);
            written(batch, at, total);
            return;
        }
        removedAny = true;
        if (kept == 0 && !keepEmpty)
        {
            return;
        }
        final int length = end - at;
        RecordBatchDescriptor.putInt(out, at + BATCH_LENGTH_OFFSET, length - LOG_OVERHEAD);
        RecordBatchDescriptor.putInt(out, at + RECORDS_COUNT_OFFSET, kept);
        RecordBatchDescriptor.putInt(out, at + CRC_OFFSET,
            crc.compute(out, at + ATTRIBUTES_OFFSET, length - ATTRIBUTES_OFFSET));
        written(batch, at, length);
    }

    /**
     * Whether a record of the group has been left out so far.
     */
    boolean changed()
    {
        return removedAny;
    }

    /**
     * Finish the copy: write out, force to storage, index the largest timestamp.
     *
     * @return the copy as a segment over the {@code .cleaned} file, or null when nothing was removed (the file is
     * deleted: the group stays as it is) or nothing was kept (the group's segments go without a replacement).
     */
    LogSegment finish() throws IOException
    {
        final LogSegment done = segment;
        segment = null;
        try
        {
            drain(done);
            done.file().publishSize(filePosition);
            if (!removedAny || filePosition == 0)
            {
                discard(done);
                return null;
            }
            done.file().flush();
            done.onBecomeInactive();
            return done;
        }
        catch (final IOException | RuntimeException ex)
        {
            discard(done);
            throw ex;
        }
    }

    /**
     * Abandon a copy under way, deleting its file.
     */
    void abort()
    {
        if (segment != null)
        {
            discard(segment);
            segment = null;
        }
    }

    /**
     * Release a finished copy and delete its file: the swap did not take it.
     */
    static void discard(final LogSegment cleaned)
    {
        final Path file = cleaned.logFile();
        cleaned.release();
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // A writer's next open removes a .cleaned file it finds.
        }
    }

    /**
     * @return where in {@link #out} the next {@code length} bytes go, after writing out what is there if need be.
     */
    private int reserve(final int length) throws IOException
    {
        if (out.position() + length > out.capacity())
        {
            drain(segment);
            if (length > out.capacity())
            {
                out = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1);
            }
        }
        return out.position();
    }

    private void written(final RecordBatch original, final int at, final int length)
    {
        segment.onBatchWritten(original.lastOffset(), original.maxTimestamp(), filePosition + at, length);
        out.position(at + length);
    }

    private void drain(final LogSegment target) throws IOException
    {
        out.flip();
        final int bytes = out.remaining();
        if (bytes > 0)
        {
            target.file().append(new ByteBuffer[] { out }, 1, bytes);
        }
        filePosition += bytes;
        out.clear();
    }
}
