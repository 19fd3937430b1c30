package io.loglab.engine.topic;

import org.agrona.DirectBuffer;

/**
 * MurmurHash2, 32-bit, with the seed Kafka's default partitioner uses, so a key lands on the same partition here as
 * with a Kafka producer.
 */
public final class Murmur2
{
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2()
    {
    }

    public static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = SEED ^ length;
        final int blocks = length >>> 2;
        for (int i = 0; i < blocks; i++)
        {
            final int at = offset + (i << 2);
            int k = (buffer.getByte(at) & 0xff) |
                ((buffer.getByte(at + 1) & 0xff) << 8) |
                ((buffer.getByte(at + 2) & 0xff) << 16) |
                ((buffer.getByte(at + 3) & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        final int tail = offset + (blocks << 2);
        switch (length & 3)
        {
            case 3:
                h ^= (buffer.getByte(tail + 2) & 0xff) << 16;
                // fall through
            case 2:
                h ^= (buffer.getByte(tail + 1) & 0xff) << 8;
                // fall through
            case 1:
                h ^= buffer.getByte(tail) & 0xff;
                h *= M;
                break;
            default:
                break;
        }

        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /**
     * Kafka's {@code toPositive}: clear the sign bit (not {@code Math.abs}, which leaves MIN_VALUE negative).
     */
    public static int toPositive(final int value)
    {
        return value & 0x7fffffff;
    }
}
