package io.loglab.replication.node;

import java.util.Arrays;
import java.util.UUID;

/**
 * One partition's replica on one node as it stood when asked: for {@code cluster status} and tests.
 *
 * @param leaderId      the leader this replica knows: itself when leading, -1 with no role.
 * @param isr           the in-sync set, as the leader has it; empty on a follower.
 * @param highWatermark as this replica knows it.
 */
public record ReplicaStatus(UUID topicId, int partition, Role role, int leaderId, int leaderEpoch, int[] isr,
    long highWatermark, long logEndOffset)
{
    public enum Role
    {
        LEADER,
        FOLLOWER,
        NONE
    }

    @Override
    public String toString()
    {
        return "partition " + partition + " " + role.name().toLowerCase() + " leader=" + leaderId + " epoch=" +
            leaderEpoch + " isr=" + Arrays.toString(isr) + " hw=" + highWatermark + " leo=" + logEndOffset;
    }
}
