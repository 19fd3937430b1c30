package io.loglab.engine.record;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C over a region of a buffer through the JDK's intrinsic {@link CRC32C}, without the {@code --add-opens}
 * that an address-based checksum would need. Direct {@link ByteBuffer}s have their position and limit moved for the
 * call and put back after it, so the caller must own the buffer for that moment.
 */
public final class Crc32cChecksum
{
    private final CRC32C crc = new CRC32C();

    public int compute(final ByteBuffer buffer, final int index, final int length)
    {
        crc.reset();
        if (buffer.hasArray())
        {
            crc.update(buffer.array(), buffer.arrayOffset() + index, length);
        }
        else
        {
            final int position = buffer.position();
            final int limit = buffer.limit();
            buffer.limit(index + length).position(index);
            crc.update(buffer);
            buffer.limit(limit).position(position);
        }
        return (int)crc.getValue();
    }

    public int compute(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.reset();
            crc.update(array, (int)buffer.wrapAdjustment() + index, length);
            return (int)crc.getValue();
        }
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (byteBuffer == null)
        {
            throw new IllegalArgumentException("a checksummed buffer must wrap a byte[] or a ByteBuffer");
        }
        return compute(byteBuffer, (int)buffer.wrapAdjustment() + index, length);
    }
}
