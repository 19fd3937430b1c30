package io.loglab.broker.cluster;

import io.loglab.broker.wire.BrokerAddress;
import io.loglab.broker.wire.OffsetsTopic;
import io.loglab.broker.wire.Placement;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ClusterMetadata;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.node.TopicRequests;
import io.loglab.replication.replica.CommitRule;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A broker on a node of a replicated cluster: Metadata, leadership and in-sync sets are the controller's decisions
 * as the node heard them ({@link ClusterMetadata}); an acks=all append is answered once the node's replicas commit
 * it ({@link CommitWaits}); topics are made by the controller.
 * <p>
 * Consumer groups are coordinated by the leader of the offsets topic's one partition, replicated like any other:
 * the coordinator moves with that partition's leadership.
 */
public final class ReplicatedPlacement implements Placement
{
    /** Producer ids are this node's own ids shifted above the node id: no two nodes hand out the same one. */
    private static final int NODE_ID_SHIFT = 40;

    private final ReplicaNode node;
    private final CommitWaits commitWaits;
    private final LogManager logs;
    private final List<BrokerAddress> brokers;
    private final int defaultReplicationFactor;
    private final CommitRule defaultCommitRule;
    /** How topics reach the controller: the node's controller session, or an embedded cluster's controller. */
    private final TopicRequests controller;
    /** Network thread: the controller's making of the offsets topic, while asked. */
    private CompletableFuture<String> offsetsCreation;

    /**
     * @param commitWaits the node's {@link io.loglab.replication.node.NodeContext#acksListener}.
     * @param brokers     every broker of the cluster, this node's included.
     * @param defaultCommitRule of a topic made without one.
     */
    public ReplicatedPlacement(final ReplicaNode node, final CommitWaits commitWaits, final LogManager logs,
        final List<BrokerAddress> brokers, final int defaultReplicationFactor, final CommitRule defaultCommitRule,
        final TopicRequests controller)
    {
        if (brokers.stream().noneMatch(broker -> broker.nodeId() == node.nodeId()))
        {
            throw new IllegalArgumentException("node " + node.nodeId() + " is not among the brokers " + brokers);
        }
        if (defaultReplicationFactor < 1 || defaultReplicationFactor > brokers.size())
        {
            throw new IllegalArgumentException("default replication factor " + defaultReplicationFactor +
                " must be 1 to the " + brokers.size() + " brokers");
        }
        this.node = node;
        this.commitWaits = commitWaits;
        this.logs = logs;
        this.brokers = brokers.stream().sorted(Comparator.comparingInt(BrokerAddress::nodeId)).toList();
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.defaultCommitRule = defaultCommitRule;
        this.controller = controller;
    }

    @Override
    public int nodeId()
    {
        return node.nodeId();
    }

    @Override
    public List<BrokerAddress> brokers()
    {
        return brokers;
    }

    /**
     * Any broker takes a topic's creation to the controller, so each names itself.
     */
    @Override
    public int controllerId()
    {
        return node.nodeId();
    }

    @Override
    public int defaultReplicationFactor()
    {
        return defaultReplicationFactor;
    }

    /**
     * The leader of the offsets topic's one partition, as the controller decided.
     */
    @Override
    public CommitRule defaultCommitRule()
    {
        return defaultCommitRule;
    }

    @Override
    public int coordinatorId()
    {
        final Leadership leadership = leadership(OffsetsTopic.NAME, 0);
        return leadership == null ? Leadership.NO_LEADER : leadership.leader();
    }

    @Override
    public int coordinatorEpoch()
    {
        final ClusterMetadata.TopicMetadata offsets = node.metadata().topic(OffsetsTopic.NAME);
        return offsets == null ? ClusterMetadata.NOT_LED : offsets.ledEpoch(0);
    }

