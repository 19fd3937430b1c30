package io.loglab.replication.node;

import io.loglab.engine.partition.Partition;

import java.util.function.LongConsumer;

/**
 * Whether a partition's log takes leader appends, as its writer shard has been told: a new leader has the shard
 * stamp its epoch into every append from then on and leads once that is done, so its epoch starts exactly at the log
 * end; a replica that stops leading has the shard resign before any other role starts, so a producer's batch queued
 * before the leadership moved never lands after the next role's truncation. Both are shard commands, answered
 * through the node's command queue.
 * <p>
 * Threading: the node's thread only.
 */
final class LogLeadership
{
    private final ReplicaNode node;
    private final Partition partition;
    /** Told, on the node's thread, the moment the log leads in a newly stamped epoch. */
    private final LongConsumer onStamped;
    /** The leader epoch the shard was last told to stamp; -1 for none since the last resignation. */
    private int stampedEpoch = -1;
    private boolean stamping;
    private boolean resigning;
    /** An epoch was stamped (or is being) since the last resignation, so the log may take leader appends. */
    private boolean mayLead;
    /** The leader epoch whose failed stamp was last reported; -1 for none. */
    private int stampFailureReported = -1;

    /**
     * @param onStamped given the time when a stamp is done, so the leader can serve before any command after it: an
     *                  acks=all wait for an append the log took in the new epoch finds it leading.
     */
    LogLeadership(final ReplicaNode node, final Partition partition, final LongConsumer onStamped)
    {
        this.node = node;
        this.partition = partition;
        this.onStamped = onStamped;
    }

    /**
     * Whether the shard is taking leader appends away from the log: no new role starts until it has.
     */
    boolean isResigning()
    {
        return resigning;
    }

    /**
     * Whether the log leads in {@code leaderEpoch}; if not, have the shard stamp it (once at a time; a failed stamp is
     * reported once per epoch and tried again on the next call, while this is still the decision, since the
     * controller counts this node the leader).
     */
    boolean leadsIn(final int leaderEpoch)
    {
        if (stampedEpoch == leaderEpoch)
        {
            return true;
        }
        if (!stamping)
        {
            stamping = true;
            mayLead = true;
            partition.leaderEpoch(leaderEpoch).whenComplete((done, failure) -> node.enqueue(now ->
            {
                stamping = false;
                if (failure != null)
                {
                    if (stampFailureReported != leaderEpoch)
                    {
                        stampFailureReported = leaderEpoch;
                        node.onError(failure);
                    }
                }
                else if (mayLead)
                {
                    // Not resigned since: the log leads in this epoch.
                    stampedEpoch = Math.max(stampedEpoch, leaderEpoch);
                    onStamped.accept(now);
                }
            }));
        }
        return false;
    }

    /**
     * Have the shard refuse leader appends from now on, if it may take them; a failure (a log refused or closing) is
     * reported and the next role starts all the same, since such a log takes no appends at all.
     */
    void resign()
    {
        if (!mayLead)
        {
            return;
        }
        resigning = true;
        mayLead = false;
        stampedEpoch = -1;
        partition.resign().whenComplete((done, failure) -> node.enqueue(now ->
        {
            resigning = false;
            if (failure != null)
            {
                node.onError(failure);
            }
        }));
    }
}
