package io.loglab.broker.group;

/**
 * A classic group's states, with the names Kafka's tools print.
 */
public enum GroupState
{
    /** No members; committed offsets may remain. */
    EMPTY("Empty"),
    /** Waiting for the members to (re)join. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Joined: waiting for the leader's assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** Deleted, or never existed: what DescribeGroups answers for an unknown group. */
    DEAD("Dead");

    private final String displayName;

    GroupState(final String displayName)
    {
        this.displayName = displayName;
    }

    public String displayName()
    {
        return displayName;
    }
}
