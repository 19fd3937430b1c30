package io.loglab.engine.record;

import org.agrona.DirectBuffer;

/**
 * Walks the headers of a {@link Record} that {@link Record#wrap} has already validated. Not thread-safe.
 */
public final class HeaderCursor
{
    private DirectBuffer buffer;
    private int next;
    private int remaining;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;

    public HeaderCursor wrap(final Record record)
    {
        buffer = record.buffer();
        next = record.headersOffset();
        remaining = record.headerCount();
        return this;
    }

    /**
     * Move to the next header.
     *
     * @return false when there is none.
     */
    public boolean next()
    {
        if (remaining == 0)
        {
            return false;
        }
        remaining--;
        int i = next;
        keyLength = Varint.getInt(buffer, i, buffer.capacity());
        i += Varint.sizeOfInt(keyLength);
        keyOffset = i;
        i += keyLength;
        valueLength = Varint.getInt(buffer, i, buffer.capacity());
        i += Varint.sizeOfInt(valueLength);
        valueOffset = i;
        next = i + Math.max(valueLength, 0);
        return true;
    }

    public int keyOffset()
    {
        return keyOffset;
    }

    public int keyLength()
    {
        return keyLength;
    }

    public int valueOffset()
    {
        return valueOffset;
    }

    /**
     * @return the value's length or {@link Record#NULL_LENGTH}.
     */
    public int valueLength()
    {
        return valueLength;
    }
}
