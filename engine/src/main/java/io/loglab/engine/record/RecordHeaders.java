package io.loglab.engine.record;

import org.agrona.DirectBuffer;

import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * Reusable list of headers to attach to the next record a {@link RecordBatchBuilder} appends. Holds references to
 * the caller's buffers, not copies; {@link #clear()} before building the next list. Not thread-safe.
 */
public final class RecordHeaders
{
    private DirectBuffer[] keyBuffers = new DirectBuffer[4];
    private int[] keyOffsets = new int[4];
    private int[] keyLengths = new int[4];
    private DirectBuffer[] valueBuffers = new DirectBuffer[4];
    private int[] valueOffsets = new int[4];
    private int[] valueLengths = new int[4];
    private int count;

    public RecordHeaders clear()
    {
        Arrays.fill(keyBuffers, 0, count, null);
        Arrays.fill(valueBuffers, 0, count, null);
        count = 0;
        return this;
    }

    /**
     * Add a header. The key is UTF-8 bytes and may not be null; a null value is given as {@code valueBuffer == null}.
     */
    public RecordHeaders add(
        final DirectBuffer keyBuffer, final int keyOffset, final int keyLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        if (keyBuffer == null || keyLength < 0)
        {
            throw new IllegalArgumentException("a header key may not be null");
        }
        if (count == keyBuffers.length)
        {
            grow();
        }
        keyBuffers[count] = keyBuffer;
        keyOffsets[count] = keyOffset;
        keyLengths[count] = keyLength;
        valueBuffers[count] = valueBuffer;
        valueOffsets[count] = valueOffset;
        valueLengths[count] = valueBuffer == null ? Record.NULL_LENGTH : valueLength;
        count++;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * Bytes these headers take in a record, the count varint included.
     */
    int encodedLength()
    {
        int length = Varint.sizeOfInt(count);
        for (int i = 0; i < count; i++)
        {
            length += Varint.sizeOfInt(keyLengths[i]) + keyLengths[i] +
                Varint.sizeOfInt(valueLengths[i]) + Math.max(valueLengths[i], 0);
        }
        return length;
    }

    int encode(final MutableDirectBuffer buffer, final int index)
    {
        int i = index + Varint.putInt(buffer, index, count);
        for (int h = 0; h < count; h++)
        {
            i += Varint.putInt(buffer, i, keyLengths[h]);
            buffer.putBytes(i, keyBuffers[h], keyOffsets[h], keyLengths[h]);
            i += keyLengths[h];
            i += Varint.putInt(buffer, i, valueLengths[h]);
            if (valueLengths[h] > 0)
            {
                buffer.putBytes(i, valueBuffers[h], valueOffsets[h], valueLengths[h]);
                i += valueLengths[h];
            }
        }
        return i - index;
    }

    private void grow()
    {
        final int capacity = keyBuffers.length * 2;
        keyBuffers = Arrays.copyOf(keyBuffers, capacity);
        keyOffsets = Arrays.copyOf(keyOffsets, capacity);
        keyLengths = Arrays.copyOf(keyLengths, capacity);
        valueBuffers = Arrays.copyOf(valueBuffers, capacity);
        valueOffsets = Arrays.copyOf(valueOffsets, capacity);
        valueLengths = Arrays.copyOf(valueLengths, capacity);
    }
}
