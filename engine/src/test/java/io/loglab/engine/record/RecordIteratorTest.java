package io.loglab.engine.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.loglab.engine.record.RecordBatchDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class RecordIteratorTest
{
    private static final long NOW = 1_700_000_000_000L;

    private final UnsafeBuffer region = new UnsafeBuffer(new byte[4096]);
    private final RecordIterator iterator = new RecordIterator();

    /**
     * Three batches of three records at offsets 0-2, 3-5 and 6-8, values "v0" to "v8", as a fetch returns them.
     *
     * @return the region's length.
     */
    private int threeBatches()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        int at = 0;
        for (int b = 0; b < 3; b++)
        {
            builder.wrap(region, at, region.capacity() - at);
            for (int r = 0; r < 3; r++)
            {
                final byte[] value = ("v" + (b * 3 + r)).getBytes(StandardCharsets.US_ASCII);
                assertTrue(builder.tryAppend(NOW + r, null, 0, 0, new UnsafeBuffer(value), 0, value.length, null));
            }
            final int length = builder.build();
            region.putLong(at + BASE_OFFSET_OFFSET, b * 3L, ByteOrder.BIG_ENDIAN);
            at += length;
        }
        return at;
    }

    private List<String> values(final RecordIterator records)
    {
        final List<String> values = new ArrayList<>();
        while (records.next())
        {
            final Record record = records.record();
            final String value =
                record.buffer().getStringWithoutLengthAscii(record.valueOffset(), record.valueLength());
            assertEquals("v" + record.offset(), value, "offset and value agree");
            values.add(value);
        }
        return values;
    }

    @Test
    void shouldWalkEveryRecordOfEveryBatchInOrder()
    {
        final int length = threeBatches();
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"),
            values(iterator.wrap(region, 0, length)));
    }

    @Test
    void shouldSkipRecordsBelowTheOffsetToStartFrom()
    {
        final int length = threeBatches();
        assertEquals(List.of("v4", "v5", "v6", "v7", "v8"), values(iterator.wrap(region, 0, length, 4)));
        assertEquals(List.of(), values(iterator.wrap(region, 0, length, 9)));
    }

    @Test
    void shouldStepBatchByBatchAndRecordByRecord()
    {
        final int length = threeBatches();
        iterator.wrap(region, 0, length, 2);
        final List<String> seen = new ArrayList<>();
        while (iterator.nextBatch())
        {
            seen.add("batch " + iterator.batch().baseOffset());
            while (iterator.nextRecord())
            {
                seen.add("record " + iterator.record().offset());
            }
        }
        assertEquals(List.of("batch 0", "record 2", "batch 3", "record 3", "record 4", "record 5",
            "batch 6", "record 6", "record 7", "record 8"), seen);
    }

    @Test
    void shouldReportRegionCutShortAsInvalidBatch()
    {
        final int length = threeBatches();
        iterator.wrap(region, 0, length - 5);
        final InvalidRecordBatchException ex = assertThrows(InvalidRecordBatchException.class, () -> values(iterator));
        assertTrue(ex.getMessage().contains("batch at byte "), ex.getMessage());
    }

    @Test
    void shouldReportLengthNearIntegerLimitAsInvalidBatchWithoutOverflow()
    {
        final int length = threeBatches();
        region.putInt(BATCH_LENGTH_OFFSET, Integer.MAX_VALUE, ByteOrder.BIG_ENDIAN);
        iterator.wrap(region, 0, length);
        final InvalidRecordBatchException ex =
            assertThrows(InvalidRecordBatchException.class, iterator::nextBatch);
        assertTrue(ex.getMessage().contains("declares batchLength " + Integer.MAX_VALUE), ex.getMessage());
    }

    @Test
    void shouldRefuseToReadCompressedRecordsUnlessGivenThemDecompressed()
    {
        final int length = threeBatches();
        iterator.wrap(region, 0, length);
        assertTrue(iterator.nextBatch());
        final int secondBatch = iterator.nextBatchOffset();
        region.putShort(secondBatch + ATTRIBUTES_OFFSET, (short)1, ByteOrder.BIG_ENDIAN);

        iterator.wrap(region, 0, length);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> values(iterator));
        assertTrue(ex.getMessage().contains("gzip-compressed"), ex.getMessage());

        // Here the "decompressed" records are the batch's own bytes, which are not compressed at all.
        iterator.wrap(region, 0, length, 3);
        assertTrue(iterator.nextBatch());
        assertFalse(iterator.nextRecord(), "the first batch is wholly below offset 3");
        assertTrue(iterator.nextBatch());
        final RecordBatch batch = iterator.batch();
        assertTrue(batch.isCompressed());
        iterator.recordsFrom(region, batch.recordsOffset(), batch.limit());
        final List<Long> offsets = new ArrayList<>();
        while (iterator.nextRecord())
        {
            offsets.add(iterator.record().offset());
        }
        assertEquals(List.of(3L, 4L, 5L), offsets);
        assertTrue(iterator.nextBatch());
        assertTrue(iterator.nextRecord());
        assertEquals(6, iterator.record().offset());
    }
}
