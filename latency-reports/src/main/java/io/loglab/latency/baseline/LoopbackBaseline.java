package io.loglab.latency.baseline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N, the network baseline: bytes/s through one TCP connection over 127.0.0.1, written by this thread and read by a
 * drain thread. Bounded by bytes and by time; the rate counts bytes the drain received until it saw the end.
 */
public final class LoopbackBaseline
{
    public static final int WRITE_BYTES = 256 * 1024;
    private static final long DRAIN_JOIN_MS = 10_000;

    private LoopbackBaseline()
    {
    }

    /**
     * @return bytes/s received.
     * @throws IOException if the loopback connection fails or the drain does not finish.
     */
    public static double measure(final long maxBytes, final long maxMillis) throws IOException, InterruptedException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final AtomicLong received = new AtomicLong();
            final AtomicLong drainedAtNanos = new AtomicLong();
            final Thread drain = new Thread(() -> drain(server, received, drainedAtNanos), "loglab-loopback-drain");
            drain.setDaemon(true);
            drain.start();

            final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
            final long start;
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()))
            {
                start = System.nanoTime();
                final long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxMillis);
                long sent = 0;
                while (sent < maxBytes && System.nanoTime() < deadline)
                {
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        sent += client.write(buffer);
                    }
                }
            }
            drain.join(DRAIN_JOIN_MS);
            if (drain.isAlive() || drainedAtNanos.get() == 0)
            {
                drain.interrupt();
                throw new IOException("the loopback drain did not finish within " + DRAIN_JOIN_MS + " ms");
            }
            return received.get() / ((drainedAtNanos.get() - start) / 1e9);
        }
    }

    /**
     * Drain thread: accept one connection and read it to the end. Publishes through the atomics, read after join.
     */
    private static void drain(final ServerSocketChannel server, final AtomicLong received, final AtomicLong doneAt)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
        try (SocketChannel connection = server.accept())
        {
            long total = 0;
            int n;
            while ((n = connection.read(buffer)) >= 0)
            {
                total += n;
                buffer.clear();
            }
            received.set(total);
            doneAt.set(System.nanoTime());
        }
        catch (final IOException ex)
        {
            // Left unset: measure() reports the drain as not finished.
        }
    }
}
