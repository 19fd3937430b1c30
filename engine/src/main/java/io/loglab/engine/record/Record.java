package io.loglab.engine.record;

import org.agrona.DirectBuffer;

/**
 * Flyweight over one record inside an uncompressed batch. {@link #wrap} decodes the varint framing once and keeps
 * the positions of key, value and headers, so accessors are plain field reads. Not thread-safe.
 */
public final class Record
{
    /** Length reported for a null key or value. */
    public static final int NULL_LENGTH = -1;

    private DirectBuffer buffer;
    private int offset;
    private int totalLength;
    private long timestamp;
    private long offsetInLog;
    private int offsetDelta;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int headerCount;
    private int headersOffset;

    /**
     * Decode the record at {@code offset}, which must end by {@code limit} (the end of its batch).
     *
     * @param baseOffset    of the enclosing batch.
     * @param baseTimestamp of the enclosing batch.
     * @return this, positioned at the record.
     * @throws InvalidRecordBatchException if the framing is broken.
     */
    public Record wrap(
        final DirectBuffer buffer, final int offset, final int limit, final long baseOffset, final long baseTimestamp)
    {
        this.buffer = buffer;
        this.offset = offset;

        long varint = Varint.getIntAndLength(buffer, offset, limit);
        final int bodyLength = Varint.intValue(varint);
        int i = offset + Varint.length(varint);
        final int end = i + bodyLength;
        if (bodyLength < 0 || end > limit || end < i)
        {
            throw new InvalidRecordBatchException(
                "record at byte " + offset + " declares length " + bodyLength + " but only " + (limit - i) +
                " bytes remain in its batch");
        }
        totalLength = end - offset;

        i += 1; // attributes: unused in v2
        final long timestampDelta = Varint.getLong(buffer, i, end);
        i += Varint.sizeOfLong(timestampDelta);
        varint = Varint.getIntAndLength(buffer, i, end);
        offsetDelta = Varint.intValue(varint);
        i += Varint.length(varint);
        timestamp = baseTimestamp + timestampDelta;
        offsetInLog = baseOffset + offsetDelta;

        varint = Varint.getIntAndLength(buffer, i, end);
        keyLength = Varint.intValue(varint);
        i += Varint.length(varint);
        keyOffset = i;
        i = skipBytes(i, keyLength, end, "key");

        varint = Varint.getIntAndLength(buffer, i, end);
        valueLength = Varint.intValue(varint);
        i += Varint.length(varint);
        valueOffset = i;
        i = skipBytes(i, valueLength, end, "value");

        varint = Varint.getIntAndLength(buffer, i, end);
        headerCount = Varint.intValue(varint);
        i += Varint.length(varint);
        if (headerCount < 0)
        {
            throw new InvalidRecordBatchException(
                "record at byte " + offset + " has a negative header count " + headerCount);
        }
        headersOffset = i;
        for (int h = 0; h < headerCount; h++)
        {
            varint = Varint.getIntAndLength(buffer, i, end);
            final int headerKeyLength = Varint.intValue(varint);
            i += Varint.length(varint);
            if (headerKeyLength < 0)
            {
                throw new InvalidRecordBatchException(
                    "record at byte " + offset + " has a header with a null key");
            }
            i = skipBytes(i, headerKeyLength, end, "header key");
            varint = Varint.getIntAndLength(buffer, i, end);
            final int headerValueLength = Varint.intValue(varint);
            i += Varint.length(varint);
            i = skipBytes(i, headerValueLength, end, "header value");
        }

        if (i != end)
        {
            throw new InvalidRecordBatchException(
                "record at byte " + offset + " declares " + bodyLength + " bytes but its fields take " +
                (i - (end - bodyLength)));
        }
        return this;
    }

    private int skipBytes(final int index, final int length, final int end, final String field)
    {
        if (length < NULL_LENGTH)
        {
            throw new InvalidRecordBatchException(
                "record at byte " + offset + " has a " + field + " of negative length " + length);
        }
        final int next = index + Math.max(length, 0);
        if (next > end || next < index)
        {
            throw new InvalidRecordBatchException(
                "record at byte " + offset + " has a " + field + " of " + length + " bytes that runs past the record");
        }
        return next;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Bytes of the record, its length prefix included: the distance to the next record.
     */
    public int totalLength()
    {
        return totalLength;
    }

    public long offset()
    {
        return offsetInLog;
    }

    public int offsetDelta()
    {
        return offsetDelta;
    }

    public long timestamp()
    {
        return timestamp;
    }

    public int keyOffset()
    {
        return keyOffset;
    }

    /**
     * @return the key's length or {@link #NULL_LENGTH}.
     */
    public int keyLength()
    {
        return keyLength;
    }

    public int valueOffset()
    {
        return valueOffset;
    }

    /**
     * @return the value's length or {@link #NULL_LENGTH}.
     */
    public int valueLength()
    {
        return valueLength;
    }

    public int headerCount()
    {
        return headerCount;
    }

    /**
     * Index of the first header's key length varint; headers follow the layout in {@link RecordBatchDescriptor}.
     */
    public int headersOffset()
    {
        return headersOffset;
    }
}
