package io.loglab.jmh.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where read benchmarks send bytes, chosen by a {@code target} parameter:
 * <ul>
 *     <li>{@code discard}: a {@link WritableByteChannel} that drops what it is given. The JDK has no direct path from
 *     a file to an arbitrary channel, so {@code FileChannel.transferTo} to it copies through an 8 KiB temporary
 *     buffer: it shows the cost of the call, not of sendfile.</li>
 *     <li>{@code devnull}: a {@link FileChannel} on {@code /dev/null}, which {@code transferTo} reaches with sendfile:
 *     zero-copy with no consumer.</li>
 *     <li>{@code socket}: a loopback TCP connection drained by a thread on the far end ({@link LoopbackSink}).</li>
 * </ul>
 */
public abstract class Sink implements AutoCloseable
{
    public abstract WritableByteChannel channel();

    @Override
    public abstract void close() throws IOException;

    public static Sink open(final String target) throws IOException
    {
        return switch (target)
        {
            case "discard" -> new DiscardSink();
            case "devnull" -> new DevNullSink();
            case "socket" -> new LoopbackSink();
            default -> throw new IllegalArgumentException("target=" + target + ": expected discard, devnull or socket");
        };
    }

    /**
     * Write all of {@code buffer} to the sink, as a server writes a response; leaves the buffer empty.
     */
    public void writeFully(final ByteBuffer buffer) throws IOException
    {
        final WritableByteChannel channel = channel();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    private static final class DiscardSink extends Sink implements WritableByteChannel
    {
        private boolean open = true;

        @Override
        public int write(final ByteBuffer src)
        {
            final int length = src.remaining();
            src.position(src.limit());
            return length;
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public WritableByteChannel channel()
        {
            return this;
        }

        @Override
        public void close()
        {
            open = false;
        }
    }

    private static final class DevNullSink extends Sink
    {
        private final FileChannel channel = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);

        private DevNullSink() throws IOException
        {
        }

        @Override
        public WritableByteChannel channel()
        {
            return channel;
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
