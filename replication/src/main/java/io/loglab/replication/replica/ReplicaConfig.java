package io.loglab.replication.replica;

/**
 * The settings a partition's replicas run with, by Kafka's names where Kafka has one.
 *
 * @param commitRule             when a record is committed.
 * @param minInsyncReplicas      {@code min.insync.replicas}: under {@link CommitRule#ISR}, the fewest in-sync
 *                               replicas (leader included) with which acks=all is taken and the high watermark moves.
 * @param replicaLagTimeMaxMs    {@code replica.lag.time.max.ms}: a follower that has not caught up with the leader's
 *                               log end for this long leaves the in-sync set.
 * @param bytesPerCycle          the most a leader sends one follower per duty cycle, so a follower catching up from
 *                               far behind never starves the others' live traffic.
 * @param heartbeatIntervalMs    the longest a leader leaves a follower without a message, and a follower its
 *                               leader without a position report.
 * @param resendTimeoutMs        how long a leader waits for a follower to report what it sent before it sends it
 *                               again from the follower's last reported position (messages can be lost).
 */
public record ReplicaConfig(
    CommitRule commitRule,
    int minInsyncReplicas,
    long replicaLagTimeMaxMs,
    int bytesPerCycle,
    long heartbeatIntervalMs,
    long resendTimeoutMs)
{
    public ReplicaConfig
    {
        if (commitRule == null)
        {
            throw new IllegalArgumentException("commit rule must be given");
        }
        require(minInsyncReplicas >= 1, "min.insync.replicas", minInsyncReplicas, "at least 1");
        require(replicaLagTimeMaxMs >= 1, "replica.lag.time.max.ms", replicaLagTimeMaxMs, "at least 1");
        require(bytesPerCycle >= 1, "bytes per cycle", bytesPerCycle, "at least 1");
        require(heartbeatIntervalMs >= 1, "heartbeat interval ms", heartbeatIntervalMs, "at least 1");
        require(resendTimeoutMs >= 1, "resend timeout ms", resendTimeoutMs, "at least 1");
    }

    /**
     * These settings with another commit rule and {@code min.insync.replicas}: a topic's own.
     */
    public ReplicaConfig forTopic(final CommitRule topicCommitRule, final int topicMinInsyncReplicas)
    {
        return new ReplicaConfig(topicCommitRule, topicMinInsyncReplicas, replicaLagTimeMaxMs, bytesPerCycle,
            heartbeatIntervalMs, resendTimeoutMs);
    }

    private static void require(final boolean valid, final String name, final long value, final String rule)
    {
        if (!valid)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not valid: must be " + rule);
        }
    }
}
