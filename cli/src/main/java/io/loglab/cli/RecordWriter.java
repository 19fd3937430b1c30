package io.loglab.cli;

import io.loglab.engine.record.Record;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.loglab.cli.RecordFormat.*;

/**
 * Writes records in a {@link RecordFormat}: {@code text} for reading ({@code partition offset key value}), and the
 * binary-safe formats exactly as {@code produce --format} reads them back. Bytes are written as stored, never
 * decoded. Not thread-safe.
 */
final class RecordWriter
{
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final RecordFormat format;
    private final OutputStream out;
    private byte[] scratch = new byte[4096];

    RecordWriter(final RecordFormat format, final OutputStream out)
    {
        this.format = format;
        this.out = out;
    }

    void write(final int partition, final Record record) throws IOException
    {
        write(partition, record.offset(), record.buffer(), record.keyOffset(), record.keyLength(),
            record.valueOffset(), record.valueLength());
    }

    /**
     * A record read over Kafka's protocol: a null key or value stays null.
     */
    void write(final int partition, final long offset, final byte[] key, final byte[] value) throws IOException
    {
        final int keyLength = key == null ? Record.NULL_LENGTH : key.length;
        final int valueLength = value == null ? Record.NULL_LENGTH : value.length;
        final byte[] joined = new byte[Math.max(keyLength, 0) + Math.max(valueLength, 0)];
        if (key != null)
        {
            System.arraycopy(key, 0, joined, 0, key.length);
        }
        if (value != null)
        {
            System.arraycopy(value, 0, joined, Math.max(keyLength, 0), value.length);
        }
        write(partition, offset, new UnsafeBuffer(joined), 0, keyLength, Math.max(keyLength, 0), valueLength);
    }

    private void write(final int partition, final long offset, final DirectBuffer buffer, final int keyOffset,
        final int keyLength, final int valueOffset, final int valueLength) throws IOException
    {
        switch (format)
        {
            case TEXT ->
            {
                out.write((partition + " " + offset + " ").getBytes(StandardCharsets.US_ASCII));
                writeText(buffer, keyOffset, keyLength);
                out.write(SPACE);
                writeText(buffer, valueOffset, valueLength);
                out.write(NEWLINE);
            }
            case BASE64 ->
            {
                writeBase64(buffer, keyOffset, keyLength);
                out.write(TAB);
                writeBase64(buffer, valueOffset, valueLength);
                out.write(NEWLINE);
            }
            case BINARY ->
            {
                writeLengthPrefixed(buffer, keyOffset, keyLength);
                writeLengthPrefixed(buffer, valueOffset, valueLength);
            }
        }
    }

    private void writeText(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        if (length == Record.NULL_LENGTH)
        {
            out.write(NULL_FIELD);
        }
        else
        {
            out.write(bytes(buffer, offset, length), 0, length);
        }
    }

    private void writeBase64(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        if (length == Record.NULL_LENGTH)
        {
            out.write(NULL_FIELD);
        }
        else
        {
            final ByteBuffer encoded = BASE64.encode(ByteBuffer.wrap(bytes(buffer, offset, length), 0, length));
            out.write(encoded.array(), encoded.arrayOffset(), encoded.remaining());
        }
    }

    private void writeLengthPrefixed(final DirectBuffer buffer, final int offset, final int length)
        throws IOException
    {
        final int prefix = length == Record.NULL_LENGTH ? NULL_LENGTH : length;
        for (int shift = (LENGTH_BYTES - 1) * 8; shift >= 0; shift -= 8)
        {
            out.write(prefix >>> shift);
        }
        if (length > 0)
        {
            out.write(bytes(buffer, offset, length), 0, length);
        }
    }

    private byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        return scratch;
    }
}