    /**
     * The offsets topic once the controller made it and this node holds it; asks the controller for it (once at a
     * time, again after a refusal or a lost answer) while it has not: one partition, replicated on up to three nodes,
     * two in sync for a commit where there are three (one where there are fewer, so one node lost does not stop
     * every commit).
     */
    @Override
    public Topic offsetsTopic()
    {
        if (node.metadata().topic(OffsetsTopic.NAME) != null)
        {
            return logs.hasTopic(OffsetsTopic.NAME) ? logs.topic(OffsetsTopic.NAME) : null;
        }
        if (offsetsCreation == null || offsetsCreation.isDone())
        {
            final int replicas = Math.min(3, brokers.size());
            offsetsCreation = controller.createTopic(OffsetsTopic.NAME, OffsetsTopic.CLUSTER_PARTITIONS,
                new TopicSettings(replicas, replicas >= 3 ? 2 : 1, false, CommitRule.ISR), OffsetsTopic.logConfig());
        }
        return null;
    }

    @Override
    public List<PlacedTopic> topics()
    {
        final List<PlacedTopic> placed = new ArrayList<>();
        for (final ClusterMetadata.TopicMetadata topic : node.metadata().topics())
        {
            placed.add(placed(topic));
        }
        return placed;
    }

    @Override
    public PlacedTopic topic(final String name)
    {
        final ClusterMetadata.TopicMetadata topic = node.metadata().topic(name);
        return topic == null ? null : placed(topic);
    }

    private static PlacedTopic placed(final ClusterMetadata.TopicMetadata topic)
    {
        return new PlacedTopic(topic.name(), topic.topicId(), topic.partitionCount(),
            topic.settings().replicationFactor(), topic.settings().minInsyncReplicas(), topic.settings().commitRule());
    }

    @Override
    public Leadership leadership(final String topic, final int partition)
    {
        final ClusterMetadata.TopicMetadata held = node.metadata().topic(topic);
        final PartitionState state = held == null ? null : held.partition(partition);
        if (state == null)
        {
            return held == null || partition < 0 || partition >= held.partitionCount() ? null :
                new Leadership(Leadership.NO_LEADER, -1, new int[0], new int[0]);
        }
        return new Leadership(state.leader(), state.leaderEpoch(), state.replicas(), state.isr());
    }

    @Override
    public boolean replicates()
    {
        return true;
    }

    @Override
    public void awaitCommit(final UUID topicId, final int partition, final long endOffset, final int leaderEpoch,
        final CommitWait wait)
    {
        commitWaits.await(node, topicId, partition, endOffset, leaderEpoch, wait);
    }

    @Override
    public CompletableFuture<Refusal> createTopic(final String name, final int partitions,
        final int replicationFactor, final int minInsyncReplicas, final CommitRule commitRule, final LogConfig config)
    {
        return controller.createTopic(name, partitions, new TopicSettings(replicationFactor, minInsyncReplicas, false,
            commitRule), config).handle((refused, failure) ->
        {
            if (failure != null)
            {
                return new Refusal(Errors.REQUEST_TIMED_OUT, "the controller did not take the topic: " + failure);
            }
            if (refused == null)
            {
                return null;
            }
            return new Refusal(refused.contains("already exists") ? Errors.TOPIC_ALREADY_EXISTS :
                refused.contains("live nodes") ? Errors.INVALID_REPLICATION_FACTOR :
                // The controller did not take or answer it: the client may ask again.
                refused.contains("try again") ? Errors.REQUEST_TIMED_OUT : Errors.INVALID_REQUEST, refused);
        });
    }

    @Override
    public CompletableFuture<Refusal> deleteTopic(final String name)
    {
        return controller.deleteTopic(name).handle((refused, failure) ->
        {
            if (failure != null)
            {
                return new Refusal(Errors.REQUEST_TIMED_OUT, "the controller did not take the deletion: " + failure);
            }
            if (refused == null)
            {
                return null;
            }
            return new Refusal(refused.contains("does not exist") ? Errors.UNKNOWN_TOPIC_OR_PARTITION :
                refused.contains("try again") ? Errors.REQUEST_TIMED_OUT : Errors.INVALID_REQUEST, refused);
        });
    }

    @Override
    public long newProducerId() throws IOException
    {
        return (long)node.nodeId() << NODE_ID_SHIFT | logs.allocateProducerId();
    }
}
