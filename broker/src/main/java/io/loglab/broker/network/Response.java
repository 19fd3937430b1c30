package io.loglab.broker.network;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * What the network thread sends back for one request, once it is ready: a produce waits for its appends, a fetch
 * for data or its max wait. Nothing waits on a thread of its own: the network thread asks {@link #isReady} on each
 * pass.
 * <p>
 * Threading: the network thread only.
 */
public interface Response
{
    /**
     * Whether it can be written now.
     *
     * @param nowNs the network thread's clock.
     */
    boolean isReady(long nowNs);

    /**
     * Write as much as the socket takes.
     *
     * @return true once everything is written (at once for a response with no bytes, as acks=0 has).
     */
    boolean writeTo(SocketChannel channel) throws IOException;

    /**
     * Whether a request that {@link RequestHandler#mayOverlap may overlap} can be handled before this response is
     * written: what this request does is handed over in order already (a produce whose batches are all queued to
     * their writers), so a later one cannot overtake it. By default no: the next request waits for this response.
     */
    default boolean admitsOverlap()
    {
        return false;
    }

    /**
     * Whether the connection is to be closed once this is written: Kafka's answer to a failed acks=0 produce, whose
     * client hears of no error otherwise.
     */
    default boolean closesConnection()
    {
        return false;
    }

    /**
     * Let go of what it holds (file regions of a fetch). Called once: after the last write, or when the connection
     * closes first.
     */
    void close();
}
