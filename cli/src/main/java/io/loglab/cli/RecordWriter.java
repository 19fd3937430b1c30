package io.loglab.cli;

import io.loglab.engine.record.Record;
import org.agrona.DirectBuffer;

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
        final DirectBuffer buffer = record.buffer();
        switch (format)
        {
            case TEXT ->
            {
                out.write((partition + " " + record.offset() + " ").getBytes(StandardCharsets.US_ASCII));
                writeText(buffer, record.keyOffset(), record.keyLength());
                out.write(SPACE);
                writeText(buffer, record.valueOffset(), record.valueLength());
                out.write(NEWLINE);
            }
            case BASE64 ->
            {
                writeBase64(buffer, record.keyOffset(), record.keyLength());
                out.write(TAB);
                writeBase64(buffer, record.valueOffset(), record.valueLength());
                out.write(NEWLINE);
            }
            case BINARY ->
            {
                writeLengthPrefixed(buffer, record.keyOffset(), record.keyLength());
                writeLengthPrefixed(buffer, record.valueOffset(), record.valueLength());
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
