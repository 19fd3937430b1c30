package io.loglab.replication.node;

import io.loglab.replication.replica.AckOutcome;

import java.util.UUID;

/**
 * Told the outcome of each acks=all wait given to {@link ReplicaNode#awaitCommit}, in offset order per partition, on
 * the node's thread: keep it short, and hand the answer to the thread that sends it. Every wait is answered once,
 * even when the node stops.
 */
@FunctionalInterface
public interface AcksListener
{
    void onAcknowledged(UUID topicId, int partition, long token, AckOutcome outcome);
}
