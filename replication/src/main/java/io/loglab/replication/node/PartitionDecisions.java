package io.loglab.replication.node;

import io.loglab.engine.topic.Topic;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.NodeSet;

/**
 * The controller's decisions for a node's partitions made roles: lead, follow, or, with no leader or this node not
 * among the replicas, none (and, under majority commit with no leader, report the log for the election); in-sync set
 * changes reach the leader. A decision heard again changes nothing.
 * <p>
 * Threading: any thread (the controller session's); each decision is a command to the node's thread, which alone
 * touches the replicas.
 */
final class PartitionDecisions
{
    private final ReplicaNode node;
    private final NodeContext ctx;
    private final ClusterMetadata metadata;
    private final ReplicaTable table;
    private final LeaderlessLogs leaderless;
    private final NodeTopics topics;

    PartitionDecisions(final ReplicaNode node, final NodeContext ctx, final ClusterMetadata metadata,
        final ReplicaTable table, final LeaderlessLogs leaderless, final NodeTopics topics)
    {
        this.node = node;
        this.ctx = ctx;
        this.metadata = metadata;
        this.table = table;
        this.leaderless = leaderless;
        this.topics = topics;
    }

    /**
     * @see ReplicaNode#apply
     */
    void apply(final String topic, final int partition, final PartitionState state)
    {
        if (metadata.topic(topic) == null)
        {
            // Its settings not heard yet (a restarted node hears its own new decisions before the resync that
            // brings the topic): a replica made now would commit by the node's defaults, not the topic's. The
            // decision comes again after the topic.
            return;
        }
        metadata.onPartition(topic, partition, state);
        final int me = ctx.nodeId();
        if (state.leader() == me)
        {
            lead(topic, partition, state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr());
        }
        else if (state.hasLeader() && NodeSet.contains(NodeSet.of(state.replicas()), me))
        {
            follow(topic, partition, state.leader(), state.leaderEpoch());
        }
        else
        {
            // Under majority commit a replica left without a leader reports its log once stopped, for the election.
            final boolean reports = !state.hasLeader() && NodeSet.contains(NodeSet.of(state.replicas()), me) &&
                metadata.topic(topic).settings().commitRule() == CommitRule.MAJORITY;
            node.enqueue(now ->
            {
                final Topic held = ctx.logs().hasTopic(topic) ? ctx.logs().topic(topic) : null;
                final PartitionReplica replica = held == null ? null : table.find(held.topicId(), partition);
                if (replica != null)
                {
                    replica.stop(state.leaderEpoch());
                }
                if (held != null && reports)
                {
                    leaderless.stopped(topic, partition, state.leaderEpoch());
                }
            });
        }
    }

    /**
     * @see ReplicaNode#lead
     */
    void lead(final String topic, final int partition, final int leaderEpoch, final int partitionEpoch,
        final int[] replicas, final int[] isr)
    {
        final int[] replicaSet = replicas.clone();
        final int[] isrSet = isr.clone();
        node.enqueue(now ->
        {
            leaderless.led(topic, partition, leaderEpoch);
            topics.replica(topic, partition).lead(leaderEpoch, partitionEpoch, replicaSet, isrSet);
        });
    }

    /**
     * @see ReplicaNode#follow
     */
    void follow(final String topic, final int partition, final int leaderId, final int leaderEpoch)
    {
        node.enqueue(now ->
        {
            leaderless.led(topic, partition, leaderEpoch);
            topics.replica(topic, partition).follow(leaderId, leaderEpoch);
        });
    }

    /**
     * @see ReplicaNode#isrChanged
     */
    void isrChanged(final String topic, final int partition, final int partitionEpoch, final int[] isr)
    {
        final int[] isrSet = isr.clone();
        node.enqueue(now -> topics.replica(topic, partition).isrChanged(partitionEpoch, isrSet));
    }
}
