package io.loglab.replication.controller;

import java.util.Arrays;

/**
 * What the controller decided for one partition: its replicas, its leader and in-sync set, and the two epochs that
 * order those decisions. The leader epoch moves with every change of leader (a replica's messages carry it); the
 * partition epoch with every change at all (in-sync set proposals compare-and-set on it).
 *
 * @param replicas       the nodes holding the partition, in order of preference for leadership.
 * @param leader         the leading node, or {@link #NO_LEADER} while no replica may lead.
 * @param isr            the in-sync set, sorted; it keeps its last members while there is no leader, so one of them
 *                       can lead again when it returns.
 */
public record PartitionState(int[] replicas, int leader, int leaderEpoch, int partitionEpoch, int[] isr)
{
    public static final int NO_LEADER = -1;

    public boolean hasLeader()
    {
        return leader != NO_LEADER;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof PartitionState that && leader == that.leader && leaderEpoch == that.leaderEpoch &&
            partitionEpoch == that.partitionEpoch && Arrays.equals(replicas, that.replicas) &&
            Arrays.equals(isr, that.isr);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * Arrays.hashCode(replicas) + Arrays.hashCode(isr)) + 31 * leader + leaderEpoch +
            partitionEpoch;
    }

    @Override
    public String toString()
    {
        return "leader=" + leader + " epoch=" + leaderEpoch + " partitionEpoch=" + partitionEpoch + " isr=" +
            Arrays.toString(isr) + " replicas=" + Arrays.toString(replicas);
    }
}
