package io.loglab.jmh.support;

import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static io.loglab.engine.record.RecordBatchDescriptor.HEADER_LENGTH;
import static io.loglab.engine.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;

/**
 * Record batches as a producer would hand them to the engine: uncompressed RecordBatch v2 in a direct ByteBuffer,
 * records with a null key and a {@code recordSize}-byte value (so a record takes {@code recordSize} plus 7 to 9 bytes
 * of framing), as many as fit in {@code batchBytes}.
 */
public final class Batches
{
    /** The {@code batchBytes} value meaning one record per batch: the engine's worst case, a write per record. */
    public static final String ONE_RECORD = "1rec";

    private Batches()
    {
    }

    /**
     * Batch capacity for a {@code batchBytes} parameter: {@link #ONE_RECORD} or a size in bytes.
     */
    public static int capacity(final String batchBytes, final int recordSize)
    {
        return ONE_RECORD.equals(batchBytes) ?
            HEADER_LENGTH + RecordBatchBuilder.recordLength(0, 0, Record.NULL_LENGTH, recordSize, null) :
            Integer.parseInt(batchBytes);
    }

    /**
     * A value of {@code recordSize} random (seeded, so runs compare) bytes.
     */
    public static UnsafeBuffer value(final int recordSize)
    {
        final byte[] bytes = new byte[recordSize];
        new SplittableRandom(42).nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }

    /**
     * Fill {@code target[0, capacity)} with one batch of records at {@code timestamp}, {@code timestampStep} apart.
     *
     * @return the batch's length.
     */
    public static int fill(
        final RecordBatchBuilder builder,
        final UnsafeBuffer target,
        final int capacity,
        final UnsafeBuffer value,
        final long timestamp,
        final long timestampStep)
    {
        builder.wrap(target, 0, capacity);
        long recordTimestamp = timestamp;
        while (builder.tryAppend(recordTimestamp, null, 0, 0, value, 0, value.capacity(), null))
        {
            recordTimestamp += timestampStep;
        }
        return builder.build();
    }

    /**
     * One batch in a direct buffer of its exact length, position 0, limit its length.
     */
    public static ByteBuffer build(final int recordSize, final String batchBytes, final long timestamp)
    {
        final int capacity = capacity(batchBytes, recordSize);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(capacity);
        final int length = fill(new RecordBatchBuilder(), new UnsafeBuffer(buffer), capacity, value(recordSize),
            timestamp, 0);
        return copyOf(buffer, length);
    }

    /**
     * A direct copy of {@code batch[0, length)}, exactly as long as the batch.
     */
    private static ByteBuffer copyOf(final ByteBuffer batch, final int length)
    {
        final ByteBuffer copy = ByteBuffer.allocateDirect(length);
        copy.put(batch.duplicate().position(0).limit(length)).flip();
        return copy;
    }

    /**
     * Records in the batch between {@code batch}'s position and limit.
     */
    public static int recordCount(final ByteBuffer batch)
    {
        return batch.getInt(batch.position() + RECORDS_COUNT_OFFSET);
    }
}
