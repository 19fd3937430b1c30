package io.loglab.replication.node;

/**
 * How a node reaches the controller: its heartbeats, its leaders' in-sync set proposals, and its logs' ends when a
 * majority-commit partition has no leader. The controller's
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

    /**
     * Under majority commit, this node's replica of a partition left without a leader in {@code leaderEpoch} has a
     * log ending at {@code logEndOffset} in {@code latestEpoch}, and follows no one: the controller elects the most
     * up-to-date. Sent when the node hears the decision, and again every heartbeat while it stands.
     */
    void reportLog(int nodeId, long incarnation, String topic, int partition, int leaderEpoch, int latestEpoch,
        long logEndOffset);
}
