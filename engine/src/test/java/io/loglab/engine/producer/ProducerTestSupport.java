package io.loglab.engine.producer;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordIterator;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the producer tests share: a listener that remembers every outcome, and reading back what a log holds.
 */
final class ProducerTestSupport
{
    private ProducerTestSupport()
    {
    }

    /** One outcome, as the listener was told it; baseOffset and lastOffset are -1 for a failure. */
    record Outcome(int partition, long baseOffset, long lastOffset, int recordCount, boolean failed, String cause)
    {
    }

    /**
     * Remembers every outcome in the order told.
     */
    static final class Outcomes implements ProducerListener
    {
        final List<Outcome> outcomes = new ArrayList<>();
        long acknowledgedRecords;
        long failedRecords;

        @Override
        public void onAcknowledged(
            final int partition,
            final long baseOffset,
            final long lastOffset,
            final int recordCount,
            final int sizeInBytes,
            final boolean durable)
        {
            outcomes.add(new Outcome(partition, baseOffset, lastOffset, recordCount, false, null));
            acknowledgedRecords += recordCount;
        }

        @Override
        public void onFailed(final int partition, final int recordCount, final Throwable cause)
        {
            outcomes.add(new Outcome(partition, -1, -1, recordCount, true, cause.getMessage()));
            failedRecords += recordCount;
        }
    }

    /** One record read back: its offset, key and value (null for null), and the size of the batch holding it. */
    record Stored(long offset, String key, String value, int batchBytes)
    {
    }

    static List<Stored> readAll(final ReadableLog log) throws IOException
    {
        final List<Stored> stored = new ArrayList<>();
        final LogReader reader = log.newReader();
        long offset = log.logStartOffset();
        final RecordIterator records = new RecordIterator();
        while (offset < log.logEndOffset())
        {
            reader.read(offset, Integer.MAX_VALUE);
            final ByteBuffer bytes = ByteBuffer.allocateDirect(reader.length());
            reader.copyTo(bytes);
            final UnsafeBuffer view = new UnsafeBuffer(bytes);
            records.wrap(view, 0, reader.length(), offset);
            while (records.nextBatch())
            {
                while (records.nextRecord())
                {
                    final Record record = records.record();
                    stored.add(new Stored(record.offset(), string(view, record.keyOffset(), record.keyLength()),
                        string(view, record.valueOffset(), record.valueLength()), records.batch().totalLength()));
                }
            }
            offset = reader.nextOffset();
        }
        return stored;
    }

    static List<String> values(final List<Stored> stored)
    {
        final List<String> values = new ArrayList<>();
        for (final Stored record : stored)
        {
            values.add(record.value());
        }
        return values;
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

    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
