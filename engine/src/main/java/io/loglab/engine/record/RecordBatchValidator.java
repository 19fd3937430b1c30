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

    /**
     * Validate that {@code buffer[index, index + length)} holds exactly one batch.
     *
     * @param checkRecords walk the records of an uncompressed batch too, not only its header and CRC.
     * @throws InvalidRecordBatchException naming what is wrong.
     */
    public void validate(final ByteBuffer buffer, final int index, final int length, final boolean checkRecords)
    {
        view.wrap(buffer);
        validate(view, index, length, checkRecords);
    }

    /**
     * As {@link #validate(ByteBuffer, int, int, boolean)} for a buffer that wraps a byte[] or a ByteBuffer.
     */
    public void validate(final DirectBuffer buffer, final int index, final int length, final boolean checkRecords)
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
            validateRecords(buffer, index + length, batch.recordsCount());
        }
    }

    /**
     * The header rules beyond lengths, magic and CRC: a record count that matches the last offset delta, and a known
     * compression codec. For a caller that checked the CRC another way, such as streaming it from a file.
     *
     * @throws InvalidRecordBatchException naming what is wrong.
     */
    public static void validateCountAndCodec(final RecordBatch batch)
    {
        final int count = batch.recordsCount();
        final int lastOffsetDelta = batch.lastOffsetDelta();
        if (count <= 0 || lastOffsetDelta != count - 1)
        {
            throw new InvalidRecordBatchException(
                "recordsCount " + count + " does not match lastOffsetDelta " + lastOffsetDelta +
                " (a batch holds lastOffsetDelta + 1 >= 1 records)");
        }
        final int codec = batch.compressionCodec();
        if (codec > COMPRESSION_ZSTD)
        {
            throw new InvalidRecordBatchException("unknown compression codec " + codec + " in attributes");
        }
    }

    private void validateRecords(final DirectBuffer buffer, final int limit, final int count)
    {
        int position = batch.recordsOffset();
        final long baseOffset = batch.baseOffset();
        final long baseTimestamp = batch.baseTimestamp();
        for (int i = 0; i < count; i++)
        {
            if (position >= limit)
            {
                throw new InvalidRecordBatchException(
                    "recordsCount is " + count + " but the batch ends after " + i + " records");
            }
            record.wrap(buffer, position, limit, baseOffset, baseTimestamp);
            if (record.offsetDelta() != i)
            {
                throw new InvalidRecordBatchException(
                    "record " + i + " has offsetDelta " + record.offsetDelta() + "; deltas must run 0, 1, 2, ...");
            }
            position += record.totalLength();
        }
        if (position != limit)
        {
            throw new InvalidRecordBatchException(
                (limit - position) + " bytes follow the last of the " + count + " records the batch declares");
        }
    }
}
