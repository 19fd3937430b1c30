package io.loglab.cli;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

import static io.loglab.cli.RecordFormat.*;

/**
 * Splits input into records of one {@link RecordFormat} as its bytes arrive, chunk by chunk: {@link #append} what
 * was read, then take complete records with {@link #next} until it says more input is needed; {@link #end} once the
 * input is over. A malformed record is an {@link IllegalArgumentException} naming it ({@link #where}). The
 * current record's buffers stay valid until the next {@link #append}.
 * <p>
 * What is held back waiting for the end of a line or record is bounded: a line longer than any record the topic
 * takes is refused before it is read whole.
 * <p>
 * Threading: one thread.
 */
final class RecordInput
{
    private static final int INITIAL_BYTES = 64 * 1024;
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    private final RecordFormat format;
    private final int maxRecordBytes;
    private final int maxLineBytes;
    private byte[] data = new byte[INITIAL_BYTES];
    private final UnsafeBuffer dataView = new UnsafeBuffer(data);
    private final UnsafeBuffer decodedKey = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer decodedValue = new UnsafeBuffer(new byte[0]);
    private int start;
    private int end;
    /** Line formats: bytes after {@link #start} already searched for a newline. */
    private int scanned;
    /** Position in the whole input of {@code data[start]}. */
    private long startPosition;
    private boolean ended;
    private long number;
    private long recordPosition;
    private DirectBuffer keyBuffer;
    private int keyOffset;
    private int keyLength;
    private DirectBuffer valueBuffer;
    private int valueOffset;
    private int valueLength;

    /**
     * @param maxRecordBytes the topic's {@code max.message.bytes}: no key or value can be longer.
     */
    RecordInput(final RecordFormat format, final int maxRecordBytes)
    {
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
        // base64 spells 3 bytes in 4; a line longer than this cannot decode to a record the topic takes.
        this.maxLineBytes = (int)Math.min(Integer.MAX_VALUE - 64, maxRecordBytes * 4L / 3 + 16);
    }

