package io.loglab.replication.node;

import io.loglab.engine.partition.Partition;
import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.DirectBuffer;

import java.util.UUID;

/**
 * One partition's replica on this node, in the role the controller last gave it: leading ({@link LeaderRole}),
 * following ({@link FollowerRole}), or neither. A new role waits until the old one's appends and truncation are
 * answered; a new leader first has its log lead in its epoch, and a leader that steps down has its log resign
 * before any other role starts ({@link LogLeadership}): the log takes producers' batches only while it leads.
 * <p>
 * The high watermark is raised on the log from this thread (a compare-and-set the engine allows replication), before
 * the acks=all appends it commits are answered, so a producer told "committed" finds its records readable.
 * <p>
 * Threading: the node's thread only; the shard's answers come back through the node's command queue.
 */
final class PartitionReplica
{
    private final ReplicaNode node;
    private final UUID topicId;
    private final int index;
    private final Partition partition;
    private final PartitionLogView logView;
    private final ReplicaConfig config;
    private final ReplicaCounters counters;
    private LeaderRole leader;
    private FollowerRole follower;
    /** The role that goes on being served until it is quiet. */
    private FollowerRole leaving;
    private Role pending;
    /** The newest leader epoch a decision named. */
    private int knownLeaderEpoch = -1;
    private final LogLeadership logLeadership;

    private record Role(boolean lead, int leaderId, int leaderEpoch, int partitionEpoch, int[] replicas, int[] isr)
    {
    }

    PartitionReplica(final ReplicaNode node, final UUID topicId, final int index, final Partition partition,
        final ReplicaConfig config)
    {
        this.node = node;
        this.topicId = topicId;
        this.index = index;
        this.partition = partition;
        this.logView = new PartitionLogView(partition.log());
        this.config = config;
        this.counters = new ReplicaCounters(node.counters(), partition.topic(), topicId, index);
        this.logLeadership = new LogLeadership(node, partition, this::startPendingRole);
    }

    /**
     * Publish what this replica is now in its counters, for other processes to read.
     */
    void publishStatus()
    {
        counters.update(status());
    }

    /**
     * Free the replica's counters: its node stops.
     */
    void closeCounters()
    {
        counters.close();
    }

    /**
     * Lead from the log end in {@code leaderEpoch}, once the current role is quiet.
     */
    void lead(final int leaderEpoch, final int partitionEpoch, final int[] replicas, final int[] isr)
    {
        if (isStale(leaderEpoch))
        {
            return;
        }
        if (leader != null && leader.state().leaderEpoch() == leaderEpoch)
        {
            leader.state().onIsrChanged(partitionEpoch, isr);
        }
        else if (pending == null || !pending.lead() || pending.leaderEpoch() != leaderEpoch ||
            pending.partitionEpoch() < partitionEpoch)
        {
            stopRole();
            pending = new Role(true, node.nodeId(), leaderEpoch, partitionEpoch, replicas, isr);
        }
    }

    /**
     * Follow {@code leaderId} in {@code leaderEpoch}, once the current role is quiet.
     */
    void follow(final int leaderId, final int leaderEpoch)
    {
        if (isStale(leaderEpoch))
        {
            return;
        }
        final boolean following = follower != null && follower.state().leaderId() == leaderId &&
            follower.state().leaderEpoch() == leaderEpoch;
        final boolean pendingSame = pending != null && !pending.lead() && pending.leaderId() == leaderId &&
            pending.leaderEpoch() == leaderEpoch;
        if (!following && !pendingSame)
        {
            stopRole();
            pending = new Role(false, leaderId, leaderEpoch, -1, null, null);
        }
    }

    /**
     * Hold no role: the partition has no leader in {@code leaderEpoch}, or this node no longer holds it.
     */
    void stop(final int leaderEpoch)
    {
        if (!isStale(leaderEpoch))
        {
            stopRole();
            pending = null;
        }
    }

    /**
     * Is a decision for {@code leaderEpoch} older than one taken already? Decisions may arrive twice or out of order
     * (a controller failing over repeats what it decided); only the newest counts.
     */
    private boolean isStale(final int leaderEpoch)
    {
        if (leaderEpoch < knownLeaderEpoch)
        {
            return true;
        }
        knownLeaderEpoch = leaderEpoch;
        return false;
    }

    void isrChanged(final int partitionEpoch, final int[] isr)
    {
        if (leader != null)
        {
            leader.state().onIsrChanged(partitionEpoch, isr);
        }
    }

