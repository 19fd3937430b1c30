package io.loglab.replication.node;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.topic.Topic;
import io.loglab.engine.log.RegionRemovedException;
import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.transport.aeron.AeronTransport;
import io.loglab.transport.aeron.OfferOutcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Writes one node's replica messages ({@link ReplicaMessages}) into its one send buffer and offers them to a peer: a
 * records message holds the leader's batches copied once from the segment file (the page cache), behind the header.
 * Every {@link OfferOutcome} is handled here: a rotated or replaced publication is offered again at once; back
 * pressure and a peer not connected leave the message unsent, and the replica state machines send it again on a
 * later duty cycle, so nothing is lost, only delayed. What happened is counted in {@link NodeCounters}.
 * <p>
 * Threading: the node's thread only.
 */
final class ReplicaSender
{
    private final AeronTransport transport;
    private final int nodeId;
    private final long incarnation;
    private final NodeCounters counters;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;

    ReplicaSender(final AeronTransport transport, final int nodeId, final long incarnation,
        final NodeCounters counters)
    {
        this.transport = transport;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.counters = counters;
        this.byteBuffer = ByteBuffer.allocateDirect(transport.maxMessageLength());
        this.buffer = new UnsafeBuffer(byteBuffer);
    }

    /**
     * The most batch bytes one records message carries.
     */
    int maxBatchBytes()
    {
        return byteBuffer.capacity() - ReplicaMessages.RECORDS_HEADER_LENGTH;
    }

    /**
     * @throws IllegalArgumentException if {@code topic}'s batches may be longer than one records message carries.
     */
    void requireFits(final Topic topic)
    {
        if (topic.config().maxMessageBytes() > maxBatchBytes())
        {
            throw new IllegalArgumentException("topic " + topic.name() + " takes batches of up to " +
                "max.message.bytes=" + topic.config().maxMessageBytes() + ", longer than the " + maxBatchBytes() +
                " bytes one replica message carries: give the transport a term length of at least eight times " +
                "that, plus " + ReplicaMessages.RECORDS_HEADER_LENGTH);
        }
    }

    /**
     * Send {@code peer} the leader's whole batches from {@code fromOffset}, at most {@code maxBytes} of them (at least
     * one), read through {@code reader}.
     *
     * @return the offset after the last batch sent, or {@code fromOffset} if nothing was.
     */
    long records(final int peer, final UUID topicId, final int partition, final int leaderEpoch,
        final LogReader reader, final long fromOffset, final int maxBytes, final long highWatermark)
    {
        try
        {
            if (reader.read(fromOffset, Math.min(maxBytes, maxBatchBytes()), Long.MAX_VALUE) != LogReader.OK ||
                reader.length() == 0)
            {
                return fromOffset;
            }
            if (reader.length() > maxBatchBytes())
            {
                // A single batch longer than a message: the transport's term length is too short for the topic's
                // max.message.bytes. The node refuses that setting at start; count it rather than loop silently.
                counters.batchTooLong();
                return fromOffset;
            }
            byteBuffer.clear().position(ReplicaMessages.RECORDS_HEADER_LENGTH);
            reader.copyTo(byteBuffer);
        }
        catch (final RegionRemovedException removed)
        {
            // Retention or truncation took the segment between the read and the copy: the next cycle reads again.
            return fromOffset;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        ReplicaMessages.putHeader(buffer, 0, ReplicaMessages.RECORDS, nodeId, incarnation, leaderEpoch, topicId,
            partition);
        ReplicaMessages.putRecords(buffer, 0, reader.firstOffset(), reader.nextOffset(), highWatermark);
        return offer(peer, ReplicaMessages.RECORDS_HEADER_LENGTH + reader.length()) ? reader.nextOffset() :
            fromOffset;
    }

    boolean heartbeat(final int peer, final UUID topicId, final int partition, final int leaderEpoch,
        final long highWatermark)
    {
        ReplicaMessages.putHeader(buffer, 0, ReplicaMessages.HEARTBEAT, nodeId, incarnation, leaderEpoch, topicId,
            partition);
        ReplicaMessages.putHeartbeat(buffer, 0, highWatermark);
        return offer(peer, ReplicaMessages.HEARTBEAT_LENGTH);
    }

    boolean divergence(final int peer, final UUID topicId, final int partition, final int leaderEpoch,
        final int epoch, final long endOffset, final boolean truncateFully)
    {
        ReplicaMessages.putHeader(buffer, 0, ReplicaMessages.DIVERGENCE, nodeId, incarnation, leaderEpoch, topicId,
            partition);
        ReplicaMessages.putDivergence(buffer, 0, epoch, endOffset, truncateFully);
        return offer(peer, ReplicaMessages.DIVERGENCE_LENGTH);
    }

    boolean position(final int peer, final UUID topicId, final int partition, final int leaderEpoch,
        final long logEndOffset, final long durableEndOffset, final int latestEpoch, final boolean resend)
    {
        ReplicaMessages.putHeader(buffer, 0, ReplicaMessages.POSITION, nodeId, incarnation, leaderEpoch, topicId,
            partition);
        ReplicaMessages.putPosition(buffer, 0, logEndOffset, durableEndOffset, latestEpoch, resend);
        return offer(peer, ReplicaMessages.POSITION_LENGTH);
    }

    private boolean offer(final int peer, final int length)
    {
        OfferOutcome outcome = transport.send(peer, buffer, 0, length);
        if (outcome == OfferOutcome.ADMIN_ACTION || outcome == OfferOutcome.REPLACED)
        {
            outcome = transport.send(peer, buffer, 0, length);
        }
        counters.offered(outcome, length);
        return outcome == OfferOutcome.SENT;
    }
}
