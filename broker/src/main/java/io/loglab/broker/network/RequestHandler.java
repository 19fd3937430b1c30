package io.loglab.broker.network;

import java.nio.ByteBuffer;

/**
 * Turns one request frame into its {@link Response}.
 * <p>
 * Threading: the network thread only.
 */
public interface RequestHandler
{
    /**
     * @param frame the request, without its size prefix; the handler may keep it (a produced batch is appended from
     *              it) until its response is closed: the connection reads nothing more until then.
     * @param nowNs the network thread's clock.
     * @throws BadRequestException for a frame Kafka would not answer: the connection is closed.
     */
    Response handle(ByteBuffer frame, long nowNs) throws BadRequestException;
}
