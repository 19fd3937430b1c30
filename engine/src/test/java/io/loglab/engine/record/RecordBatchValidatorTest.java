package io.loglab.engine.record;

import io.loglab.engine.record.RecordTestSupport.Rec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static io.loglab.engine.record.RecordBatchDescriptor.*;
import static io.loglab.engine.record.RecordTestSupport.append;
import static io.loglab.engine.record.RecordTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchValidatorTest
{
    /** Where the test batch sits inside the buffer handed to the validator. */
    private static final int INDEX = 5;

    // Layout of the single record of batch(): key "abc", value "defgh", no headers, all deltas 0.
    private static final int RECORD_LENGTH_AT = RECORDS_OFFSET;
    private static final int OFFSET_DELTA_AT = RECORDS_OFFSET + 3;
    private static final int KEY_LENGTH_AT = RECORDS_OFFSET + 4;
    private static final int HEADER_COUNT_AT = RECORDS_OFFSET + 14;
    private static final int SINGLE_RECORD_BATCH_LENGTH = RECORDS_OFFSET + 15;

    enum Kind
    {
        HEAP_BIG_ENDIAN,
        HEAP_LITTLE_ENDIAN,
        HEAP_SLICE,
        DIRECT_BIG_ENDIAN,
        DIRECT_LITTLE_ENDIAN,
        DIRECT_SLICE;

        /**
         * A buffer holding {@code bytes} at {@link #INDEX}, with junk around them.
         */
        ByteBuffer wrap(final byte[] bytes)
        {
            final int capacity = INDEX + bytes.length + 9;
            final ByteBuffer buffer;
            switch (this)
            {
                case HEAP_BIG_ENDIAN, HEAP_LITTLE_ENDIAN -> buffer = ByteBuffer.allocate(capacity);
                case HEAP_SLICE -> buffer = ByteBuffer.allocate(capacity + 11).position(11).slice();
                case DIRECT_SLICE -> buffer = ByteBuffer.allocateDirect(capacity + 11).position(11).slice();
                default -> buffer = ByteBuffer.allocateDirect(capacity);
            }
            if (this == HEAP_LITTLE_ENDIAN || this == DIRECT_LITTLE_ENDIAN)
            {
                buffer.order(ByteOrder.LITTLE_ENDIAN);
            }
            for (int i = 0; i < capacity; i++)
            {
                buffer.put(i, (byte)0xA5);
            }
            buffer.put(INDEX, bytes);
            // A producer hands over position..limit; the validator must not depend on or move either.
            buffer.position(INDEX).limit(INDEX + bytes.length);
            return buffer;
        }
    }

    private final RecordBatchValidator validator = new RecordBatchValidator();

    private static byte[] singleRecordBatch()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(buffer, 0, 256);
        assertTrue(append(builder, new RecordHeaders(), new Rec(0, 1_000, utf8("abc"), utf8("defgh"), null)));
        final int length = builder.build();
        assertEquals(SINGLE_RECORD_BATCH_LENGTH, length, "layout the corruptions below assume");
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] threeRecordBatch()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(buffer, 0, 512);
        final RecordHeaders headers = new RecordHeaders();
        assertTrue(append(builder, headers, new Rec(0, 1_000, utf8("k1"), utf8("v1"), null)));
        assertTrue(append(builder, headers, new Rec(0, 1_001, null, utf8("v2"),
            RecordTestSupport.headers("h", "x"))));
        assertTrue(append(builder, headers, new Rec(0, 1_002, utf8("k3"), null, null)));
        return Arrays.copyOf(buffer.byteArray(), builder.build());
    }

    private static byte[] modified(final byte[] batch, final Consumer<ByteBuffer> change)
    {
        final byte[] copy = batch.clone();
        change.accept(ByteBuffer.wrap(copy));
        return copy;
    }

    /**
     * One extra byte at the end of the batch, counted by batchLength, with the CRC fixed up.
     */
    private static byte[] grownByOne(final byte[] batch, final byte extra)
    {
        final byte[] copy = Arrays.copyOf(batch, batch.length + 1);
        copy[batch.length] = extra;
        final ByteBuffer buffer = ByteBuffer.wrap(copy);
        buffer.putInt(BATCH_LENGTH_OFFSET, copy.length - LOG_OVERHEAD);
        fixCrc(buffer);
        return copy;
    }

    static void fixCrc(final ByteBuffer batch)
    {
        final CRC32C crc = new CRC32C();
        crc.update(batch.array(), batch.arrayOffset() + ATTRIBUTES_OFFSET, batch.capacity() - ATTRIBUTES_OFFSET);
        batch.putInt(CRC_OFFSET, (int)crc.getValue());
    }

    private void assertRejected(final Kind kind, final byte[] batch, final String messagePart)
    {
        assertRejected(kind, batch, batch.length, messagePart);
    }

    private void assertRejected(final Kind kind, final byte[] batch, final int length, final String messagePart)
    {
        final ByteBuffer buffer = kind.wrap(batch);
        final InvalidRecordBatchException ex = assertThrows(
            InvalidRecordBatchException.class, () -> validator.validate(buffer, INDEX, length, true));
        assertTrue(ex.getMessage().contains(messagePart),
            "expected a message containing \"" + messagePart + "\" but was \"" + ex.getMessage() + "\"");
        assertEquals(INDEX, buffer.position(), "position moved");
        assertEquals(INDEX + batch.length, buffer.limit(), "limit moved");
    }

    /**
     * The corruption is in the records only: header and CRC checks pass, so only the framing walk can catch it.
     */
    private void assertFramingRejected(final Kind kind, final byte[] batch, final String messagePart)
    {
        final ByteBuffer buffer = kind.wrap(batch);
        assertDoesNotThrow(() -> validator.validate(buffer, INDEX, batch.length, false),
            "header and CRC are consistent, so only the record walk may reject this");
        assertRejected(kind, batch, messagePart);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAcceptWhenBatchIsWellFormed(final Kind kind)
    {
        for (final byte[] batch : new byte[][] {singleRecordBatch(), threeRecordBatch()})
        {
            final ByteBuffer buffer = kind.wrap(batch);
            assertDoesNotThrow(() -> validator.validate(buffer, INDEX, batch.length, true));
            assertDoesNotThrow(() -> validator.validate(buffer, INDEX, batch.length, false));
            assertEquals(INDEX, buffer.position());
            assertEquals(INDEX + batch.length, buffer.limit());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenCrcDoesNotMatch(final Kind kind)
    {
        final byte[] batch = threeRecordBatch();
        for (final int at : new int[] {ATTRIBUTES_OFFSET, BASE_TIMESTAMP_OFFSET + 7, RECORDS_OFFSET + 6,
            batch.length - 1})
        {
            final byte[] corrupt = modified(batch, b -> b.put(at, (byte)(b.get(at) ^ 0x10)));
            assertRejected(kind, corrupt, "CRC32C mismatch");
        }
        final byte[] badCrc = modified(batch, b -> b.put(CRC_OFFSET + 3, (byte)(b.get(CRC_OFFSET + 3) + 1)));
        assertRejected(kind, badCrc, "CRC32C mismatch");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAcceptWhenOnlyFieldsOutsideCrcChange(final Kind kind)
    {
        // baseOffset and partitionLeaderEpoch are stamped by the log on append, after the producer computed the CRC.
        final byte[] batch = modified(threeRecordBatch(), b ->
        {
            b.putLong(BASE_OFFSET_OFFSET, 987_654_321L);
            b.putInt(PARTITION_LEADER_EPOCH_OFFSET, 42);
        });
        final ByteBuffer buffer = kind.wrap(batch);
        assertDoesNotThrow(() -> validator.validate(buffer, INDEX, batch.length, true));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenMagicIsNotTwo(final Kind kind)
    {
        assertRejected(kind, modified(singleRecordBatch(), b -> b.put(MAGIC_OFFSET, (byte)1)),
            "magic byte is 1; only 2");
        assertRejected(kind, modified(singleRecordBatch(), b -> b.put(MAGIC_OFFSET, (byte)3)),
            "magic byte is 3; only 2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenBatchLengthDisagreesWithGivenLength(final Kind kind)
    {
        final byte[] batch = singleRecordBatch();
        final int batchLength = batch.length - LOG_OVERHEAD;

        assertRejected(kind, batch, batch.length - 1,
            "batchLength " + batchLength + " says the batch is " + batch.length + " bytes but " +
            (batch.length - 1) + " bytes were given");
        assertRejected(kind, modified(batch, b -> b.putInt(BATCH_LENGTH_OFFSET, batchLength + 1)),
            "says the batch is " + (batch.length + 1) + " bytes but " + batch.length + " bytes were given");
        assertRejected(kind, modified(batch, b -> b.putInt(BATCH_LENGTH_OFFSET, Integer.MAX_VALUE)),
            "bytes were given");
    }

    @Test
    void shouldRejectWhenGivenLengthExceedsBatchInLargerBuffer()
    {
        final byte[] batch = singleRecordBatch();
        final byte[] withTail = Arrays.copyOf(batch, batch.length + 20);
        final InvalidRecordBatchException ex = assertThrows(InvalidRecordBatchException.class,
            () -> validator.validate(ByteBuffer.wrap(withTail), 0, withTail.length, true));
        assertTrue(ex.getMessage().contains("bytes but " + withTail.length + " bytes were given"), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenBatchLengthIsNegativeOrBelowMinimum(final Kind kind)
    {
        final byte[] batch = singleRecordBatch();
        assertRejected(kind, modified(batch, b -> b.putInt(BATCH_LENGTH_OFFSET, -1)),
            "batchLength -1 is below the minimum of " + MIN_BATCH_LENGTH);
        assertRejected(kind, modified(batch, b -> b.putInt(BATCH_LENGTH_OFFSET, Integer.MIN_VALUE)),
            "is below the minimum");
        assertRejected(kind, modified(batch, b -> b.putInt(BATCH_LENGTH_OFFSET, MIN_BATCH_LENGTH - 1)),
            "batchLength " + (MIN_BATCH_LENGTH - 1) + " is below the minimum");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenBufferIsShorterThanHeader(final Kind kind)
    {
        final byte[] batch = singleRecordBatch();
        assertRejected(kind, Arrays.copyOf(batch, HEADER_LENGTH - 1),
            "batch of 60 bytes is shorter than the 61-byte RecordBatch v2 header");
        assertRejected(kind, new byte[0], "batch of 0 bytes is shorter");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordsCountDisagreesWithLastOffsetDelta(final Kind kind)
    {
        final byte[] batch = threeRecordBatch();
        assertRejected(kind, modified(batch, b ->
        {
            b.putInt(RECORDS_COUNT_OFFSET, 4);
            fixCrc(b);
        }), "recordsCount 4 does not match lastOffsetDelta 2");
        assertRejected(kind, modified(batch, b ->
        {
            b.putInt(LAST_OFFSET_DELTA_OFFSET, 1);
            fixCrc(b);
        }), "recordsCount 3 does not match lastOffsetDelta 1");
        assertRejected(kind, modified(batch, b ->
        {
            b.putInt(RECORDS_COUNT_OFFSET, 0);
            b.putInt(LAST_OFFSET_DELTA_OFFSET, -1);
            fixCrc(b);
        }), "recordsCount 0 does not match lastOffsetDelta -1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenCompressionCodecIsUnknown(final Kind kind)
    {
        for (final short codec : new short[] {5, 6, 7})
        {
            assertRejected(kind, modified(singleRecordBatch(), b ->
            {
                b.putShort(ATTRIBUTES_OFFSET, codec);
                fixCrc(b);
            }), "unknown compression codec " + codec);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordLengthRunsPastBatch(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(RECORD_LENGTH_AT, (byte)(15 << 1));
            fixCrc(b);
        }), "declares length 15 but only 14 bytes remain in its batch");
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(RECORD_LENGTH_AT, (byte)1); // -1
            fixCrc(b);
        }), "declares length -1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordLengthIsShorterThanItsFields(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(RECORD_LENGTH_AT, (byte)(13 << 1));
            fixCrc(b);
        }), "runs past the end of its record");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordLengthIsLongerThanItsFields(final Kind kind)
    {
        final byte[] batch = singleRecordBatch();
        batch[RECORD_LENGTH_AT] = (byte)(15 << 1);
        assertFramingRejected(kind, grownByOne(batch, (byte)0), "declares 15 bytes but its fields take 14");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenKeyLengthIsInvalid(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(KEY_LENGTH_AT, (byte)(20 << 1));
            fixCrc(b);
        }), "has a key of 20 bytes that runs past the record");
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(KEY_LENGTH_AT, (byte)3); // -2
            fixCrc(b);
        }), "has a key of negative length -2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenHeaderCountIsInvalid(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(HEADER_COUNT_AT, (byte)1); // -1
            fixCrc(b);
        }), "negative header count -1");
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(HEADER_COUNT_AT, (byte)2); // 1 header, but no bytes for it
            fixCrc(b);
        }), "runs past the end of its record");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenOffsetDeltaIsOutOfSequence(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.put(OFFSET_DELTA_AT, (byte)2); // 1
            fixCrc(b);
        }), "record 0 has offsetDelta 1; deltas must run 0, 1, 2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenBytesFollowLastRecord(final Kind kind)
    {
        assertFramingRejected(kind, grownByOne(singleRecordBatch(), (byte)0),
            "1 bytes follow the last of the 1 records the batch declares");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordsCountExceedsRecordsPresent(final Kind kind)
    {
        assertFramingRejected(kind, modified(singleRecordBatch(), b ->
        {
            b.putInt(RECORDS_COUNT_OFFSET, 2);
            b.putInt(LAST_OFFSET_DELTA_OFFSET, 1);
            fixCrc(b);
        }), "recordsCount is 2 but the batch ends after 1 records");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldSkipRecordFramingWhenBatchIsCompressed(final Kind kind)
    {
        // gzip says the records are one opaque block: the log does not decompress, so only the CRC covers them.
        final byte[] batch = modified(singleRecordBatch(), b ->
        {
            b.putShort(ATTRIBUTES_OFFSET, (short)1);
            b.put(KEY_LENGTH_AT, (byte)(20 << 1));
            fixCrc(b);
        });
        final ByteBuffer buffer = kind.wrap(batch);
        assertDoesNotThrow(() -> validator.validate(buffer, INDEX, batch.length, true));
    }

    @Test
    void shouldReadFieldsBigEndianWhenByteBufferIsLittleEndian()
    {
        final byte[] batch = threeRecordBatch();
        final ByteBuffer big = ByteBuffer.wrap(batch);
        final ByteBuffer little = ByteBuffer.wrap(batch.clone()).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(big.getInt(BATCH_LENGTH_OFFSET), getInt(little, BATCH_LENGTH_OFFSET));
        assertEquals(batch.length - LOG_OVERHEAD, getInt(little, BATCH_LENGTH_OFFSET));
        assertEquals(2, getInt(little, LAST_OFFSET_DELTA_OFFSET));
        assertEquals(1_002L, getLong(little, MAX_TIMESTAMP_OFFSET));
        assertEquals(getLong(big, BASE_TIMESTAMP_OFFSET), getLong(little, BASE_TIMESTAMP_OFFSET));

        putLong(little, BASE_OFFSET_OFFSET, 0x0102030405060708L);
        putInt(little, PARTITION_LEADER_EPOCH_OFFSET, 0x0A0B0C0D);
        final ByteBuffer stamped = ByteBuffer.wrap(little.array());
        assertEquals(0x0102030405060708L, stamped.getLong(BASE_OFFSET_OFFSET));
        assertEquals(0x0A0B0C0D, stamped.getInt(PARTITION_LEADER_EPOCH_OFFSET));
        assertDoesNotThrow(() -> validator.validate(little, 0, batch.length, true));
    }

    @Test
    void shouldValidateDirectBufferWhenWrappedAsAgronaBuffer()
    {
        final byte[] batch = threeRecordBatch();
        final ByteBuffer direct = ByteBuffer.allocateDirect(batch.length + 32);
        direct.put(16, batch);
        final UnsafeBuffer view = new UnsafeBuffer(direct, 8, batch.length + 8);
        assertDoesNotThrow(() -> validator.validate(view, 8, batch.length, true));

        direct.put(16 + RECORDS_OFFSET + 2, (byte)(direct.get(16 + RECORDS_OFFSET + 2) ^ 1));
        assertThrows(InvalidRecordBatchException.class, () -> validator.validate(view, 8, batch.length, true));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectWhenRecordVarintIsNotMinimallyEncoded(final Kind kind)
    {
        // Kafka reads this record as value [0x02] with one header ("" = null). A decoder that advances by the
        // canonical size of each varint instead reads value [0x00] with one header ("\0" = null), and its framing
        // still adds up, so without a minimal-encoding check the batch passes and means something else to us.
        final byte[] body = {0, 0, 0, 1, (byte)0x82, 0x00, 0x02, 0x02, 0x00, 0x01};
        final byte[] batch = new byte[RECORDS_OFFSET + 1 + body.length];
        final ByteBuffer b = ByteBuffer.wrap(batch);
        b.putInt(BATCH_LENGTH_OFFSET, batch.length - LOG_OVERHEAD)
            .putInt(PARTITION_LEADER_EPOCH_OFFSET, NO_PARTITION_LEADER_EPOCH)
            .put(MAGIC_OFFSET, MAGIC)
            .putLong(BASE_TIMESTAMP_OFFSET, 5)
            .putLong(MAX_TIMESTAMP_OFFSET, 5)
            .putLong(PRODUCER_ID_OFFSET, NO_PRODUCER_ID)
            .putShort(PRODUCER_EPOCH_OFFSET, NO_PRODUCER_EPOCH)
            .putInt(BASE_SEQUENCE_OFFSET, NO_SEQUENCE)
            .putInt(RECORDS_COUNT_OFFSET, 1);
        batch[RECORDS_OFFSET] = (byte)(body.length << 1);
        System.arraycopy(body, 0, batch, RECORDS_OFFSET + 1, body.length);
        fixCrc(b);

        assertFramingRejected(kind, batch, "not minimally encoded");
    }
}
