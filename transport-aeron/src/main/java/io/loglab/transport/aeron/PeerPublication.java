package io.loglab.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.DirectBuffer;

/**
 * The one exclusive publication from this node to one peer, so each peer has its own window and back pressure and
 * a slow one slows nobody else. A publication that is closed or reaches its largest position is replaced.
 * <p>
 * Threading: the transport's one thread.
 */
final class PeerPublication implements AutoCloseable
{
    private final Aeron aeron;
    private final int nodeId;
    private final String channel;
    private final int streamId;
    private ExclusivePublication publication;

    PeerPublication(final Aeron aeron, final int nodeId, final String channel, final int streamId)
    {
        this.aeron = aeron;
        this.nodeId = nodeId;
        this.channel = channel;
        this.streamId = streamId;
        this.publication = aeron.addExclusivePublication(channel, streamId);
    }

    OfferOutcome offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("a message of " + length + " bytes to node " + nodeId + " is longer " +
                "than the " + publication.maxMessageLength() + " its link takes (an eighth of the term length)");
        }
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            return OfferOutcome.SENT;
        }
        final OfferOutcome outcome = OfferOutcome.ofFailure(result);
        if (outcome == OfferOutcome.REPLACED)
        {
            publication.close();
            publication = aeron.addExclusivePublication(channel, streamId);
        }
        return outcome;
    }

    boolean isConnected()
    {
        return publication.isConnected();
    }

    int maxMessageLength()
    {
        return publication.maxMessageLength();
    }

    @Override
    public void close()
    {
        publication.close();
    }
}
