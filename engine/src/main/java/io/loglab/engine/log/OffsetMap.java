package io.loglab.engine.log;

import org.agrona.DirectBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's map from a record key to the latest offset seen for it (Kafka's {@code SkimpyOffsetMap}): keys are
 * stored as their 128-bit MD5, so a slot costs 24 bytes whatever the key's size, in one open-addressed array of a size
 * fixed up front. Two keys with the same digest would be taken for one (at 2^-128 per pair, as Kafka accepts).
 * <p>
 * Threading: the cleaner thread only.
 */
final class OffsetMap
{
    /** A slot: two longs of digest and the offset. */
    static final int SLOT_BYTES = 24;
    private static final int LONGS_PER_SLOT = 3;
    private static final long EMPTY = -1;
    /** Fuller than this and probes grow long: the map counts as full. */
    private static final double LOAD_FACTOR = 0.9;

    private final long[] slots;
    private final int capacity;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];
    private byte[] keyBytes = new byte[64];
    private int entries;
    private long latestOffset = -1;

    /**
     * @param memoryBytes what the map may take; at least two slots.
     */
    OffsetMap(final int memoryBytes)
    {
        this.capacity = Math.max(2, memoryBytes / SLOT_BYTES);
        this.maxEntries = (int)(capacity * LOAD_FACTOR);
        this.slots = new long[capacity * LONGS_PER_SLOT];
        try
        {
            this.md5 = MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // Every Java platform has MD5.
            throw new IllegalStateException(ex);
        }
        clear();
    }

    void clear()
    {
        Arrays.fill(slots, EMPTY);
        entries = 0;
        latestOffset = -1;
    }

    /**
     * Record {@code offset} as the latest for the key at {@code buffer[index, index + length)}.
     *
     * @return false when the map is full and the key was not recorded.
     */
    boolean put(final DirectBuffer buffer, final int index, final int length, final long offset)
    {
        hash(buffer, index, length);
        final int slot = find();
        if (slots[slot + 2] == EMPTY)
        {
            if (entries >= maxEntries)
            {
                return false;
            }
            entries++;
            slots[slot] = high();
            slots[slot + 1] = low();
        }
        slots[slot + 2] = offset;
        latestOffset = Math.max(latestOffset, offset);
        return true;
    }

    /**
     * The latest offset recorded for the key, or -1 when it was not seen.
     */
    long get(final DirectBuffer buffer, final int index, final int length)
    {
        hash(buffer, index, length);
        return slots[find() + 2];
    }

    boolean isFull()
    {
        return entries >= maxEntries;
    }

    int size()
    {
        return entries;
    }

    /**
     * The largest offset recorded, or -1 for none.
     */
    long latestOffset()
    {
        return latestOffset;
    }

    private void hash(final DirectBuffer buffer, final int index, final int length)
    {
        if (keyBytes.length < length)
        {
            keyBytes = new byte[Math.max(length, keyBytes.length * 2)];
        }
        buffer.getBytes(index, keyBytes, 0, length);
        md5.update(keyBytes, 0, length);
        try
        {
            md5.digest(digest, 0, digest.length);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Index of the slot holding the current digest, or of the empty slot where it would go (linear probing).
     */
    private int find()
    {
        final long high = high();
        final long low = low();
        int slot = (int)((high ^ (high >>> 32)) & 0x7FFF_FFFF) % capacity;
        while (true)
        {
            final int at = slot * LONGS_PER_SLOT;
            if (slots[at + 2] == EMPTY || (slots[at] == high && slots[at + 1] == low))
            {
                return at;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
    }

    private long high()
    {
        return longAt(0);
    }

    private long low()
    {
        return longAt(8);
    }

    private long longAt(final int from)
    {
        long value = 0;
        for (int i = from; i < from + 8; i++)
        {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return value;
    }
}
