package io.loglab.replication.cluster;

import io.loglab.replication.node.ControllerClient;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.node.TopicRequests;

/**
 * Where an {@link EmbeddedCluster}'s controller runs: in this JVM alone ({@link LocalController}), or as a quorum of
 * Aeron Cluster members ({@link QuorumControllerHost}); topics are asked of it as of any controller.
 */
public interface ControllerHost extends TopicRequests, AutoCloseable
{
    /**
     * The client node {@code nodeId} reaches the controller through; its media driver is in {@code aeronDirectory}.
     */
    ControllerClient client(int nodeId, String aeronDirectory);

    /**
     * Carry decisions to {@code node} from now on: it started, or started again on its directory.
     */
    void attach(ReplicaNode node);

    /**
     * Carry nothing more to node {@code nodeId}: it stopped. The controller learns it is gone when its heartbeats do.
     */
    void detach(int nodeId);

    @Override
    void close();
}
