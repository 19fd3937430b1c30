package io.loglab.replication.node;

import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.TopicSettings;

import java.util.concurrent.CompletableFuture;

/**
 * How a broker asks the controller to make or delete a topic: a node's session with the quorum, or an embedded
 * cluster's controller. The decisions reach every node as {@link ReplicaNode#createTopic} and
 * {@link ReplicaNode#deleteTopic}.
 * <p>
 * Threading: any thread; neither waits.
 */
public interface TopicRequests
{
    /**
     * Ask for a topic spread over the live nodes.
     *
     * @return completed with null once made, or with why it was not.
     */
    CompletableFuture<String> createTopic(String name, int partitions, TopicSettings settings, LogConfig logConfig);

    /**
     * Ask for a topic to be deleted on every node.
     *
     * @return completed with null once the controller deleted it, or with why it did not.
     */
    CompletableFuture<String> deleteTopic(String name);
}
