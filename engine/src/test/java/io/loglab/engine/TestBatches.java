package io.loglab.engine;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchValidator;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared test helpers: deterministic RecordBatch v2 builders and decoders.
 * <p>
 * Records built by {@link #batch(int, long)} have key {@code "key-<i>"} and value {@code "value-<i>"} where
 * {@code i} is the record's index in its batch.
 */
public final class TestBatches
{
    private TestBatches()
    {
    }

    /** One decoded record: its offset in the log, timestamp, key and value. */
    public record Rec(long offset, long timestamp, String key, String value)
    {
    }

    /** One decoded batch. */
    public record Batch(long baseOffset, long lastOffset, long maxTimestamp, int totalLength, List<Rec> records)
    {
    }

    /**
     * A batch of {@code count} records all at {@code timestamp}.
     */
    public static ByteBuffer batch(final int count, final long timestamp)
    {
        return batch(count, timestamp, 0, 0);
    }

    /**
     * A batch of {@code count} records, record {@code i} at {@code firstTimestamp + i * step}, each value padded to
     * at least {@code valuePadding} bytes.
     */
    public static ByteBuffer batch(final int count, final long firstTimestamp, final long step, final int valuePadding)
    {
        final String[] values = new String[count];
        for (int i = 0; i < count; i++)
        {
            final StringBuilder value = new StringBuilder("value-").append(i);
            while (value.length() < valuePadding)
            {
                value.append('.');
            }
            values[i] = value.toString();
        }
        return batchOfValues(firstTimestamp, step, values);
    }

    /**
     * A batch holding {@code values} in order, with keys {@code "key-<i>"}.
     */
    public static ByteBuffer batchOfValues(final long firstTimestamp, final long step, final String... values)
    {
        int capacity = 61;
        for (final String value : values)
        {
            capacity += value.length() * 4 + 64;
        }
        final ByteBuffer buffer = ByteBuffer.allocateDirect(capacity);
        final int length = build(new RecordBatchBuilder(), new UnsafeBuffer(buffer), firstTimestamp, step, values);
        buffer.limit(length);
        return buffer;
    }

    /**
     * Build a batch of {@code values} at index 0 of {@code target}, reusing the caller's builder and buffer.
     *
     * @return the batch's length.
     */
    public static int build(
        final RecordBatchBuilder builder,
        final UnsafeBuffer target,
        final long firstTimestamp,
        final long step,
        final String... values)
    {
        builder.wrap(target, 0, target.capacity());
        final UnsafeBuffer key = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[0]);
        for (int i = 0; i < values.length; i++)
        {
            final byte[] keyBytes = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            final byte[] valueBytes = values[i].getBytes(StandardCharsets.UTF_8);
            key.wrap(keyBytes);
            value.wrap(valueBytes);
            if (!builder.tryAppend(firstTimestamp + i * step, key, 0, keyBytes.length, value, 0, valueBytes.length,
                null))
            {
                throw new IllegalStateException("record " + i + " does not fit in " + target.capacity() + " bytes");
            }
        }
        return builder.build();
    }

    /**
     * Validate and decode every batch in {@code bytes[0, length)}, which must hold whole batches only.
     *
     * @throws io.loglab.engine.record.InvalidRecordBatchException if any batch fails validation.
     */
    public static List<Batch> decode(final byte[] bytes, final int length)
    {
        return decode(bytes, length, false);
    }

    /**
     * As {@link #decode(byte[], int)}, for batches compaction may have left with fewer records than offsets.
     */
    public static List<Batch> decodeCompacted(final byte[] bytes)
    {
        return decode(bytes, bytes.length, true);
    }

    private static List<Batch> decode(final byte[] bytes, final int length, final boolean compacted)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, length);
        final RecordBatchValidator validator = new RecordBatchValidator(compacted);
        final RecordBatch batch = new RecordBatch();
        final Record record = new Record();
        final List<Batch> batches = new ArrayList<>();
        int at = 0;
        while (at < length)
        {
            if (length - at < 12)
            {
                throw new AssertionError("partial batch header at byte " + at + " of " + length);
            }
            batch.wrap(buffer, at);
            final int total = batch.totalLength();
            if (total <= 0 || at + total > length)
            {
                throw new AssertionError("batch at byte " + at + " claims " + total + " bytes, " +
                    (length - at) + " remain");
            }
            validator.validate(buffer, at, total, true);
            final List<Rec> records = new ArrayList<>();
            int recordAt = batch.recordsOffset();
            for (int i = 0; i < batch.recordsCount(); i++)
            {
                record.wrap(buffer, recordAt, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
                records.add(new Rec(record.offset(), record.timestamp(),
                    string(buffer, record.keyOffset(), record.keyLength()),
                    string(buffer, record.valueOffset(), record.valueLength())));
                recordAt += record.totalLength();
            }
            batches.add(new Batch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), total, records));
            at += total;
        }
        return batches;
    }

    public static List<Batch> decode(final byte[] bytes)
    {
        return decode(bytes, bytes.length);
    }

    /**
     * Decode the batches between a ByteBuffer's position and limit, leaving the buffer untouched.
     */
    public static List<Batch> decode(final ByteBuffer bytes)
    {
        final ByteBuffer copy = bytes.duplicate();
        final byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return decode(array);
    }

    private static String string(final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Wait, without sleeping, until {@code condition} holds, failing after {@code timeoutMs}.
     */
    public static void await(final java.util.function.BooleanSupplier condition, final long timeoutMs,
        final java.util.function.Supplier<String> description)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + description.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Every byte a partition's log holds, batch after batch, read as a replica reads (past the high watermark, up to
     * the log end offset).
     */
    public static byte[] stored(final Partition partition) throws IOException
    {
        final LogReader reader = partition.newReader();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long offset = partition.logStartOffset();
        final long end = partition.logEndOffset();
        while (offset < end)
        {
            if (reader.read(offset, 1 << 20, end) != LogReader.OK)
            {
                throw new AssertionError(partition + ": offset " + offset + " out of range below " + end);
            }
            final ByteBuffer copy = ByteBuffer.allocate(reader.length());
            reader.copyTo(copy);
            bytes.write(copy.array(), 0, copy.position());
            offset = reader.nextOffset();
        }
        return bytes.toByteArray();
    }
}
