package io.loglab.engine.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Byte layout of a Kafka RecordBatch, magic 2, the unit the log stores, indexes and serves unchanged.
 * <p>
 * All integers are big-endian. The CRC is CRC32C over every byte from {@code attributes} to the end of the batch,
 * so the two fields a broker rewrites on append, {@code baseOffset} and {@code partitionLeaderEpoch}, can be stamped
 * without recomputing it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          baseOffset (int64)                   |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  batchLength (int32): bytes after this field                  |  8
 *  +---------------------------------------------------------------+
 *  |  partitionLeaderEpoch (int32)                                 | 12
 *  +---------------+-----------------------------------------------+
 *  |  magic (int8) |  crc (uint32) ...                             | 16
 *  +---------------+---------------+-------------------------------+
 *  |   ... crc     |  attributes (int16)           | lastOffsetDelta 20
 *  +---------------+-------------------------------+---------------+
 *  |   lastOffsetDelta (int32) ... | baseTimestamp (int64) ...     | 24
 *  |                               | maxTimestamp (int64) at 35    |
 *  |  producerId (int64) at 43, producerEpoch (int16) at 51,       |
 *  |  baseSequence (int32) at 53, recordsCount (int32) at 57       |
 *  +---------------------------------------------------------------+
 *  |  records: recordsCount varint-framed records (or one          | 61
 *  |  compressed block of them when attributes say so)            ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Attributes: bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd), bit 3 timestamp type
 * (0 create time, 1 log append time), bit 4 transactional, bit 5 control, bit 6 delete horizon set.
 * <p>
 * Each record inside is framed as:
 * <pre>
 *  length: varint | attributes: int8 | timestampDelta: varlong | offsetDelta: varint
 *  keyLength: varint (-1 null) | key | valueLength: varint (-1 null) | value
 *  headerCount: varint | headers: [keyLength varint | key utf8 | valueLength varint (-1 null) | value]
 * </pre>
 * Varints are zig-zag encoded, as in protocol buffers.
 */
public final class RecordBatchDescriptor
{
    public static final byte MAGIC = 2;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Size of the header; also the size of a batch that holds no records. */
    public static final int HEADER_LENGTH = RECORDS_OFFSET;

    /** The two fields in front of what {@code batchLength} counts. */
    public static final int LOG_OVERHEAD = BATCH_LENGTH_OFFSET + 4;

    /** Smallest legal {@code batchLength}: a header with no records. */
    public static final int MIN_BATCH_LENGTH = HEADER_LENGTH - LOG_OVERHEAD;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_GZIP = 1;
    public static final int COMPRESSION_ZSTD = 4;

    /** What a producer puts in {@code producerId}, {@code producerEpoch}, {@code baseSequence} when not idempotent. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;

    /** What a producer puts in {@code partitionLeaderEpoch}; the leader stamps its own on append. */
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    /** Kafka's Int32 limit on a batch, kept as a sanity bound on lengths read from disk or the wire. */
    public static final int MAX_BATCH_LENGTH = Integer.MAX_VALUE - LOG_OVERHEAD;

    private static final String[] COMPRESSION_NAMES = { "none", "gzip", "snappy", "lz4", "zstd" };

    private RecordBatchDescriptor()
    {
    }

    /**
     * Total bytes of a batch, header included, given its {@code batchLength} field.
     */
    public static int totalLength(final int batchLength)
    {
        return batchLength + LOG_OVERHEAD;
    }

    public static int compressionCodec(final short attributes)
    {
        return attributes & COMPRESSION_CODEC_MASK;
    }

    // A producer's ByteBuffer may be in either byte order; batch fields are big-endian whatever it is.

    public static int getInt(final ByteBuffer buffer, final int index)
    {
        final int value = buffer.getInt(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    public static long getLong(final ByteBuffer buffer, final int index)
    {
        final long value = buffer.getLong(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }

    public static void putInt(final ByteBuffer buffer, final int index, final int value)
    {
        buffer.putInt(index, buffer.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value));
    }

    public static void putLong(final ByteBuffer buffer, final int index, final long value)
    {
        buffer.putLong(index, buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value));
    }

    public static String compressionName(final int codec)
    {
        return codec >= 0 && codec < COMPRESSION_NAMES.length ? COMPRESSION_NAMES[codec] : "unknown(" + codec + ")";
    }
}
