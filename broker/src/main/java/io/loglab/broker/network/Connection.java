package io.loglab.broker.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection: reads size-prefixed frames, hands each to the {@link RequestHandler}, and writes the
 * responses in request order.
 * <p>
 * Requests are handled one at a time, as Kafka mutes a connection per request, with one exception: pipelining.
 * A request the handler says {@link RequestHandler#mayOverlap may overlap} (a produce) is handled while up to
 * {@link #MAX_IN_FLIGHT} - 1 earlier ones still wait, as long as each of those {@link Response#admitsOverlap admits
 * it} (a produce whose batches are all queued to their writers, so a later batch cannot overtake them). A
 * producer's pipelined requests then reach the writers together and are appended with one write, instead of one
 * round trip each through the network thread and the writers. Any other request waits, read but not handled, until
 * every earlier response is written, so what it reads or changes follows them exactly as on Kafka.
 * <p>
 * Each frame is read into a direct buffer that belongs to its request until its response is written (a produced
 * batch is appended from it), then serves a later frame: no allocation per request, and the writer's gathering write
 * needs no copy.
 * <p>
 * Threading: the network thread only.
 */
final class Connection
{
    /** Requests handled and not yet answered, at most: Kafka's client keeps five in flight by default. */
    static final int MAX_IN_FLIGHT = 5;
    /** Frames up to this size keep their buffer for a later request; a larger one is let go after its response. */
    private static final int KEPT_BUFFER_BYTES = 1024 * 1024;
    private static final int FIRST_BUFFER_BYTES = 64 * 1024;

    private final SocketChannel channel;
    /** The peer's address as Kafka shows a client's host ("/127.0.0.1"). */
    private final String clientHost;
    private final SelectionKey key;
    private final RequestHandler handler;
    private final int maxRequestBytes;

    private final ByteBuffer size = ByteBuffer.allocate(Integer.BYTES);
    /** The frame being read: a buffer limited to its length; null between frames. */
    private ByteBuffer frame;
    /** A complete frame not handled yet: it waits for its turn, and nothing more is read meanwhile. */
    private ByteBuffer held;
    /** Handled requests' responses, oldest (the next to write) first. */
    private final ArrayDeque<Response> responses = new ArrayDeque<>(MAX_IN_FLIGHT);
    /** Their frames' buffers, in the same order. */
    private final ArrayDeque<ByteBuffer> inFlightBuffers = new ArrayDeque<>(MAX_IN_FLIGHT);
    /** Buffers for the next frames, kept from answered requests. */
    private final ArrayDeque<ByteBuffer> spareBuffers = new ArrayDeque<>(MAX_IN_FLIGHT);

    Connection(
        final SocketChannel channel, final SelectionKey key, final RequestHandler handler, final int maxRequestBytes)
    {
        this.channel = channel;
        this.clientHost = String.valueOf(channel.socket().getInetAddress());
        this.key = key;
        this.handler = handler;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Read what the socket has, frame by frame, while requests may be taken, handling each complete one whose turn
     * it is.
     *
     * @return false if the peer closed the connection.
     * @throws BadRequestException for a frame size or request Kafka would close the connection on.
     */
    boolean onReadable(final long nowNs) throws IOException, BadRequestException
    {
        while (held == null && takesRequests())
        {
            if (frame == null)
            {
                if (channel.read(size) < 0)
                {
                    return false;
                }
                if (size.hasRemaining())
                {
                    break;
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
            if (frame.hasRemaining())
            {
                break;
            }
            held = frame.flip();
            frame = null;
            size.clear();
            handleHeldIfItsTurn(nowNs);
        }
        updateInterest();
        return true;
    }

    /**
     * Whether another request may be read now: fewer than {@link #MAX_IN_FLIGHT} wait, and each admits one after it.
     */
    private boolean takesRequests()
    {
        return responses.size() < MAX_IN_FLIGHT && allAdmitOverlap();
    }

    private boolean allAdmitOverlap()
    {
        for (final Response response : responses)
        {
            if (!response.admitsOverlap())
            {
                return false;
            }
        }
        return true;
    }

    private void handleHeldIfItsTurn(final long nowNs) throws BadRequestException
    {
        if (responses.isEmpty() || (handler.mayOverlap(held) && allAdmitOverlap()))
        {
            final ByteBuffer request = held;
            held = null;
            inFlightBuffers.addLast(request);
            responses.addLast(handler.handle(request, clientHost, nowNs));
        }
    }

    private ByteBuffer bufferFor(final int length)
    {
        ByteBuffer buffer = spareBuffers.pollFirst();
        if (buffer == null || buffer.capacity() < length)
        {
            buffer = ByteBuffer.allocateDirect(Math.max(FIRST_BUFFER_BYTES, Integer.highestOneBit(length - 1) << 1));
        }
        return buffer.clear().limit(length);
    }

    /**
     * Whether requests wait on this connection: answered or not, read and not yet handled.
     */
    boolean isBusy()
    {
        return !responses.isEmpty() || held != null;
    }

    /**
     * Move the connection on: let every waiting response check its work (a produce offers again what a full queue
     * refused), write the ready ones in order, then handle a held request if its turn has come.
     */
    void progress(final long nowNs) throws IOException, BadRequestException
    {
        if (!key.isValid())
        {
            // Closed earlier in this pass.
            return;
        }
        for (final Response response : responses)
        {
            response.isReady(nowNs);
        }
        Response head;
        while ((head = responses.peekFirst()) != null && head.isReady(nowNs))
        {
            if (!head.writeTo(channel))
            {
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            if (head.closesConnection())
            {
                throw new BadRequestException("an acks=0 produce failed: closing the connection, as Kafka does");
            }
            responses.pollFirst().close();
            recycle(inFlightBuffers.pollFirst());
        }
        if (held != null)
        {
            handleHeldIfItsTurn(nowNs);
        }
        updateInterest();
    }

    private void recycle(final ByteBuffer buffer)
    {
        if (buffer.capacity() <= KEPT_BUFFER_BYTES && spareBuffers.size() < MAX_IN_FLIGHT)
        {
            spareBuffers.addLast(buffer);
        }
    }

    /**
     * Read while requests may be taken; otherwise leave them in the socket's receive buffer (TCP's flow control
     * holds the client back) until a response goes out.
     */
    private void updateInterest()
    {
        key.interestOps(held == null && takesRequests() ? SelectionKey.OP_READ : 0);
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
        Response response;
        while ((response = responses.pollFirst()) != null)
        {
            response.close();
        }
        inFlightBuffers.clear();
        held = null;
        frame = null;
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
