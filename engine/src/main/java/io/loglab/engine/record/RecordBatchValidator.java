package io.loglab.engine.record;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Checks that bytes are one well-formed RecordBatch v2, the same rules whether they come from a producer, from disk
 * on recovery, or from {@code verify}: lengths, magic, CRC32C, record count against the last offset delta, a known
 * compression codec, and for uncompressed batches the framing of every record. Compressed batches are checked by CRC
 * only, since the log stores and serves them without decompressing.
 * <p>
 * The success path allocates nothing; a failure throws {@link InvalidRecordBatchException} with a message naming the
 * rule broken. Not thread-safe: one instance per thread.
 */
public final class RecordBatchValidator
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final RecordBatch batch = new RecordBatch();
    private final Record record = new Record();
    private final Crc32cChecksum checksum = new Crc32cChecksum();
    private final boolean compacted;

    /**
     * A validator of batches as producers send them.
     */
    public RecordBatchValidator()
    {
        this(false);
    }

    /**
     * @param compacted accept what log compaction leaves of a batch: fewer records than the offsets it spans (none at
     *                  all), their offset deltas ascending with gaps up to the last offset delta.
     */
    public RecordBatchValidator(final boolean compacted)
    {
        this.compacted = compacted;
    }

    /**
     * Validate that {@code buffer[index, index + length)} holds exactly one batch.
     *
     * @param checkRecords walk the records of an uncompressed batch too, not only its header and CRC.
     * @throws InvalidRecordBatchException naming what is wrong.
     */
    public void validate(final ByteBuffer buffer, final int index, final int length, final boolean checkRecords)
    {
        view.wrap(buffer);
        validate(view, index, length, checkRecords, false);
    }

    /**
     * As {@link #validate(ByteBuffer, int, int, boolean)} with the records walked, for a compacted log when
     * {@code requireKeys}: every record of an uncompressed batch must have a key, as Kafka requires of a compacted
     * topic (the records of a compressed batch are not read; the cleaner drops those without a key).
     */
    public void validate(final ByteBuffer buffer, final int index, final int length, final boolean checkRecords,
        final boolean requireKeys)
    {
        view.wrap(buffer);
        validate(view, index, length, checkRecords || requireKeys, requireKeys);
    }

    /**
     * As {@link #validate(ByteBuffer, int, int, boolean)} for a buffer that wraps a byte[] or a ByteBuffer.
     */
    public void validate(final DirectBuffer buffer, final int index, final int length, final boolean checkRecords)
    {
        validate(buffer, index, length, checkRecords, false);
    }

    private void validate(final DirectBuffer buffer, final int index, final int length, final boolean checkRecords,
        final boolean requireKeys)
    {
        if (length < HEADER_LENGTH)
        {
            throw new InvalidRecordBatchException(
                "batch of " + length + " bytes is shorter than the " + HEADER_LENGTH + "-byte RecordBatch v2 header");
        }
        batch.wrap(buffer, index);
        final int batchLength = batch.batchLength();
        if (batchLength < MIN_BATCH_LENGTH)
        {
            throw new InvalidRecordBatchException(
                "batchLength " + batchLength + " is below the minimum of " + MIN_BATCH_LENGTH);
        }
        if (totalLength(batchLength) != length)
        {
            throw new InvalidRecordBatchException(
                "batchLength " + batchLength + " says the batch is " + totalLength(batchLength) + " bytes but " +
                length + " bytes were given");
        }
        if (batch.magic() != MAGIC)
        {
            throw new InvalidRecordBatchException(
                "magic byte is " + batch.magic() + "; only " + MAGIC + " (RecordBatch v2) is supported");
        }
        final long storedCrc = batch.crc();
        final long computedCrc =
            checksum.compute(buffer, index + ATTRIBUTES_OFFSET, length - ATTRIBUTES_OFFSET) & 0xFFFF_FFFFL;
        if (storedCrc != computedCrc)
        {
            throw new CorruptRecordBatchException(
                "CRC32C mismatch: stored 0x" + Long.toHexString(storedCrc) + ", computed 0x" +
                Long.toHexString(computedCrc));
        }
        validateCountAndCodec(batch);
        if (checkRecords && batch.compressionCodec() == COMPRESSION_NONE)
        {
            validateRecords(buffer, index + length, batch.recordsCount(), requireKeys);
        }
    }

    /**
     * The header rules beyond lengths, magic and CRC: a record count that matches the last offset delta (or, for this
     * validator of compacted batches, is at most one more than it), and a known compression codec. For a caller that
     * checked the CRC another way, such as streaming it from a file.
     *
     * @throws InvalidRecordBatchException naming what is wrong.
     */
    public void validateCountAndCodec(final RecordBatch batch)
    {
        final int count = batch.recordsCount();
        final int lastOffsetDelta = batch.lastOffsetDelta();
        if (compacted ? count < 0 || lastOffsetDelta < 0 || count > lastOffsetDelta + 1 :
            count <= 0 || lastOffsetDelta != count - 1)
        {
            throw new InvalidRecordBatchException(
                "recordsCount " + count + " does not match lastOffsetDelta " + lastOffsetDelta + (compacted ?
                " (a compacted batch holds at most lastOffsetDelta + 1 records)" :
                " (a batch holds lastOffsetDelta + 1 >= 1 records)"));
        }
        final int codec = batch.compressionCodec();
        if (codec > COMPRESSION_ZSTD)
        {
            throw new InvalidRecordBatchException("unknown compression codec " + codec + " in attributes");
        }
    }

    private void validateRecords(final DirectBuffer buffer, final int limit, final int count, final boolean keyed)
    {
        int position = batch.recordsOffset();
        final long baseOffset = batch.baseOffset();
        final long baseTimestamp = batch.baseTimestamp();
        int previousDelta = -1;
        for (int i = 0; i < count; i++)
        {
            if (position >= limit)
            {
                throw new InvalidRecordBatchException(
                    "recordsCount is " + count + " but the batch ends after " + i + " records");
            }
            record.wrap(buffer, position, limit, baseOffset, baseTimestamp);
            final int delta = record.offsetDelta();
            if (compacted ? delta <= previousDelta || delta > batch.lastOffsetDelta() : delta != i)
            {
                throw new InvalidRecordBatchException("record " + i + " has offsetDelta " + delta + (compacted ?
                    "; deltas must ascend up to the last offset delta " + batch.lastOffsetDelta() :
                    "; deltas must run 0, 1, 2, ..."));
            }
            if (keyed && record.keyLength() < 0)
            {
                throw new InvalidRecordBatchException("record " + i + " has no key: a compacted log keeps records " +
                    "by key and cannot take one without");
            }
            previousDelta = delta;
            position += record.totalLength();
        }
        if (position != limit)
        {
            throw new InvalidRecordBatchException(
                (limit - position) + " bytes follow the last of the " + count + " records the batch declares");
        }
    }
}
