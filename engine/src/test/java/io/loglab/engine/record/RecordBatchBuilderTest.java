package io.loglab.engine.record;

import io.loglab.engine.record.RecordTestSupport.Rec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.loglab.engine.record.RecordBatchDescriptor.*;
import static io.loglab.engine.record.RecordTestSupport.append;
import static io.loglab.engine.record.RecordTestSupport.decode;
import static io.loglab.engine.record.RecordTestSupport.expected;
import static io.loglab.engine.record.RecordTestSupport.headers;
import static io.loglab.engine.record.RecordTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchBuilderTest
{
    private static final int BATCH_OFFSET = 13;

    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final RecordHeaders scratch = new RecordHeaders();
    private final RecordBatchValidator validator = new RecordBatchValidator();

    static List<Rec> mixedRecords()
    {
        final List<Rec> records = new ArrayList<>();
        records.add(new Rec(0, 1_700_000_000_000L, utf8("key-0"), utf8("value-0"), null));
        // Earlier than the first record: a negative timestamp delta.
        records.add(new Rec(0, 1_699_999_999_990L, null, utf8("value with null key"),
            headers("h1", "one", "h-null", null)));
        records.add(new Rec(0, 1_700_000_000_500L, new byte[0], null, List.of()));
        records.add(new Rec(0, 1_700_000_000_250L, utf8("key-3"), new byte[0], headers("", "empty key", "h2", "")));
        records.add(new Rec(0, 1_700_000_000_100L, null, null, null));
        final byte[] bigValue = new byte[300];
        for (int i = 0; i < bigValue.length; i++)
        {
            bigValue[i] = (byte)i;
        }
        records.add(new Rec(0, 1_700_000_000_100L, utf8("ключ"), bigValue,
            headers("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", null)));
        return records;
    }

    @Test
    void shouldDecodeEveryFieldWhenBatchHoldsNullEmptyAndNonNullKeysValuesAndHeaders()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        builder.wrap(buffer, BATCH_OFFSET, 4096 - BATCH_OFFSET);
        final List<Rec> records = mixedRecords();
        for (final Rec rec : records)
        {
            assertTrue(append(builder, scratch, rec));
        }
        assertEquals(records.size(), builder.recordCount());
        final int size = builder.sizeInBytes();

        final int length = builder.build();

        assertEquals(size, length);
        assertDoesNotThrow(() -> validator.validate(buffer, BATCH_OFFSET, length, true));
        final RecordBatch batch = new RecordBatch().wrap(buffer, BATCH_OFFSET);
        assertEquals(0L, batch.baseOffset());
        assertEquals(length - LOG_OVERHEAD, batch.batchLength());
        assertEquals(length, batch.totalLength());
        assertEquals(BATCH_OFFSET + length, batch.limit());
        assertEquals(NO_PARTITION_LEADER_EPOCH, batch.partitionLeaderEpoch());
        assertEquals(MAGIC, batch.magic());
        assertEquals(0, batch.attributes());
        assertFalse(batch.isCompressed());
        assertFalse(batch.isTransactional());
        assertFalse(batch.isControl());
        assertEquals(records.size() - 1, batch.lastOffsetDelta());
        assertEquals(records.size() - 1, batch.lastOffset());
        assertEquals(records.size(), batch.nextOffset());
        assertEquals(records.size(), batch.recordsCount());
        assertEquals(1_700_000_000_000L, batch.baseTimestamp());
        assertEquals(1_700_000_000_500L, batch.maxTimestamp());
        assertEquals(NO_PRODUCER_ID, batch.producerId());
        assertEquals(NO_PRODUCER_EPOCH, batch.producerEpoch());
        assertEquals(NO_SEQUENCE, batch.baseSequence());

        final List<Rec> decoded = decode(batch);
        for (int i = 0; i < records.size(); i++)
        {
            assertEquals(expected(records.get(i), i), decoded.get(i), "record " + i);
        }
        assertEquals(records.size(), decoded.size());
    }

    @Test
    void shouldReportNullAndEmptyLengthsDistinctlyWhenDecoding()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        builder.wrap(buffer, 0, 512);
        assertTrue(append(builder, scratch, new Rec(0, 5, null, new byte[0], headers("n", null, "e", ""))));
        final int length = builder.build();

        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        final Record record = new Record().wrap(buffer, batch.recordsOffset(), length, 0, batch.baseTimestamp());
        assertEquals(Record.NULL_LENGTH, record.keyLength());
        assertEquals(0, record.valueLength());
        assertEquals(2, record.headerCount());
        assertEquals(length - batch.recordsOffset(), record.totalLength());
        final HeaderCursor cursor = new HeaderCursor().wrap(record);
        assertTrue(cursor.next());
        assertEquals(1, cursor.keyLength());
        assertEquals((byte)'n', buffer.getByte(cursor.keyOffset()));
        assertEquals(Record.NULL_LENGTH, cursor.valueLength());
        assertTrue(cursor.next());
        assertEquals((byte)'e', buffer.getByte(cursor.keyOffset()));
        assertEquals(0, cursor.valueLength());
        assertFalse(cursor.next());
    }

    @Test
    void shouldCarryProducerStateWhenIdempotent()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        builder.wrap(buffer, 0, 256).producer(123_456_789_012L, (short)7, 41);
        assertTrue(append(builder, scratch, new Rec(0, 10, utf8("k"), utf8("v"), null)));
        assertTrue(append(builder, scratch, new Rec(0, 20, utf8("k"), utf8("v"), null)));
        final int length = builder.build();

        validator.validate(buffer, 0, length, true);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        assertEquals(123_456_789_012L, batch.producerId());
        assertEquals(7, batch.producerEpoch());
        assertEquals(41, batch.baseSequence());
        assertEquals(10, batch.baseTimestamp());
        assertEquals(20, batch.maxTimestamp());
    }

    @Test
    void shouldMatchRecordLengthWhenAppending()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        builder.wrap(buffer, 0, 1024);
        final RecordHeaders headers = new RecordHeaders();
        final UnsafeBuffer hk = new UnsafeBuffer(utf8("hdr"));
        headers.add(hk, 0, 3, null, 0, 0);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[200]);

        int expectedSize = HEADER_LENGTH;
        assertTrue(builder.tryAppend(100, data, 0, 10, data, 0, 150, headers));
        expectedSize += RecordBatchBuilder.recordLength(0, 0, 10, 150, headers);
        assertEquals(expectedSize, builder.sizeInBytes());
        assertTrue(builder.tryAppend(100_000, null, 0, 0, data, 0, 70, null));
        expectedSize += RecordBatchBuilder.recordLength(99_900, 1, Record.NULL_LENGTH, 70, null);
        assertEquals(expectedSize, builder.sizeInBytes());
        assertEquals(expectedSize, builder.build());
    }

    @Test
    void shouldReturnFalseAndWriteNothingWhenRecordDoesNotFit()
    {
        final byte[] array = new byte[512];
        final UnsafeBuffer buffer = new UnsafeBuffer(array);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[40]);
        // Room for exactly two records of 40-byte values, offset deltas 0 and 1, same timestamp.
        final int capacity = HEADER_LENGTH +
            RecordBatchBuilder.recordLength(0, 0, Record.NULL_LENGTH, 40, null) +
            RecordBatchBuilder.recordLength(0, 1, Record.NULL_LENGTH, 40, null);
        java.util.Arrays.fill(array, (byte)0x7E);
        builder.wrap(buffer, 8, capacity);

        assertTrue(builder.tryAppend(50, null, 0, 0, value, 0, 40, null));
        assertTrue(builder.tryAppend(50, null, 0, 0, value, 0, 40, null), "the second record fits exactly");
        assertEquals(capacity, builder.sizeInBytes());
        assertFalse(builder.tryAppend(50, null, 0, 0, value, 0, 0, null), "even an empty record does not fit");
        assertFalse(builder.tryAppend(60, null, 0, 0, value, 0, 40, null));
        assertEquals(2, builder.recordCount());
        assertEquals(capacity, builder.sizeInBytes());
        for (int i = 8 + capacity; i < array.length; i++)
        {
            assertEquals((byte)0x7E, array[i], "byte " + i + " past the capacity was written");
        }

        final int length = builder.build();

        assertEquals(capacity, length);
        validator.validate(buffer, 8, length, true);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 8);
        assertEquals(2, batch.recordsCount());
        assertEquals(1, batch.lastOffsetDelta());
        assertEquals(50, batch.maxTimestamp(), "a rejected record must not move the max timestamp");
        assertEquals(2, decode(batch).size());
    }

    @Test
    void shouldReturnFalseWhenFirstRecordDoesNotFit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        builder.wrap(buffer, 0, HEADER_LENGTH + 10);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[20]);

        assertFalse(builder.tryAppend(1, null, 0, 0, value, 0, 20, null));
        assertTrue(builder.isEmpty());
        assertEquals(HEADER_LENGTH, builder.sizeInBytes());
        assertThrows(IllegalStateException.class, builder::build);

        assertTrue(builder.tryAppend(2, null, 0, 0, value, 0, 3, null));
        final int length = builder.build();
        validator.validate(buffer, 0, length, true);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        assertEquals(2, batch.baseTimestamp());
        assertEquals(2, batch.maxTimestamp());
    }

    @Test
    void shouldThrowWhenBuildingEmptyBatch()
    {
        builder.wrap(new UnsafeBuffer(new byte[128]), 0, 128);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(ex.getMessage().contains("at least one record"), ex.getMessage());
    }

    @Test
    void shouldThrowWhenCapacityIsBelowHeaderLength()
    {
        assertThrows(IllegalArgumentException.class,
            () -> builder.wrap(new UnsafeBuffer(new byte[128]), 0, HEADER_LENGTH - 1));
    }

    @Test
    void shouldStartAFreshBatchWhenReset()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        builder.wrap(buffer, 0, 512);
        assertTrue(append(builder, scratch, new Rec(0, 1000, utf8("old"), utf8("old"), null)));
        assertTrue(append(builder, scratch, new Rec(0, 9000, utf8("old"), utf8("old"), null)));
        builder.reset();
        assertTrue(builder.isEmpty());
        assertTrue(append(builder, scratch, new Rec(0, 500, utf8("new"), utf8("new"), null)));
        final int length = builder.build();

        validator.validate(buffer, 0, length, true);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        assertEquals(1, batch.recordsCount());
        assertEquals(500, batch.baseTimestamp());
        assertEquals(500, batch.maxTimestamp());
        assertEquals(List.of(expected(new Rec(0, 500, utf8("new"), utf8("new"), null), 0)), decode(batch));
    }

    @Test
    void shouldBuildIdenticalBytesWhenBufferIsDirect()
    {
        final List<Rec> records = mixedRecords();
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[2048]);
        builder.wrap(heap, 3, 2000);
        records.forEach(r -> assertTrue(append(builder, scratch, r)));
        final int heapLength = builder.build();

        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        final RecordBatchBuilder other = new RecordBatchBuilder();
        other.wrap(direct, 3, 2000);
        records.forEach(r -> assertTrue(append(other, scratch, r)));
        final int directLength = other.build();

        assertEquals(heapLength, directLength);
        final byte[] a = new byte[heapLength];
        final byte[] b = new byte[directLength];
        heap.getBytes(3, a);
        direct.getBytes(3, b);
        assertArrayEquals(a, b);
        validator.validate(direct, 3, directLength, true);
    }
}
