package io.loglab.engine.log;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A region of a segment file that a {@link LogReader} found, held for as long as it takes to send it: a Fetch
 * response may go out over many writes to a slow socket, and retention or truncation must not close the file under
 * it. The segment is retained from {@link LogReader#holdRegion()} until {@link #close()}; its bytes are sent with
 * {@code FileChannel.transferTo} (sendfile to a socket).
 * <p>
 * Threading: the thread that sends it.
 */
public final class LogRegion implements AutoCloseable
{
    private final LogSegment segment;
    private final long position;
    private final int length;
    private boolean released;

    LogRegion(final LogSegment segment, final long position, final int length)
    {
        this.segment = segment;
        this.position = position;
        this.length = length;
    }

    /**
     * Bytes in the region.
     */
    public int length()
    {
        return length;
    }

    /**
     * Send {@code count} bytes from {@code offset} within the region.
     *
     * @return bytes sent: fewer when the target stopped accepting (a full non-blocking socket).
     */
    public long transferTo(final long offset, final long count, final WritableByteChannel target) throws IOException
    {
        if (released)
        {
            throw new IllegalStateException("region of " + segment.logFile() + " is closed");
        }
        if (offset < 0 || count < 0 || offset + count > length)
        {
            throw new IndexOutOfBoundsException(
                "bytes " + offset + " to " + (offset + count) + " of a region of " + length);
        }
        return segment.file().transferTo(position + offset, count, target);
    }

    /**
     * Let the segment go: its file may close once no one else holds it. Closing again does nothing.
     */
    @Override
    public void close()
    {
        if (!released)
        {
            released = true;
            segment.release();
        }
    }
}
