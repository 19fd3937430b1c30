package io.loglab.replication.controller;

import io.loglab.replication.replica.CommitRule;

/**
 * The settings the controller keeps for a replicated topic.
 *
 * @param replicationFactor      how many nodes hold each partition.
 * @param minInsyncReplicas      {@code min.insync.replicas}, for the replicas.
 * @param uncleanLeaderElection  {@code unclean.leader.election.enable}: with no in-sync replica alive, let any
 *                               replica lead, losing what only the in-sync ones had.
 * @param commitRule             when its records are committed: Kafka's in-sync set, or a majority's storage.
 */
public record TopicSettings(int replicationFactor, int minInsyncReplicas, boolean uncleanLeaderElection,
    CommitRule commitRule)
{

    public TopicSettings
    {
        if (replicationFactor < 1)
        {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " must be at least 1");
        }
        if (commitRule == null)
        {
            throw new IllegalArgumentException("a commit rule must be given");
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor)
        {
            throw new IllegalArgumentException("min.insync.replicas=" + minInsyncReplicas + " must be 1 to the " +
                "replication factor " + replicationFactor);
        }
    }
}
