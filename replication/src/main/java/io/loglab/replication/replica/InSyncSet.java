package io.loglab.replication.replica;

/**
 * A partition's in-sync set as its leader holds it: the controller's last word (members at a partition epoch) and
 * at most one change proposed to it, sent again until answered, since the proposal or its answer can be lost and
 * the controller answers a repeat with the partition as it is (compare-and-set on the partition epoch).
 * <p>
 * Threading: the leader's.
 */
final class InSyncSet
{
    private final LeaderEffects effects;
    private final long resendTimeoutMs;
    private int partitionEpoch;
    private int[] members;
    private int[] proposed;
    private long proposedAtMs;

    InSyncSet(final int partitionEpoch, final int[] members, final LeaderEffects effects, final long resendTimeoutMs)
    {
        this.partitionEpoch = partitionEpoch;
        this.members = NodeSet.of(members);
        this.effects = effects;
        this.resendTimeoutMs = resendTimeoutMs;
    }

    int partitionEpoch()
    {
        return partitionEpoch;
    }

    int[] members()
    {
        return members;
    }

    int size()
    {
        return members.length;
    }

    boolean contains(final int node)
    {
        return NodeSet.contains(members, node);
    }

    /**
     * The change waiting for the controller, or null.
     */
    int[] proposed()
    {
        return proposed;
    }

    void propose(final int[] set, final long nowMs)
    {
        proposed = set;
        proposedAtMs = nowMs;
        effects.proposeIsr(partitionEpoch, set);
    }

    /**
     * Send the pending proposal again when it has gone unanswered for the resend timeout.
     *
     * @return 1 if sent, else 0.
     */
    int repeatIfDue(final long nowMs)
    {
        if (proposed == null || nowMs - proposedAtMs < resendTimeoutMs)
        {
            return 0;
        }
        propose(proposed, nowMs);
        return 1;
    }

    /**
     * The controller's word: the members at {@code partitionEpoch}; older news is ignored.
     *
     * @return true if taken.
     */
    boolean adopt(final int partitionEpoch, final int[] members)
    {
        if (partitionEpoch < this.partitionEpoch)
        {
            return false;
        }
        this.partitionEpoch = partitionEpoch;
        this.members = NodeSet.of(members);
        proposed = null;
        return true;
    }
}
