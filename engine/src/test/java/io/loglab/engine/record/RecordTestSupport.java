package io.loglab.engine.record;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Plain-Java views of records for comparing what was written with what was read, by our decoder or Kafka's.
 */
final class RecordTestSupport
{
    private RecordTestSupport()
    {
    }

    record Header(String key, byte[] value)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(key, Arrays.hashCode(value));
        }

        @Override
        public String toString()
        {
            return key + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
        }
    }

    record Rec(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Rec r && offset == r.offset && timestamp == r.timestamp &&
                Arrays.equals(key, r.key) && Arrays.equals(value, r.value) && headers.equals(r.headers);
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value), headers);
        }

        @Override
        public String toString()
        {
            return "Rec{offset=" + offset + ", ts=" + timestamp + ", key=" + str(key) + ", value=" + str(value) +
                ", headers=" + headers + "}";
        }
    }

    /**
     * What a decoder should give back for {@code rec} appended at {@code offset}: no headers reads as an empty list.
     */
    static Rec expected(final Rec rec, final long offset)
    {
        return new Rec(offset, rec.timestamp(), rec.key(), rec.value(), rec.headers() == null ? List.of() : rec.headers());
    }

    static String str(final byte[] bytes)
    {
        return bytes == null ? "null" : "'" + new String(bytes, StandardCharsets.UTF_8) + "'";
    }

    static byte[] utf8(final String s)
    {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * Decode every record of an uncompressed batch with our flyweights.
     */
    static List<Rec> decode(final RecordBatch batch)
    {
        final List<Rec> records = new ArrayList<>();
        final Record record = new Record();
        final HeaderCursor cursor = new HeaderCursor();
        int at = batch.recordsOffset();
        for (int i = 0; i < batch.recordsCount(); i++)
        {
            record.wrap(batch.buffer(), at, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
            final List<Header> headers = new ArrayList<>();
            cursor.wrap(record);
            while (cursor.next())
            {
                headers.add(new Header(
                    new String(copy(batch.buffer(), cursor.keyOffset(), cursor.keyLength()), StandardCharsets.UTF_8),
                    copy(batch.buffer(), cursor.valueOffset(), cursor.valueLength())));
            }
            records.add(new Rec(
                record.offset(),
                record.timestamp(),
                copy(batch.buffer(), record.keyOffset(), record.keyLength()),
                copy(batch.buffer(), record.valueOffset(), record.valueLength()),
                headers));
            at += record.totalLength();
        }
        if (at != batch.limit())
        {
            throw new AssertionError("records end at " + at + ", batch at " + batch.limit());
        }
        return records;
    }

    /**
     * Append {@code rec} (offset ignored) to {@code builder}; keys and values come from byte arrays at an offset so
     * the builder's offset handling is exercised.
     */
    static boolean append(final RecordBatchBuilder builder, final RecordHeaders scratch, final Rec rec)
    {
        final UnsafeBuffer key = rec.key() == null ? null : padded(rec.key());
        final UnsafeBuffer value = rec.value() == null ? null : padded(rec.value());
        RecordHeaders headers = null;
        if (rec.headers() != null)
        {
            headers = scratch.clear();
            for (final Header h : rec.headers())
            {
                final UnsafeBuffer hk = padded(utf8(h.key()));
                final UnsafeBuffer hv = h.value() == null ? null : padded(h.value());
                headers.add(hk, 2, h.key().getBytes(StandardCharsets.UTF_8).length,
                    hv, 2, h.value() == null ? 0 : h.value().length);
            }
        }
        return builder.tryAppend(
            rec.timestamp(),
            key, 2, rec.key() == null ? 0 : rec.key().length,
            value, 2, rec.value() == null ? 0 : rec.value().length,
            headers);
    }

    /**
     * {@code bytes} at index 2 of a buffer with junk around them.
     */
    static UnsafeBuffer padded(final byte[] bytes)
    {
        final byte[] array = new byte[bytes.length + 4];
        Arrays.fill(array, (byte)'#');
        System.arraycopy(bytes, 0, array, 2, bytes.length);
        return new UnsafeBuffer(array);
    }

    static List<Header> headers(final String... keyValues)
    {
        final List<Header> headers = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            headers.add(new Header(keyValues[i], utf8(keyValues[i + 1])));
        }
        return headers;
    }
}
