package io.loglab.engine.record;

import org.agrona.DirectBuffer;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Walks a fetched region of whole batches: batch by batch ({@link #nextBatch}), record by record within each
 * ({@link #nextRecord}), or simply record by record across them ({@link #next}), skipping records below a given
 * offset (a fetch returns whole batches, so the first may start before the offset asked for). A flyweight: it
 * allocates nothing, and {@link #batch()} and {@link #record()} are views that the next step moves.
 * <pre>
 *   iterator.wrap(buffer, 0, length, fromOffset);
 *   while (iterator.next())
 *   {
 *       final Record record = iterator.record();   // record.offset() &gt;= fromOffset
 *   }
 * </pre>
 * Records are read from uncompressed batches. The records of a compressed batch are not in the region: decompress
 * them and hand them over with {@link #recordsFrom}, or skip the batch. Batch framing (a length that runs past the
 * region) and record framing are checked as they are read; checksums are not, which is the validator's job.
 * Not thread-safe.
 */
public final class RecordIterator
{
    private final RecordBatch batch = new RecordBatch();
    private final Record record = new Record();
    private DirectBuffer buffer;
    private int limit;
    private int nextBatchAt;
    private long fromOffset;
    private boolean inBatch;
    private DirectBuffer recordsBuffer;
    private int recordAt;
    private int recordsLimit;
    private int recordsLeft;

    /**
     * Iterate every record of the batches in {@code buffer[offset, offset + length)}.
     */
    public RecordIterator wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        return wrap(buffer, offset, length, Long.MIN_VALUE);
    }

    /**
     * Iterate the records at or after {@code fromOffset} of the batches in {@code buffer[offset, offset + length)}.
     */
    public RecordIterator wrap(final DirectBuffer buffer, final int offset, final int length, final long fromOffset)
    {
        this.buffer = buffer;
        this.limit = offset + length;
        this.nextBatchAt = offset;
        this.fromOffset = fromOffset;
        this.inBatch = false;
        this.recordsLeft = 0;
        return this;
    }

    /**
     * Move to the next batch.
     *
     * @return false at the end of the region.
     * @throws InvalidRecordBatchException if what follows is not a whole batch: a header cut short, or a length
     *                                     smaller than a header or running past the region.
     */
    public boolean nextBatch()
    {
        inBatch = false;
        recordsLeft = 0;
        final int at = nextBatchAt;
        if (at >= limit)
        {
            return false;
        }
        if (limit - at < HEADER_LENGTH)
        {
            throw new InvalidRecordBatchException(
                "batch at byte " + at + ": " + (limit - at) + " bytes left, a batch header takes " + HEADER_LENGTH);
        }
        batch.wrap(buffer, at);
        final int batchLength = batch.batchLength();
        // long arithmetic: a length read from disk may be anything.
        final long end = (long)at + LOG_OVERHEAD + batchLength;
        if (batchLength < MIN_BATCH_LENGTH || end > limit)
        {
            throw new InvalidRecordBatchException("batch at byte " + at + " declares batchLength " + batchLength +
                " but " + (limit - at - LOG_OVERHEAD) + " bytes remain in the region");
        }
        nextBatchAt = (int)end;
        inBatch = true;
        if (batch.lastOffset() >= fromOffset)
        {
            recordsFrom(buffer, batch.recordsOffset(), batch.limit());
            if (batch.isCompressed())
            {
                recordsBuffer = null;
            }
        }
        return true;
    }

    /**
     * The batch {@link #nextBatch} moved to.
     */
    public RecordBatch batch()
    {
        return batch;
    }

    /**
     * Read the current batch's records from {@code buffer[offset, limit)} instead of the region: its records
     * decompressed.
     */
    public RecordIterator recordsFrom(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (!inBatch)
        {
            throw new IllegalStateException("no current batch: call nextBatch first");
        }
        recordsBuffer = buffer;
        recordAt = offset;
        recordsLimit = limit;
        recordsLeft = batch.recordsCount();
        return this;
    }

    /**
     * Move to the current batch's next record at or after the offset to start from.
     *
     * @return false when the batch has no more (or none at or after that offset).
     * @throws IllegalStateException if the batch is compressed and its records were not given to
     *                               {@link #recordsFrom}.
     * @throws InvalidRecordBatchException if a record's framing is broken.
     */
    public boolean nextRecord()
    {
        while (recordsLeft > 0 && recordAt < recordsLimit)
        {
            if (recordsBuffer == null)
            {
                throw new IllegalStateException("the batch at offset " + batch.baseOffset() + " is " +
                    compressionName(batch.compressionCodec()) + "-compressed: decompress its records and pass " +
                    "them to recordsFrom, or skip it");
            }
            record.wrap(recordsBuffer, recordAt, recordsLimit, batch.baseOffset(), batch.baseTimestamp());
            recordAt += record.totalLength();
            recordsLeft--;
            if (record.offset() >= fromOffset)
            {
                return true;
            }
        }
        recordsLeft = 0;
        return false;
    }

    /**
     * Move to the next record at or after the offset to start from, in this batch or the ones after it.
     *
     * @return false at the end of the region.
     * @throws IllegalStateException on reaching a compressed batch with records to read.
     */
    public boolean next()
    {
        while (!nextRecord())
        {
            if (!nextBatch())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The record {@link #nextRecord} or {@link #next} moved to.
     */
    public Record record()
    {
        return record;
    }

    /**
     * Index in the buffer where the next batch starts: the end of the current one.
     */
    public int nextBatchOffset()
    {
        return nextBatchAt;
    }
}
