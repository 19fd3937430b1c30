package io.loglab.engine.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Encodes records into one uncompressed RecordBatch v2 in a caller's buffer, allocating nothing per record.
 * <pre>
 *   builder.wrap(buffer, 0, capacity);
 *   while (builder.tryAppend(timestamp, key, 0, keyLength, value, 0, valueLength, null)) { ... }
 *   int length = builder.build();   // header and CRC written; the batch is buffer[0, length)
 * </pre>
 * The base offset is left 0 and the partition leader epoch at {@link RecordBatchDescriptor#NO_PARTITION_LEADER_EPOCH}:
 * the log stamps both on append. Not thread-safe.
 */
public final class RecordBatchBuilder
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final Crc32cChecksum checksum = new Crc32cChecksum();
    private MutableDirectBuffer buffer;
    private int batchOffset;
    private int capacity;
    private int position;
    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp;
    private long producerId = NO_PRODUCER_ID;
    private short producerEpoch = NO_PRODUCER_EPOCH;
    private int baseSequence = NO_SEQUENCE;

    /**
     * Start a new batch at {@code offset} in {@code buffer}, using at most {@code capacity} bytes.
     */
    public RecordBatchBuilder wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        if (capacity < HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                "a batch needs at least " + HEADER_LENGTH + " bytes, capacity is " + capacity);
        }
        this.buffer = buffer;
        this.batchOffset = offset;
        this.capacity = capacity;
        return reset();
    }

    /**
     * Drop the records appended so far and start again in the same space.
     */
    public RecordBatchBuilder reset()
    {
        position = batchOffset + HEADER_LENGTH;
        recordCount = 0;
        baseTimestamp = 0;
        maxTimestamp = 0;
        return this;
    }

    /**
     * Mark the batch as an idempotent producer's; the defaults say "not idempotent".
     */
    public RecordBatchBuilder producer(final long producerId, final short producerEpoch, final int baseSequence)
    {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /**
     * Bytes one record takes in a batch, length prefix included.
     *
     * @param timestampDelta from the batch's base timestamp.
     * @param keyLength      or {@link Record#NULL_LENGTH}.
     * @param valueLength    or {@link Record#NULL_LENGTH}.
     * @param headers        or null for none.
     */
    public static int recordLength(
        final long timestampDelta,
        final int offsetDelta,
        final int keyLength,
        final int valueLength,
        final RecordHeaders headers)
    {
        final int bodyLength = bodyLength(timestampDelta, offsetDelta, keyLength, valueLength, headers);
        return Varint.sizeOfInt(bodyLength) + bodyLength;
    }

    private static int bodyLength(
        final long timestampDelta,
        final int offsetDelta,
        final int keyLength,
        final int valueLength,
        final RecordHeaders headers)
    {
        return 1 + Varint.sizeOfLong(timestampDelta) + Varint.sizeOfInt(offsetDelta) +
            Varint.sizeOfInt(keyLength) + Math.max(keyLength, 0) +
            Varint.sizeOfInt(valueLength) + Math.max(valueLength, 0) +
            (headers == null ? 1 : headers.encodedLength());
    }

    /**
     * Append a record if it fits.
     *
     * @param keyBuffer   null for a null key.
     * @param valueBuffer null for a null value.
     * @param headers     null or empty for none.
     * @return false, with nothing written, when the record does not fit in what is left of the capacity.
     */
    public boolean tryAppend(
        final long timestamp,
        final DirectBuffer keyBuffer, final int keyOffset, final int keyLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength,
        final RecordHeaders headers)
    {
        if (recordCount == 0)
        {
            baseTimestamp = timestamp;
            maxTimestamp = timestamp;
        }
        final long timestampDelta = timestamp - baseTimestamp;
        final int keyLen = keyBuffer == null ? Record.NULL_LENGTH : keyLength;
        final int valueLen = valueBuffer == null ? Record.NULL_LENGTH : valueLength;
        final int bodyLength = bodyLength(timestampDelta, recordCount, keyLen, valueLen, headers);
        if (position + Varint.sizeOfInt(bodyLength) + bodyLength > batchOffset + capacity)
        {
            return false;
        }

        int i = position;
        i += Varint.putInt(buffer, i, bodyLength);
        buffer.putByte(i++, (byte)0);
        i += Varint.putLong(buffer, i, timestampDelta);
        i += Varint.putInt(buffer, i, recordCount);
        i += Varint.putInt(buffer, i, keyLen);
        if (keyLen > 0)
        {
            buffer.putBytes(i, keyBuffer, keyOffset, keyLen);
            i += keyLen;
        }
        i += Varint.putInt(buffer, i, valueLen);
        if (valueLen > 0)
        {
            buffer.putBytes(i, valueBuffer, valueOffset, valueLen);
            i += valueLen;
        }
        if (headers == null)
        {
            buffer.putByte(i++, (byte)0);
        }
        else
        {
            i += headers.encode(buffer, i);
        }

        position = i;
        recordCount++;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return true;
    }

    public int recordCount()
    {
        return recordCount;
    }

    public boolean isEmpty()
    {
        return recordCount == 0;
    }

    /**
     * Bytes the batch takes so far, header included.
     */
    public int sizeInBytes()
    {
        return position - batchOffset;
    }

    /**
     * Write the header and CRC.
     *
     * @return the batch's total length in bytes.
     * @throws IllegalStateException if no record was appended: Kafka rejects empty producer batches.
     */
    public int build()
    {
        if (recordCount == 0)
        {
            throw new IllegalStateException("a batch needs at least one record");
        }
        final int length = position - batchOffset;
        buffer.putLong(batchOffset + BASE_OFFSET_OFFSET, 0L, ORDER);
        buffer.putInt(batchOffset + BATCH_LENGTH_OFFSET, length - LOG_OVERHEAD, ORDER);
        buffer.putInt(batchOffset + PARTITION_LEADER_EPOCH_OFFSET, NO_PARTITION_LEADER_EPOCH, ORDER);
        buffer.putByte(batchOffset + MAGIC_OFFSET, MAGIC);
        buffer.putShort(batchOffset + ATTRIBUTES_OFFSET, (short)0, ORDER);
        buffer.putInt(batchOffset + LAST_OFFSET_DELTA_OFFSET, recordCount - 1, ORDER);
        buffer.putLong(batchOffset + BASE_TIMESTAMP_OFFSET, baseTimestamp, ORDER);
        buffer.putLong(batchOffset + MAX_TIMESTAMP_OFFSET, maxTimestamp, ORDER);
        buffer.putLong(batchOffset + PRODUCER_ID_OFFSET, producerId, ORDER);
        buffer.putShort(batchOffset + PRODUCER_EPOCH_OFFSET, producerEpoch, ORDER);
        buffer.putInt(batchOffset + BASE_SEQUENCE_OFFSET, baseSequence, ORDER);
        buffer.putInt(batchOffset + RECORDS_COUNT_OFFSET, recordCount, ORDER);
        final int crc = checksum.compute(buffer, batchOffset + ATTRIBUTES_OFFSET, length - ATTRIBUTES_OFFSET);
        buffer.putInt(batchOffset + CRC_OFFSET, crc, ORDER);
        return length;
    }
}
