package io.loglab.replication.cluster;

import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ControllerClient;
import io.loglab.replication.node.ReplicaNode;

import java.util.concurrent.CompletableFuture;

/**
 * Where an {@link EmbeddedCluster}'s controller runs: in this JVM alone ({@link LocalController}), or as a quorum of
 * Aeron Cluster members ({@link QuorumControllerHost}).
 */
public interface ControllerHost extends AutoCloseable
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

    /**
     * Ask for a topic spread over the live nodes.
     *
     * @return completed with null once made, or with why it was not.
     */
    CompletableFuture<String> createTopic(String name, int partitions, TopicSettings settings, LogConfig logConfig);

    @Override
    void close();
}