    /**
     * More input: {@code chunk[0, length)}.
     */
    void append(final byte[] chunk, final int length)
    {
        if (end + length > data.length && start > 0)
        {
            System.arraycopy(data, start, data, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + length > data.length)
        {
            data = Arrays.copyOf(data, Math.max(data.length * 2, end + length));
            dataView.wrap(data);
        }
        System.arraycopy(chunk, 0, data, end, length);
        end += length;
    }

    /**
     * The input is over: what is left must be whole records (a last line needs no newline).
     */
    void end()
    {
        ended = true;
    }

    /**
     * Whether the input is over and every record in it was taken.
     */
    boolean finished()
    {
        return ended && start == end;
    }

    /**
     * Take the next complete record.
     *
     * @return false when more input is needed, or none is left.
     * @throws IllegalArgumentException naming the record, if it is malformed.
     */
    boolean next()
    {
        return format.isLines() ? nextLine() : nextFramed();
    }

    private boolean nextLine()
    {
        if (start == end)
        {
            return false;
        }
        final int newline = indexOf(NEWLINE, start + scanned, end);
        final int lineEnd;
        if (newline >= 0)
        {
            lineEnd = newline;
        }
        else if (ended)
        {
            lineEnd = end;
        }
        else
        {
            scanned = end - start;
            if (scanned > maxLineBytes)
            {
                throw new IllegalArgumentException(where(number + 1, startPosition) + ": longer than " +
                    maxLineBytes + " bytes, so larger than any record the topic takes (max.message.bytes=" +
                    maxRecordBytes + ")");
            }
            return false;
        }
        number++;
        recordPosition = startPosition;
        final int tab = indexOf(TAB, start, lineEnd);
        if (format == TEXT)
        {
            final int valueStart = tab < 0 ? start : tab + 1;
            keyBuffer = tab < 0 ? null : dataView;
            keyOffset = start;
            keyLength = tab < 0 ? 0 : tab - start;
            valueBuffer = dataView;
            valueOffset = valueStart;
            valueLength = lineEnd - valueStart;
        }
        else
        {
            if (tab < 0)
            {
                throw new IllegalArgumentException(
                    where() + ": expected KEY<TAB>VALUE, each base64 or - for null, and found no tab");
            }
            keyBuffer = decode(start, tab, decodedKey, "key");
            keyOffset = 0;
            keyLength = keyBuffer == null ? 0 : keyBuffer.capacity();
            valueBuffer = decode(tab + 1, lineEnd, decodedValue, "value");
            valueOffset = 0;
            valueLength = valueBuffer == null ? 0 : valueBuffer.capacity();
        }
        advance(newline >= 0 ? newline + 1 : end);
        return true;
    }

    private DirectBuffer decode(final int from, final int to, final UnsafeBuffer target, final String field)
    {
        if (to - from == 1 && data[from] == NULL_FIELD)
        {
            return null;
        }
        try
        {
            final ByteBuffer decoded = BASE64.decode(ByteBuffer.wrap(data, from, to - from));
            target.wrap(decoded.array(), decoded.arrayOffset(), decoded.remaining());
            return target;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(where() + ": the " + field + " is not base64 (" + ex.getMessage() +
                ") nor - for null");
        }
    }

    private boolean nextFramed()
    {
        final int available = end - start;
        if (available == 0)
        {
            return false;
        }
        if (available < LENGTH_BYTES)
        {
            return needMore(available, LENGTH_BYTES);
        }
        final int keyLen = dataView.getInt(start, ByteOrder.BIG_ENDIAN);
        checkLength("key", keyLen);
        final int valueAt = start + LENGTH_BYTES + Math.max(keyLen, 0);
        if (available < valueAt - start + LENGTH_BYTES)
        {
            return needMore(available, valueAt - start + LENGTH_BYTES);
        }
        final int valueLen = dataView.getInt(valueAt, ByteOrder.BIG_ENDIAN);
        checkLength("value", valueLen);
        final int recordEnd = valueAt + LENGTH_BYTES + Math.max(valueLen, 0);
        if (available < recordEnd - start)
        {
            return needMore(available, recordEnd - start);
        }
        number++;
        recordPosition = startPosition;
        keyBuffer = keyLen == NULL_LENGTH ? null : dataView;
        keyOffset = start + LENGTH_BYTES;
        keyLength = Math.max(keyLen, 0);
        valueBuffer = valueLen == NULL_LENGTH ? null : dataView;
        valueOffset = valueAt + LENGTH_BYTES;
        valueLength = Math.max(valueLen, 0);
        advance(recordEnd);
        return true;
    }

    private void checkLength(final String field, final int length)
    {
        if (length < NULL_LENGTH || length > maxRecordBytes)
        {
            throw new IllegalArgumentException(where(number + 1, startPosition) + ": " + field + " length " + length +
                (length < NULL_LENGTH ? " is negative (-1 means null)" :
                " is larger than any record the topic takes (max.message.bytes=" + maxRecordBytes + ")"));
        }
    }

    private boolean needMore(final int available, final int needed)
    {
        if (ended)
        {
            throw new IllegalArgumentException(where(number + 1, startPosition) + ": the input ends inside the " +
                "record (" + available + " bytes of at least " + needed + ")");
        }
        return false;
    }

    private void advance(final int to)
    {
        startPosition += to - start;
        start = to;
        scanned = 0;
    }

    private int indexOf(final byte wanted, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (data[i] == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    private String where(final long recordNumber, final long position)
    {
        return format.isLines() ? format.describe(recordNumber) :
            format.describe(recordNumber) + " at byte " + position;
    }

    /**
     * The current record, as an error message names it: {@code line N}, or {@code record N at byte P}.
     */
    String where()
    {
        return where(number, recordPosition);
    }

    /**
     * Records taken so far: the current record's number, counting from 1.
     */
    long number()
    {
        return number;
    }

    /**
     * @return null for a null key.
     */
    DirectBuffer keyBuffer()
    {
        return keyBuffer;
    }

    int keyOffset()
    {
        return keyOffset;
    }

    int keyLength()
    {
        return keyLength;
    }

    /**
     * @return null for a null value.
     */
    DirectBuffer valueBuffer()
    {
        return valueBuffer;
    }

    int valueOffset()
    {
        return valueOffset;
    }

    int valueLength()
    {
        return valueLength;
    }
}
