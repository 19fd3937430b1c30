package io.loglab.broker.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection: reads a size-prefixed frame, hands it to the {@link RequestHandler}, and reads nothing more
 * until the response has gone out, so responses leave in request order (as Kafka mutes a connection per request).
 * Pipelined requests wait in the socket's receive buffer meanwhile. The frame is read into a direct buffer the
 * connection keeps for its next request once the response is done (a produced batch is appended from it, so it is
 * the request's until then): no allocation per request, and the writer's gathering write needs no copy.
 * <p>
 * Threading: the network thread only.
 */
final class Connection
{
    private final SocketChannel channel;
    /** The peer's address as Kafka shows a client's host ("/127.0.0.1"). */
    private final String clientHost;
    private final SelectionKey key;
    private final int maxRequestBytes;
    /** Frames up to this size keep their buffer for the next request; a larger one is let go after its response. */
    private static final int KEPT_BUFFER_BYTES = 1024 * 1024;
    private static final int FIRST_BUFFER_BYTES = 64 * 1024;

    private final ByteBuffer size = ByteBuffer.allocate(Integer.BYTES);
    private ByteBuffer buffer;
    /** The frame being read: {@link #buffer} limited to its length; null between frames. */
    private ByteBuffer frame;
    private Response response;

    Connection(final SocketChannel channel, final SelectionKey key, final int maxRequestBytes)
    {
        this.channel = channel;
        this.clientHost = String.valueOf(channel.socket().getInetAddress());
        this.key = key;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Read what the socket has, up to the end of one frame, and turn a complete frame into a pending response.
     *
     * @return false if the peer closed the connection.
     * @throws BadRequestException for a frame size or request Kafka would close the connection on.
     */
    boolean onReadable(final RequestHandler handler, final long nowNs) throws IOException, BadRequestException
    {
        if (frame == null)
        {
            if (channel.read(size) < 0)
            {
                return false;
            }
            if (size.hasRemaining())
            {
                return true;
            }
            final int length = size.getInt(0);
            if (length < 0 || length > maxRequestBytes)
            {
                throw new BadRequestException(
                    "a request of " + length + " bytes (at most " + maxRequestBytes + " taken)");
            }
            frame = bufferFor(length);
        }
        if (channel.read(frame) < 0)
        {
            return false;
        }
        if (!frame.hasRemaining())
        {
            frame.flip();
            final ByteBuffer complete = frame;
            frame = null;
            size.clear();
            response = handler.handle(complete, clientHost, nowNs);
            key.interestOps(0);
        }
        return true;
    }

    private ByteBuffer bufferFor(final int length)
    {
        if (buffer == null || buffer.capacity() < length)
        {
            buffer = ByteBuffer.allocateDirect(Math.max(FIRST_BUFFER_BYTES, Integer.highestOneBit(length - 1) << 1));
        }
        return buffer.clear().limit(length);
    }

    boolean hasResponse()
    {
        return response != null;
    }

    /**
     * Write the pending response if it is ready; once it is all out, read the next request.
     */
    void writeIfReady(final long nowNs) throws IOException, BadRequestException
    {
        if (!response.isReady(nowNs))
        {
            return;
        }
        if (response.writeTo(channel))
        {
            if (response.closesConnection())
            {
                throw new BadRequestException("an acks=0 produce failed: closing the connection, as Kafka does");
            }
            response.close();
            response = null;
            if (buffer.capacity() > KEPT_BUFFER_BYTES)
            {
                buffer = null;
            }
            key.interestOps(SelectionKey.OP_READ);
        }
        else
        {
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    String peer()
    {
        try
        {
            return String.valueOf(channel.getRemoteAddress());
        }
        catch (final IOException ex)
        {
            return "a closed connection";
        }
    }

    void close()
    {
        if (response != null)
        {
            response.close();
            response = null;
        }
        key.cancel();
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            // Closed either way.
        }
    }
}
