package io.loglab.replication.replica;

/**
 * When a record counts as committed: the high watermark passes it, consumers may read it and acks=all answers.
 */
public enum CommitRule
{
    /**
     * Kafka's rule: the high watermark is the smallest log end offset over the leader and the in-sync replicas,
     * and it advances only while at least {@code min.insync.replicas} are in sync. No fsync is needed before a
     * follower reports; a follower that falls behind for {@code replica.lag.time.max.ms} leaves the set.
     */
    ISR,
    /**
     * Raft's rule: the high watermark is the largest offset a majority of all replicas have fsynced, counted only
     * once it lies in the current leader epoch. The slowest replica never sets the tail; every report is durable.
     */
    MAJORITY
}
