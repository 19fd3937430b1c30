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
     *              it) until its response is closed: the connection reads no other frame into it until then.
     * @param clientHost the address the request came from, as Kafka shows it ("/127.0.0.1").
     * @param nowNs      the network thread's clock.
     * @throws BadRequestException for a frame Kafka would not answer: the connection is closed.
     */
    Response handle(ByteBuffer frame, String clientHost, long nowNs) throws BadRequestException;

    /**
     * Whether {@code frame}, not yet handled, may be handled while earlier requests of its connection wait for
     * their responses, if each of those {@link Response#admitsOverlap() admits it}: a request whose effect is
     * ordered by its queue (a produce) rather than by its turn.
     */
    boolean mayOverlap(ByteBuffer frame);

    /**
     * Run what is due by the clock (timers of requests that wait on something other than a log): called on every
     * pass of the network thread, and at least every 100 ms when it is idle.
     */
    void onPass(long nowNs);
}
