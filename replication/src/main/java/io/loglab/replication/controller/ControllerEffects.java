package io.loglab.replication.controller;

import java.util.UUID;

/**
 * What the {@link ControllerState} decides, for the world to carry out: the host (a single process, or the
 * clustered service in Aeron Cluster, where only the leader member's effects leave the cluster) tells the nodes.
 */
public interface ControllerEffects
{
    /**
     * A topic was made: every node named among {@code replicas} creates it under {@code topicId} before it takes a
     * role for its partitions.
     */
    void topicCreated(String name, UUID topicId, int partitionCount, TopicSettings settings, int[][] replicas);

    /**
     * A partition's leader, in-sync set or epochs changed, or a node (re)joined that holds it: each replica is told
     * its role, the leader with the in-sync set.
     */
    void partitionChanged(String topic, UUID topicId, int partition, PartitionState state);

    /**
     * A topic was deleted: every node stops its replicas and deletes its logs.
     */
    void topicDeleted(String name, UUID topicId);
}
