package io.loglab.latency.harness;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of a load record's value: its intended send time ({@link System#nanoTime()}, 8 bytes) and padding up
 * to the configured record size. Consumers read the time back to measure end-to-end latency.
 */
final class RecordValue
{
    static final int INTENDED_NANOS_OFFSET = 0;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private RecordValue()
    {
    }

    /**
     * @return value bytes of a record of {@code recordSize}: never fewer than the timestamp needs.
     */
    static int length(final int recordSize)
    {
        return Math.max(recordSize, Long.BYTES);
    }

    static void putIntendedNanos(final MutableDirectBuffer value, final long intendedNanos)
    {
        value.putLong(INTENDED_NANOS_OFFSET, intendedNanos, ORDER);
    }

    static long intendedNanos(final DirectBuffer buffer, final int valueOffset)
    {
        return buffer.getLong(valueOffset + INTENDED_NANOS_OFFSET, ORDER);
    }
}
