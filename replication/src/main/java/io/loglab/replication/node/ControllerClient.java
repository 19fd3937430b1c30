package io.loglab.replication.node;

/**
 * How a node reaches the controller: its heartbeats, and its leaders' in-sync set proposals. The controller's
 * decisions come back through {@link ReplicaNode#apply} and {@link ReplicaNode#createTopic}. Called on the node's
 * thread: hand the message on, never wait for an answer.
 */
public interface ControllerClient
{
    /**
     * This node's incarnation is alive; sent every {@link NodeContext#heartbeatIntervalMs()}.
     */
    void heartbeat(int nodeId, long incarnation);

    /**
     * Set the partition's in-sync set to {@code isr} if it is still at {@code leaderEpoch} and
     * {@code partitionEpoch} with this node leading.
     */
    void proposeIsr(int leaderId, String topic, int partition, int leaderEpoch, int partitionEpoch, int[] isr);
}
