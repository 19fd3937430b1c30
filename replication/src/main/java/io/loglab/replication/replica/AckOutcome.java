package io.loglab.replication.replica;

/**
 * How an acks=all append that waited for the high watermark ends.
 */
public enum AckOutcome
{
    /** The high watermark passed it: committed. */
    COMMITTED,
    /** Written, but the in-sync set fell below {@code min.insync.replicas} before it was committed (Kafka's error). */
    NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    /** This replica stopped leading before it was committed: its fate is the next leader's. */
    NOT_LEADER_OR_FOLLOWER
}
