package io.loglab.engine.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Zig-zag variable-length integers as Kafka's record format uses them (protocol buffers' sint32/sint64).
 * <p>
 * Readers take the index to read at and report the bytes consumed through {@link #sizeOfInt(int)} /
 * {@link #sizeOfLong(long)} of the decoded value, or, for 32-bit varints, with the value
 * ({@link #getIntAndLength}); every call is free of allocation.
 */
public final class Varint
{
    /** Longest encoding of a 32-bit varint. */
    public static final int MAX_INT_LENGTH = 5;

    /** Longest encoding of a 64-bit varint. */
    public static final int MAX_LONG_LENGTH = 10;

    private Varint()
    {
    }

    public static int sizeOfInt(final int value)
    {
        return sizeOfUnsigned((value << 1) ^ (value >> 31));
    }

    public static int sizeOfLong(final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L)
        {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    private static int sizeOfUnsigned(final int value)
    {
        // 1 byte per 7 significant bits, at least one byte.
        final int leadingZeros = Integer.numberOfLeadingZeros(value);
        return leadingZeros == 32 ? 1 : (38 - leadingZeros) / 7;
    }

    /**
     * Write a zig-zag varint.
     *
     * @return bytes written.
     */
    public static int putInt(final MutableDirectBuffer buffer, final int index, final int value)
    {
        int v = (value << 1) ^ (value >> 31);
        int i = index;
        while ((v & 0xFFFFFF80) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - index;
    }

    /**
     * Write a zig-zag varlong.
     *
     * @return bytes written.
     */
    public static int putLong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        int i = index;
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - index;
    }

    /**
     * Read a zig-zag varint that must end before {@code limit}.
     *
     * @throws InvalidRecordBatchException if it runs past the limit, is longer than five bytes or is not minimally
     *                                     encoded (the size of the value must be the bytes read).
     */
    public static int getInt(final DirectBuffer buffer, final int index, final int limit)
    {
        return intValue(getIntAndLength(buffer, index, limit));
    }

    /**
     * As {@link #getInt}, with the bytes it took: a reader moving through fields takes {@link #intValue} and
     * {@link #length} of the result instead of computing {@link #sizeOfInt} of the value. A varint of one or two
     * bytes, the common case for lengths, deltas and counts, is read without the loop.
     */
    public static long getIntAndLength(final DirectBuffer buffer, final int index, final int limit)
    {
        if (index < limit)
        {
            final int first = buffer.getByte(index);
            if (first >= 0)
            {
                return withLength(first, 1);
            }
            if (index + 1 < limit)
            {
                // A zero second byte is not minimal: the loop below says so.
                final int second = buffer.getByte(index + 1);
                if (second > 0)
                {
                    return withLength((first & 0x7F) | (second << 7), 2);
                }
            }
        }
        int value = 0;
        int i = index;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (i >= limit)
            {
                throw new InvalidRecordBatchException("varint at byte " + index + " runs past the end of its record");
            }
            final byte b = buffer.getByte(i++);
            value |= (b & 0x7F) << shift;
            if (b >= 0)
            {
                // A zero last byte, or bits past 32, would make sizeOfInt(value) differ from the bytes read.
                if ((b == 0 && shift > 0) || (shift == 28 && b > 0x0F))
                {
                    throw new InvalidRecordBatchException("varint at byte " + index + " is not minimally encoded");
                }
                return withLength(value, i - index);
            }
        }
        throw new InvalidRecordBatchException("varint at byte " + index + " is longer than " + MAX_INT_LENGTH + " bytes");
    }

    private static long withLength(final int zigZag, final int length)
    {
        return ((long)length << 32) | (((zigZag >>> 1) ^ -(zigZag & 1)) & 0xFFFF_FFFFL);
    }

    /**
     * The value of a {@link #getIntAndLength} result.
     */
    public static int intValue(final long valueAndLength)
    {
        return (int)valueAndLength;
    }

    /**
     * The bytes read of a {@link #getIntAndLength} result.
     */
    public static int length(final long valueAndLength)
    {
        return (int)(valueAndLength >>> 32);
    }

    /**
     * Read a zig-zag varlong that must end before {@code limit}.
     *
     * @throws InvalidRecordBatchException if it runs past the limit, is longer than ten bytes or is not minimally
     *                                     encoded (the size of the value must be the bytes read).
     */
    public static long getLong(final DirectBuffer buffer, final int index, final int limit)
    {
        if (index < limit)
        {
            final long first = buffer.getByte(index);
            if (first >= 0)
            {
                return (first >>> 1) ^ -(first & 1L);
            }
        }
        long value = 0L;
        int i = index;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (i >= limit)
            {
                throw new InvalidRecordBatchException("varlong at byte " + index + " runs past the end of its record");
            }
            final byte b = buffer.getByte(i++);
            value |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                // A zero last byte, or bits past 64, would make sizeOfLong(value) differ from the bytes read.
                if ((b == 0 && shift > 0) || (shift == 63 && b > 0x01))
                {
                    throw new InvalidRecordBatchException("varlong at byte " + index + " is not minimally encoded");
                }
                return (value >>> 1) ^ -(value & 1L);
            }
        }
        throw new InvalidRecordBatchException(
            "varlong at byte " + index + " is longer than " + MAX_LONG_LENGTH + " bytes");
    }
}
