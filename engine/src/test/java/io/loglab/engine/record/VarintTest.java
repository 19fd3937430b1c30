package io.loglab.engine.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VarintTest
{
    private static final int[] INT_EDGES = {
        0, 1, -1, 2, -2, 63, -63, 64, -64, 65, -65, 127, -127, 128, -128, 8191, -8191, 8192, -8192,
        1_048_575, -1_048_575, 1_048_576, -1_048_576, 134_217_727, -134_217_727, 134_217_728, -134_217_728,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
    };

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

    private static int[] intValues()
    {
        final Random random = new Random(42);
        final int[] values = Arrays.copyOf(INT_EDGES, INT_EDGES.length + 2000);
        for (int i = INT_EDGES.length; i < values.length; i++)
        {
            // Spread over every encoded length, not only the huge values a plain nextInt() gives.
            values[i] = random.nextInt() >> random.nextInt(32);
        }
        return values;
    }

    private static long[] longValues()
    {
        final List<Long> values = new ArrayList<>();
        for (final int value : INT_EDGES)
        {
            values.add((long)value);
        }
        for (int bits = 6; bits < 64; bits += 7)
        {
            // Both sides of every 7-bit boundary of the zig-zag encoding, positive and negative.
            final long boundary = 1L << bits;
            values.add(boundary - 1);
            values.add(boundary);
            values.add(-boundary);
            values.add(-boundary - 1);
        }
        values.add(Long.MAX_VALUE);
        values.add(Long.MIN_VALUE);
        values.add(Long.MAX_VALUE - 1);
        values.add(Long.MIN_VALUE + 1);
        values.add((long)Integer.MAX_VALUE + 1);
        values.add((long)Integer.MIN_VALUE - 1);
        final Random random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void shouldRoundTripIntWhenValueIsAtEncodingEdge()
    {
        for (final int value : intValues())
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0x55);
            final int written = Varint.putInt(buffer, 3, value);
            assertEquals(value, Varint.getInt(buffer, 3, 3 + written), "value " + value);
            assertEquals(Varint.sizeOfInt(value), written, "size of " + value);
            assertTrue(written >= 1 && written <= Varint.MAX_INT_LENGTH, "length of " + value);
            assertEquals((byte)0x55, buffer.getByte(3 + written), "byte after " + value + " was overwritten");
            assertEquals((byte)0x55, buffer.getByte(2), "byte before " + value + " was overwritten");
        }
    }

    @Test
    void shouldRoundTripLongWhenValueIsAtEncodingEdge()
    {
        for (final long value : longValues())
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0x55);
            final int written = Varint.putLong(buffer, 5, value);
            assertEquals(value, Varint.getLong(buffer, 5, 5 + written), "value " + value);
            assertEquals(Varint.sizeOfLong(value), written, "size of " + value);
            assertTrue(written >= 1 && written <= Varint.MAX_LONG_LENGTH, "length of " + value);
            assertEquals((byte)0x55, buffer.getByte(5 + written), "byte after " + value + " was overwritten");
        }
    }

    @Test
    void shouldGiveKnownSizesWhenValueCrossesSevenBitBoundary()
    {
        assertEquals(1, Varint.sizeOfInt(0));
        assertEquals(1, Varint.sizeOfInt(-1));
        assertEquals(1, Varint.sizeOfInt(63));
        assertEquals(2, Varint.sizeOfInt(64));
        assertEquals(1, Varint.sizeOfInt(-64));
        assertEquals(2, Varint.sizeOfInt(-65));
        assertEquals(2, Varint.sizeOfInt(8191));
        assertEquals(3, Varint.sizeOfInt(8192));
        assertEquals(5, Varint.sizeOfInt(Integer.MAX_VALUE));
        assertEquals(5, Varint.sizeOfInt(Integer.MIN_VALUE));
        assertEquals(1, Varint.sizeOfLong(0));
        assertEquals(2, Varint.sizeOfLong(64));
        assertEquals(3, Varint.sizeOfLong(8192));
        assertEquals(10, Varint.sizeOfLong(Long.MAX_VALUE));
        assertEquals(10, Varint.sizeOfLong(Long.MIN_VALUE));
        assertEquals(5, Varint.sizeOfLong(Integer.MIN_VALUE));
    }

    @Test
    void shouldWriteSameBytesAsKafkaWhenEncodingInt()
    {
        for (final int value : intValues())
        {
            final ByteBuffer kafka = ByteBuffer.allocate(Varint.MAX_INT_LENGTH);
            ByteUtils.writeVarint(value, kafka);
            final byte[] expected = Arrays.copyOf(kafka.array(), kafka.position());

            final int written = Varint.putInt(buffer, 0, value);
            final byte[] actual = new byte[written];
            buffer.getBytes(0, actual);

            assertArrayEquals(expected, actual, "value " + value);
            assertEquals(ByteUtils.sizeOfVarint(value), Varint.sizeOfInt(value), "size of " + value);
            assertEquals(value, ByteUtils.readVarint(ByteBuffer.wrap(actual)), "Kafka reads back " + value);
        }
    }

    @Test
    void shouldWriteSameBytesAsKafkaWhenEncodingLong()
    {
        for (final long value : longValues())
        {
            final ByteBuffer kafka = ByteBuffer.allocate(Varint.MAX_LONG_LENGTH);
            ByteUtils.writeVarlong(value, kafka);
            final byte[] expected = Arrays.copyOf(kafka.array(), kafka.position());

            final int written = Varint.putLong(buffer, 0, value);
            final byte[] actual = new byte[written];
            buffer.getBytes(0, actual);

            assertArrayEquals(expected, actual, "value " + value);
            assertEquals(ByteUtils.sizeOfVarlong(value), Varint.sizeOfLong(value), "size of " + value);
            assertEquals(value, ByteUtils.readVarlong(ByteBuffer.wrap(actual)), "Kafka reads back " + value);
        }
    }

    @Test
    void shouldReadKafkaEncodedBytesWhenDecoding()
    {
        for (final long value : longValues())
        {
            final ByteBuffer kafka = ByteBuffer.allocate(Varint.MAX_LONG_LENGTH);
            ByteUtils.writeVarlong(value, kafka);
            final UnsafeBuffer encoded = new UnsafeBuffer(kafka.array(), 0, kafka.position());
            assertEquals(value, Varint.getLong(encoded, 0, encoded.capacity()), "value " + value);
        }
        for (final int value : intValues())
        {
            final ByteBuffer kafka = ByteBuffer.allocate(Varint.MAX_INT_LENGTH);
            ByteUtils.writeVarint(value, kafka);
            final UnsafeBuffer encoded = new UnsafeBuffer(kafka.array(), 0, kafka.position());
            assertEquals(value, Varint.getInt(encoded, 0, encoded.capacity()), "value " + value);
        }
    }

    @Test
    void shouldThrowWhenIntVarintIsLongerThanFiveBytes()
    {
        final UnsafeBuffer overlong = new UnsafeBuffer(new byte[] {
            (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x00 });

        final InvalidRecordBatchException ex = assertThrows(
            InvalidRecordBatchException.class, () -> Varint.getInt(overlong, 0, overlong.capacity()));
        assertTrue(ex.getMessage().contains("longer than 5 bytes"), ex.getMessage());
    }

    @Test
    void shouldThrowWhenLongVarintIsLongerThanTenBytes()
    {
        final byte[] bytes = new byte[11];
        Arrays.fill(bytes, 0, 10, (byte)0xFF);
        bytes[10] = 0x01;
        final UnsafeBuffer overlong = new UnsafeBuffer(bytes);

        final InvalidRecordBatchException ex = assertThrows(
            InvalidRecordBatchException.class, () -> Varint.getLong(overlong, 0, overlong.capacity()));
        assertTrue(ex.getMessage().contains("longer than 10 bytes"), ex.getMessage());
    }

    @Test
    void shouldThrowWhenIntVarintIsTruncatedByLimit()
    {
        final int written = Varint.putInt(buffer, 0, Integer.MIN_VALUE);
        assertEquals(5, written);
        for (int limit = 0; limit < written; limit++)
        {
            final int end = limit;
            final InvalidRecordBatchException ex = assertThrows(
                InvalidRecordBatchException.class, () -> Varint.getInt(buffer, 0, end), "limit " + limit);
            assertTrue(ex.getMessage().contains("runs past the end"), ex.getMessage());
        }
    }

    @Test
    void shouldThrowWhenLongVarintIsTruncatedByLimit()
    {
        final int written = Varint.putLong(buffer, 4, Long.MIN_VALUE);
        assertEquals(10, written);
        for (int limit = 4; limit < 4 + written; limit++)
        {
            final int end = limit;
            final InvalidRecordBatchException ex = assertThrows(
                InvalidRecordBatchException.class, () -> Varint.getLong(buffer, 4, end), "limit " + limit);
            assertTrue(ex.getMessage().contains("runs past the end"), ex.getMessage());
        }
    }

    @Test
    void shouldThrowWhenIntVarintIsNotMinimallyEncoded()
    {
        // Each decodes (Kafka-style) to a value whose canonical encoding is shorter than the bytes read, so a reader
        // that advances by sizeOfInt(value) would land inside the varint.
        final byte[][] cases = {
            {(byte)0x80, 0x00},                                           // 0 in two bytes
            {(byte)0x82, 0x00},                                           // 1 in two bytes
            {(byte)0xFE, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x00},       // padded to five bytes
            {(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x10},       // a bit past 32 that would be dropped
            {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x7F},
        };
        for (final byte[] bytes : cases)
        {
            final UnsafeBuffer encoded = new UnsafeBuffer(bytes);
            final InvalidRecordBatchException ex = assertThrows(InvalidRecordBatchException.class,
                () -> Varint.getInt(encoded, 0, bytes.length), Arrays.toString(bytes));
            assertTrue(ex.getMessage().contains("not minimally encoded"), ex.getMessage());
        }
    }

    @Test
    void shouldThrowWhenLongVarintIsNotMinimallyEncoded()
    {
        final byte[] tenBytes = new byte[10];
        Arrays.fill(tenBytes, 0, 9, (byte)0x80);
        tenBytes[9] = 0x02; // bit 64: dropped by a 64-bit decoder, leaving 0
        final byte[][] cases = {
            {(byte)0x80, 0x00},
            {(byte)0x81, (byte)0x80, 0x00},
            tenBytes,
        };
        for (final byte[] bytes : cases)
        {
            final UnsafeBuffer encoded = new UnsafeBuffer(bytes);
            final InvalidRecordBatchException ex = assertThrows(InvalidRecordBatchException.class,
                () -> Varint.getLong(encoded, 0, bytes.length), Arrays.toString(bytes));
            assertTrue(ex.getMessage().contains("not minimally encoded"), ex.getMessage());
        }
    }

    @Test
    void shouldConsumeExactlySizeOfBytesWhenDecodingAnyAcceptedInput()
    {
        // Every 1- and 2-byte input and a sample of longer ones: whatever getInt accepts, sizeOfInt must give the
        // bytes it read, and getIntAndLength the same value and length, since Record advances by the length.
        final Random random = new Random(3);
        final byte[] bytes = new byte[Varint.MAX_LONG_LENGTH];
        for (int n = 0; n < 200_000; n++)
        {
            if (n < 65_536)
            {
                bytes[0] = (byte)n;
                bytes[1] = (byte)(n >>> 8);
                bytes[2] = 0;
            }
            else
            {
                random.nextBytes(bytes);
                bytes[random.nextInt(bytes.length)] &= 0x7F;
            }
            final UnsafeBuffer encoded = new UnsafeBuffer(bytes);
            final int consumed = terminatorIndex(bytes) + 1;
            try
            {
                final int value = Varint.getInt(encoded, 0, bytes.length);
                assertEquals(consumed, Varint.sizeOfInt(value), () -> Arrays.toString(bytes));
                final long valueAndLength = Varint.getIntAndLength(encoded, 0, bytes.length);
                assertEquals(value, Varint.intValue(valueAndLength), () -> Arrays.toString(bytes));
                assertEquals(consumed, Varint.length(valueAndLength), () -> Arrays.toString(bytes));
            }
            catch (final InvalidRecordBatchException ignore)
            {
                // rejected: fine
            }
            try
            {
                final long value = Varint.getLong(encoded, 0, bytes.length);
                assertEquals(consumed, Varint.sizeOfLong(value), () -> Arrays.toString(bytes));
            }
            catch (final InvalidRecordBatchException ignore)
            {
                // rejected: fine
            }
        }
    }

    private static int terminatorIndex(final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] >= 0)
            {
                return i;
            }
        }
        return bytes.length;
    }
}
