package io.loglab.replication.controller;

import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.NodeSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The controller as a deterministic state machine, the one that decides leadership (KRaft's role): nodes' heartbeats,
 * topic creations and deletions, leaders' in-sync set proposals, replicas' log reports and the time come in; topics to
 * make and delete and partitions' new states go out through {@link ControllerEffects}. No threads, clocks,
 * randomness or unordered iteration, so every member of a replicated controller (Aeron Cluster) computes the same
 * decisions from the same log, and tests drive it directly.
 * <p>
 * <b>Liveness</b> ({@link NodeLiveness}). A node is alive from its first heartbeat until
 * {@link ControllerConfig#nodeTimeoutMs} passes without one. A heartbeat of a newer incarnation is a restart: the old
 * incarnation is dead first (a restarted node holds no role), then the new one joins.
 * <p>
 * <b>Election.</b> When a leader dies, the first replica (in replica order) of the in-sync set that is alive leads,
 * with the leader epoch and partition epoch one higher and the dead node out of the in-sync set. With none alive the
 * partition has no leader and keeps its in-sync set, until one of its members returns and leads; or, where the topic
 * allows unclean election, the first live replica leads alone. A dead follower leaves the in-sync set of partitions
 * whose leader lives, so acks=all stops counting it at once.
 * <p>
 * <b>Election under majority commit</b> is Raft's "most up-to-date log wins" ({@link LogElection}), since a follower
 * in the in-sync set may lack records a majority has committed. The dead leader's partition is first left without a
 * leader, in a new leader epoch, which stops its replicas following anyone; each live replica then reports its log
 * ({@link #onLogReport}). Unclean election does not apply.
 * <p>
 * <b>In-sync set changes</b> are compare-and-set: taken only from the current leader, at the current leader and
 * partition epochs, holding the leader, only replicas, and adding only live nodes. Any other proposal is answered with
 * the partition's current state.
 */
public final class ControllerState
{
    private final ControllerEffects effects;
    private final NodeLiveness nodes;
    private final Map<String, TopicRecord> topics = new TreeMap<>();

    /**
     * @param election the logs reported while a partition has no leader, under majority commit.
     */
    private record TopicRecord(String name, UUID topicId, TopicSettings settings, PartitionState[] partitions,
        LogElection election)
    {
        boolean majority()
        {
            return settings.commitRule() == CommitRule.MAJORITY;
        }
    }

    public ControllerState(final ControllerConfig config, final ControllerEffects effects)
    {
        this.effects = effects;
        this.nodes = new NodeLiveness(config);
    }

    /**
     * Node {@code nodeId}'s incarnation {@code incarnation} is alive. Heartbeats of an older incarnation are ignored.
     */
    public void onHeartbeat(final int nodeId, final long incarnation, final long nowMs)
    {
        nodes.onHeartbeat(nodeId, incarnation, nowMs, this::onNodeDied, this::onNodeJoined);
    }

    /**
     * The time moved: nodes silent for longer than the timeout are dead.
     */
    public void onTime(final long nowMs)
    {
        // Every silent node is dead before any election, so none is elected on the way.
        nodes.expire(nowMs).forEach(this::onNodeDied);
    }

    /**
     * The controller itself changed (a new leader of its quorum): heartbeats could not arrive while it was being
     * chosen, so every live node has {@link ControllerConfig#newTermGraceMs} from now to be heard before it is dead
     * (it is not given less than it had left).
     */
    public void onNewTerm(final long nowMs)
    {
        nodes.grace(nowMs);
    }

    /**
     * The topic's id, or null if there is no such topic.
     */
    public UUID topicId(final String topic)
    {
        final TopicRecord record = topics.get(topic);
        return record == null ? null : record.topicId();
    }

    /**
     * Make a topic with its partitions' replicas spread over the live nodes, each partition led by its first.
     *
     * @return why it was not made, or null.
     */
    public String createTopic(final String name, final UUID topicId, final int partitionCount,
        final TopicSettings settings)
    {
        if (topics.containsKey(name))
        {
            return "topic " + name + " already exists";
        }
        if (partitionCount < 1)
        {
            return "partition count " + partitionCount + " must be at least 1";
        }
        final int[] live = nodes.liveNodes();
        if (live.length < settings.replicationFactor())
        {
            return "replication factor " + settings.replicationFactor() + " is more than the " + live.length +
                " live nodes";
        }
        final PartitionState[] partitions = new PartitionState[partitionCount];
        final int[][] replicas = new int[partitionCount][];
        for (int p = 0; p < partitionCount; p++)
        {
            final int[] assigned = new int[settings.replicationFactor()];
            for (int r = 0; r < assigned.length; r++)
            {
                assigned[r] = live[(p + r) % live.length];
            }
            replicas[p] = assigned;
            partitions[p] = new PartitionState(assigned, assigned[0], 0, 0, NodeSet.of(assigned));
        }
        final TopicRecord topic = new TopicRecord(name, topicId, settings, partitions,
            new LogElection(partitionCount));
        topics.put(name, topic);
        effects.topicCreated(name, topicId, partitionCount, settings, replicas);
        for (int p = 0; p < partitionCount; p++)
        {
            effects.partitionChanged(name, topicId, p, partitions[p]);
        }
        return null;
    }

    /**
     * Delete a topic: it is gone from the controller's state at once, and every node is told to stop its replicas and
     * delete its logs.
     *
     * @return why it was not deleted, or null.
     */
    public String deleteTopic(final String name)
    {
        final TopicRecord topic = topics.remove(name);
        if (topic == null)
        {
            return "topic " + name + " does not exist";
        }
        effects.topicDeleted(name, topic.topicId());
        return null;
    }

    /**
     * A leader's in-sync set proposal, based on {@code partitionEpoch}.
     *
     * @return true if it was taken.
     */
    public boolean onIsrProposal(final int leaderId, final String topic, final int partition, final int leaderEpoch,
        final int partitionEpoch, final int[] proposed)
    {
        final TopicRecord record = topics.get(topic);
        if (record == null || partition < 0 || partition >= record.partitions().length)
        {
            return false;
        }
        final PartitionState state = record.partitions()[partition];
        final int[] isr = NodeSet.of(proposed);
        final boolean taken = state.leader() == leaderId && state.leaderEpoch() == leaderEpoch &&
            state.partitionEpoch() == partitionEpoch && NodeSet.contains(isr, leaderId) &&
            NodeSet.containsAll(NodeSet.of(state.replicas()), isr) && addsOnlyLiveNodes(state.isr(), isr);
        if (taken)
        {
            change(record, partition, new PartitionState(state.replicas(), state.leader(), state.leaderEpoch(),
                state.partitionEpoch() + 1, isr));
        }
        else
        {
            effects.partitionChanged(topic, record.topicId(), partition, state);
        }
        return taken;
    }

    /**
     * Node {@code nodeId}'s incarnation {@code incarnation} holds a replica of a partition of a majority-commit topic
     * that has no leader in {@code leaderEpoch}, its log ending at {@code logEndOffset} in {@code latestEpoch}. Taken
     * only for that leaderless epoch, from a live replica's current incarnation; a later report replaces an earlier.
     * A majority of the replicas reported, the most up-to-date log leads.
     *
     * @return true if it was taken.
     */
    public boolean onLogReport(final int nodeId, final long incarnation, final String topic, final int partition,
        final int leaderEpoch, final int latestEpoch, final long logEndOffset)
    {
        final TopicRecord record = topics.get(topic);
        if (record == null || !record.majority() || partition < 0 || partition >= record.partitions().length)
        {
            return false;
        }
        final PartitionState state = record.partitions()[partition];
        if (state.hasLeader() || state.leaderEpoch() != leaderEpoch || !nodes.isCurrent(nodeId, incarnation) ||
            !NodeSet.contains(NodeSet.of(state.replicas()), nodeId))
        {
            return false;
        }
        record.election().report(partition, nodeId, incarnation, latestEpoch, logEndOffset);
        electByLogs(record, partition, state);
        return true;
    }

    /**
     * The partition's state, or null if there is no such topic or partition.
     */
    public PartitionState partition(final String topic, final int partition)
    {
        final TopicRecord record = topics.get(topic);
        return record == null || partition < 0 || partition >= record.partitions().length ? null :
            record.partitions()[partition];
    }

    /**
     * The settings {@code topic} was made with, or null if there is no such topic.
     */
    public TopicSettings settings(final String topic)
    {
        final TopicRecord record = topics.get(topic);
        return record == null ? null : record.settings();
    }

    /**
     * The topic's partition count, or 0 if there is no such topic.
     */
    public int partitionCount(final String topic)
    {
        final TopicRecord record = topics.get(topic);
        return record == null ? 0 : record.partitions().length;
    }

    public boolean isAlive(final int nodeId)
    {
        return nodes.isAlive(nodeId);
    }

    /**
     * The topics' names, in order.
     */
    public List<String> topics()
    {
        return new ArrayList<>(topics.keySet());
    }

    private boolean addsOnlyLiveNodes(final int[] current, final int[] proposed)
    {
        for (final int node : proposed)
        {
            if (!NodeSet.contains(current, node) && !isAlive(node))
            {
                return false;
            }
        }
        return true;
    }

    private void onNodeDied(final int nodeId)
    {
        forEachPartition((topic, p, state) ->
        {
            if (!NodeSet.contains(NodeSet.of(state.replicas()), nodeId))
            {
                return;
            }
            if (state.leader() == nodeId)
            {
                elect(topic, p, state, NodeSet.without(state.isr(), nodeId));
            }
            else if (state.hasLeader() && NodeSet.contains(state.isr(), nodeId))
            {
                change(topic, p, new PartitionState(state.replicas(), state.leader(), state.leaderEpoch(),
                    state.partitionEpoch() + 1, NodeSet.without(state.isr(), nodeId)));
            }
        });
    }

    private void onNodeJoined(final int nodeId)
    {
        forEachPartition((topic, p, state) ->
        {
            if (!NodeSet.contains(NodeSet.of(state.replicas()), nodeId))
            {
                return;
            }
            if (!state.hasLeader() && !topic.majority())
            {
                elect(topic, p, state, state.isr());
            }
            else
            {
                // The node holds no role yet (it has just started): tell it who leads, or, under majority commit
                // with no leader, that its log is asked for.
                effects.partitionChanged(topic.name(), topic.topicId(), p, state);
            }
        });
    }

    /**
     * Choose a leader among {@code candidates} (the in-sync set the election keeps), or, if none is alive and the
     * topic allows it, any live replica; with neither the partition has no leader and keeps its in-sync set.
     */
    private void elect(final TopicRecord topic, final int p, final PartitionState state, final int[] candidates)
    {
        if (topic.majority())
        {
            electByLogs(topic, p, state);
            return;
        }
        int leader = firstLive(state.replicas(), candidates);
        int[] isr = candidates;
        if (leader == PartitionState.NO_LEADER && topic.settings().uncleanLeaderElection())
        {
            leader = firstLive(state.replicas(), state.replicas());
            isr = leader == PartitionState.NO_LEADER ? candidates : new int[] {leader};
        }
        if (leader == PartitionState.NO_LEADER)
        {
            // Keep the last in-sync members, so one of them leads when it returns; the dead leader among them.
            isr = state.isr();
        }
        if (leader == state.leader() && Arrays.equals(isr, state.isr()))
        {
            return;
        }
        change(topic, p, new PartitionState(state.replicas(), leader, state.leaderEpoch() + 1,
            state.partitionEpoch() + 1, isr));
    }

    /**
     * Majority commit: a partition that has a leader (now dead) is left without one in the next leader epoch, and
     * its replicas are asked for their logs by that decision; one without a leader is led by the most up-to-date
     * live reporter once a majority of its replicas have reported in its epoch.
     */
    private void electByLogs(final TopicRecord topic, final int p, final PartitionState state)
    {
        if (state.hasLeader())
        {
            topic.election().clear(p);
            change(topic, p, new PartitionState(state.replicas(), PartitionState.NO_LEADER, state.leaderEpoch() + 1,
                state.partitionEpoch() + 1, NodeSet.without(state.isr(), state.leader())));
            return;
        }
        final int leader = topic.election().choose(p, state.replicas(), nodes::isCurrent);
        if (leader != PartitionState.NO_LEADER)
        {
            topic.election().clear(p);
            change(topic, p, new PartitionState(state.replicas(), leader, state.leaderEpoch() + 1,
                state.partitionEpoch() + 1, NodeSet.with(state.isr(), leader)));
        }
    }

    private int firstLive(final int[] replicas, final int[] candidates)
    {
        for (final int replica : replicas)
        {
            if (NodeSet.contains(candidates, replica) && isAlive(replica))
            {
                return replica;
            }
        }
        return PartitionState.NO_LEADER;
    }

    private void change(final TopicRecord topic, final int p, final PartitionState state)
    {
        topic.partitions()[p] = state;
        effects.partitionChanged(topic.name(), topic.topicId(), p, state);
    }

    @FunctionalInterface
    private interface PartitionVisitor
    {
        void visit(TopicRecord topic, int partition, PartitionState state);
    }

    private void forEachPartition(final PartitionVisitor visitor)
    {
        for (final TopicRecord topic : topics.values())
        {
            for (int p = 0; p < topic.partitions().length; p++)
            {
                visitor.visit(topic, p, topic.partitions()[p]);
            }
        }
    }
}
