package io.loglab.transport.aeron;

import org.agrona.DirectBuffer;

/**
 * Takes one whole message from a peer (reassembled when it was fragmented). The buffer is valid only during the
 * call.
 */
@FunctionalInterface
public interface MessageHandler
{
    void onMessage(DirectBuffer buffer, int offset, int length);
}
