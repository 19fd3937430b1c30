package io.loglab.replication.node;

import java.util.UUID;

/**
 * Where a leader's in-sync set proposals go: the controller, which sets the partition's in-sync set to {@code isr}
 * only if it is still at {@code partitionEpoch}, and answers through {@link ReplicaNode#isrChanged}. Called on the
 * node's thread: hand the proposal on, never wait for the answer.
 */
@FunctionalInterface
public interface IsrProposer
{
    void proposeIsr(int leaderId, UUID topicId, int partition, int partitionEpoch, int[] isr);
}
