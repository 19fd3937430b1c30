package io.loglab.jmh.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;

/**
 * A blocking TCP connection on 127.0.0.1 whose far end a daemon thread reads and throws away, so writes and sendfile
 * on the near end see a real socket with a consumer. {@link #close()} closes the near end, which the drain thread
 * reads as end of stream, then waits for the thread and closes the rest: nothing outlives the trial.
 */
public final class LoopbackSink extends Sink
{
    private static final int DRAIN_BUFFER_BYTES = 256 * 1024;
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

    private final ServerSocketChannel server;
    private final SocketChannel client;
    private final SocketChannel peer;
    private final Thread drainer;

    LoopbackSink() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        client = SocketChannel.open(server.getLocalAddress());
        peer = server.accept();
        drainer = new Thread(this::drain, "loglab-bench-socket-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(DRAIN_BUFFER_BYTES);
        try
        {
            while (peer.read(buffer.clear()) >= 0)
            {
                // Bytes are dropped; reading them is the consumer's whole job.
            }
        }
        catch (final IOException ignore)
        {
            // Closed under us during teardown.
        }
    }

    @Override
    public WritableByteChannel channel()
    {
        return client;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            client.close();
            drainer.join(JOIN_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            peer.close();
            server.close();
        }
        if (drainer.isAlive())
        {
            throw new IOException("socket drain thread did not stop within " + JOIN_TIMEOUT_MS + " ms");
        }
    }
}