    void awaitCommit(final long endOffset, final int leaderEpoch, final long token)
    {
        if (leader != null && leaderEpoch >= 0 && leader.state().leaderEpoch() != leaderEpoch)
        {
            // Written in another leadership: what this epoch holds at those offsets may be other records.
            acknowledge(token, AckOutcome.NOT_LEADER_OR_FOLLOWER);
        }
        else if (leader != null && !leader.state().acceptsAcksAll())
        {
            // Too few in sync to commit it: answered now, not when a follower returns (Kafka's producer would time
            // out instead; the broker refuses acks=all before appending in this state).
            acknowledge(token, AckOutcome.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        }
        else if (leader != null)
        {
            leader.state().awaitCommit(endOffset, token);
        }
        else
        {
            acknowledge(token, AckOutcome.NOT_LEADER_OR_FOLLOWER);
        }
    }

    int doWork(final long nowMs)
    {
        int work = 0;
        if (leaving != null)
        {
            work += leaving.doWork(nowMs);
            if (leaving.isQuiet())
            {
                leaving = null;
            }
        }
        work += startPendingRole(nowMs);
        if (leader != null)
        {
            work += leader.doWork(nowMs);
        }
        else if (follower != null)
        {
            work += follower.doWork(nowMs);
        }
        return work;
    }

    /**
     * A message for this partition, checked already ({@link ReplicaMessages#check}).
     *
     * @return false if it was refused as bad bytes.
     */
    boolean onMessage(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        final short type = ReplicaMessages.type(buffer, offset);
        if (type == ReplicaMessages.POSITION)
        {
            if (leader != null)
            {
                leader.onPosition(buffer, offset, nowMs);
            }
            return true;
        }
        if (follower == null)
        {
            return true;
        }
        return switch (type)
        {
            case ReplicaMessages.RECORDS -> follower.onRecords(buffer, offset, length, nowMs);
            case ReplicaMessages.HEARTBEAT ->
            {
                follower.onHeartbeat(buffer, offset, nowMs);
                yield true;
            }
            default ->
            {
                follower.onDivergence(buffer, offset, nowMs);
                yield true;
            }
        };
    }

    /**
     * Raise the log's high watermark: consumers may read below it from now on.
     */
    void publishHighWatermark(final long highWatermark)
    {
        try
        {
            partition.highWatermark(highWatermark);
        }
        catch (final RuntimeException unavailable)
        {
            // The log cannot be opened or was refused: reported, and the replicas go on (the records are committed
            // on the in-sync replicas; only this log does not show it).
            node.onError(unavailable);
        }
    }

    void acknowledge(final long token, final AckOutcome outcome)
    {
        node.acknowledge(topicId, index, token, outcome);
    }

    void proposeIsr(final int partitionEpoch, final int[] isr)
    {
        node.proposeIsr(partition.topic(), index, leader.state().leaderEpoch(), partitionEpoch, isr);
    }

    /**
     * What this replica is now, for status lines: its role, epoch, in-sync set and high watermark.
     */
    ReplicaStatus status()
    {
        if (leader != null)
        {
            return new ReplicaStatus(topicId, index, ReplicaStatus.Role.LEADER, node.nodeId(),
                leader.state().leaderEpoch(), leader.state().isr(), leader.state().highWatermark(),
                logView.logEndOffset());
        }
        if (follower != null)
        {
            return new ReplicaStatus(topicId, index, ReplicaStatus.Role.FOLLOWER, follower.state().leaderId(),
                follower.state().leaderEpoch(), new int[0], follower.state().highWatermark(), logView.logEndOffset());
        }
        return new ReplicaStatus(topicId, index, ReplicaStatus.Role.NONE, -1, -1, new int[0],
            partition.log().highWatermark(), logView.logEndOffset());
    }

    /**
     * No role's work is left in flight: no former follower's appends still being written (each would report its
     * position to the old leader) and no resignation under way.
     */
    boolean isQuiet()
    {
        return leaving == null && !logLeadership.isResigning();
    }

    private void stopRole()
    {
        if (leader != null)
        {
            leader.state().resign();
            leader = null;
            node.metadata().onLed(partition.topic(), index, ClusterMetadata.NOT_LED);
        }
        logLeadership.resign();
        if (follower != null)
        {
            leaving = follower;
            follower = null;
        }
    }

    /**
     * Start the role decided, if nothing holds it back: the old role is quiet and the log not resigning.
     */
    private int startPendingRole(final long nowMs)
    {
        return pending != null && leaving == null && !logLeadership.isResigning() ? startRole(nowMs) : 0;
    }

    private int startRole(final long nowMs)
    {
        final Role role = pending;
        if (!role.lead())
        {
            pending = null;
            follower = new FollowerRole(this, role.leaderId(), role.leaderEpoch(), nowMs);
            return 1;
        }
        if (logLeadership.leadsIn(role.leaderEpoch()))
        {
            pending = null;
            leader = new LeaderRole(this, role.leaderEpoch(), role.partitionEpoch(), role.replicas(), role.isr(),
                nowMs);
            node.metadata().onLed(partition.topic(), index, role.leaderEpoch());
            return 1;
        }
        return 0;
    }

    ReplicaNode node()
    {
        return node;
    }

    int nodeId()
    {
        return node.nodeId();
    }

    UUID topicId()
    {
        return topicId;
    }

    int index()
    {
        return index;
    }

    Partition partition()
    {
        return partition;
    }

    PartitionLogView logView()
    {
        return logView;
    }

    ReplicaConfig config()
    {
        return config;
    }

    ReplicaSender sender()
    {
        return node.sender();
    }
}
