package io.loglab.broker.cluster;

import io.loglab.broker.wire.Placement;
import io.loglab.replication.node.AcksListener;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.replica.AckOutcome;
import org.apache.kafka.common.protocol.Errors;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's acks=all waits on its node: each is given a token, handed to {@link ReplicaNode#awaitCommit}, and
 * answered with Kafka's error when the node tells the outcome ({@link AcksListener}). The node answers every wait
 * once while it runs, and every wait queued when it stops.
 * <p>
 * Threading: {@link #await} on the network thread; {@link #onAcknowledged} on the node's thread; the waits are in a
 * concurrent map between them.
 */
public final class CommitWaits implements AcksListener
{
    private final Map<Long, Placement.CommitWait> waits = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    void await(final ReplicaNode node, final UUID topicId, final int partition, final long endOffset,
        final int leaderEpoch, final Placement.CommitWait wait)
    {
        final long token = tokens.incrementAndGet();
        waits.put(token, wait);
        node.awaitCommit(topicId, partition, endOffset, leaderEpoch, token);
    }

    @Override
    public void onAcknowledged(final UUID topicId, final int partition, final long token, final AckOutcome outcome)
    {
        final Placement.CommitWait wait = waits.remove(token);
        if (wait != null)
        {
            wait.onCommit(switch (outcome)
            {
                case COMMITTED -> Errors.NONE;
                case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
                case NOT_LEADER_OR_FOLLOWER -> Errors.NOT_LEADER_OR_FOLLOWER;
            });
        }
    }
}
