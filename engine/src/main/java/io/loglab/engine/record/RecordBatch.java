package io.loglab.engine.record;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Flyweight over one RecordBatch v2 in a buffer: reads header fields in place, allocates nothing.
 * Not thread-safe; each reading thread wraps its own.
 *
 * @see RecordBatchDescriptor for the layout.
 */
public final class RecordBatch
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    public RecordBatch wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Index of the batch's first byte in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    public long baseOffset()
    {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET, ORDER);
    }

    public long lastOffset()
    {
        return baseOffset() + lastOffsetDelta();
    }

    /**
     * The offset after this batch: where the next batch in the log starts.
     */
    public long nextOffset()
    {
        return lastOffset() + 1;
    }

    public int batchLength()
    {
        return buffer.getInt(offset + BATCH_LENGTH_OFFSET, ORDER);
    }

    /**
     * Bytes of the whole batch, header included.
     */
    public int totalLength()
    {
        return RecordBatchDescriptor.totalLength(batchLength());
    }

    public int partitionLeaderEpoch()
    {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET, ORDER);
    }

    public byte magic()
    {
        return buffer.getByte(offset + MAGIC_OFFSET);
    }

    public long crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public short attributes()
    {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET, ORDER);
    }

    public int compressionCodec()
    {
        return RecordBatchDescriptor.compressionCodec(attributes());
    }

    public boolean isCompressed()
    {
        return compressionCodec() != COMPRESSION_NONE;
    }

    public boolean isTransactional()
    {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl()
    {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta()
    {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    public long baseTimestamp()
    {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET, ORDER);
    }

    public long maxTimestamp()
    {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET, ORDER);
    }

    public long producerId()
    {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET, ORDER);
    }

    public short producerEpoch()
    {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET, ORDER);
    }

    public int baseSequence()
    {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET, ORDER);
    }

    public int recordsCount()
    {
        return buffer.getInt(offset + RECORDS_COUNT_OFFSET, ORDER);
    }

    /**
     * Index in {@link #buffer()} of the first record (or of the compressed block).
     */
    public int recordsOffset()
    {
        return offset + RECORDS_OFFSET;
    }

    /**
     * Index in {@link #buffer()} one past the batch's last byte.
     */
    public int limit()
    {
        return offset + totalLength();
    }
}
