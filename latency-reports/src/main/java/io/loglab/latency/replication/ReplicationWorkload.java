package io.loglab.latency.replication;

import io.loglab.replication.replica.CommitRule;
import io.loglab.transport.aeron.DriverProfile;

/**
 * One replication configuration to measure: how many replicas, which acknowledgement and commit rule, how records
 * are batched, and the offered rate.
 *
 * @param replicationFactor  nodes holding the partition (one node per replica, in one JVM).
 * @param acksAll            acks=all (the high watermark passed the batch); else acks=1 (the leader wrote it).
 * @param recordBytes        each record's value.
 * @param batchRecords       the most records one batch holds: a batch takes every due record up to this.
 * @param recordsPerSecond   the fixed offered rate, or 0 for as fast as the acknowledgements allow (closed loop).
 * @param fsync              every replica fsyncs each write before it counts ({@code flush=every}); else the OS
 *                           writes back. Majority commit needs it: it counts only what is on a majority's storage.
 * @param driver             how each node's media driver runs.
 */
public record ReplicationWorkload(String name, int replicationFactor, boolean acksAll, CommitRule commitRule,
    int recordBytes, int batchRecords, long recordsPerSecond, boolean fsync, DriverProfile driver)
{
    public ReplicationWorkload
    {
        if (replicationFactor < 1 || replicationFactor > 5)
        {
            throw new IllegalArgumentException(name + ": replication factor " + replicationFactor + " must be 1 to 5");
        }
        if (commitRule == CommitRule.MAJORITY && !fsync)
        {
            throw new IllegalArgumentException(name + ": majority commit counts only fsynced records: it needs fsync");
        }
        if (recordBytes < 1 || batchRecords < 1 || recordsPerSecond < 0)
        {
            throw new IllegalArgumentException(name + ": record bytes and batch records must be at least 1, the " +
                "rate not negative");
        }
    }

    public String acks()
    {
        return acksAll ? "all" : "1";
    }

    public boolean isFixedRate()
    {
        return recordsPerSecond > 0;
    }
}
