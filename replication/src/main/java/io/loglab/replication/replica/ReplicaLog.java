package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;

/**
 * What a replica state machine reads of its own log: offsets and leader epochs, never bytes. The runtime answers from
 * the partition's log; a simulation from its model of one.
 */
public interface ReplicaLog
{
    long logStartOffset();

    /**
     * The offset the next batch will take: everything below it is written (the page cache).
     */
    long logEndOffset();

    /**
     * Everything below it is fsynced.
     */
    long durableEndOffset();

    /**
     * The epoch of the log's last batch, or {@link LeaderEpochCache#UNDEFINED_EPOCH} for a log without one.
     */
    int latestEpoch();

    /**
     * Where {@code epoch} ended in this log, as {@link LeaderEpochCache#endOffsetFor} answers.
     */
    LeaderEpochCache.EpochEndOffset endOffsetFor(int epoch);
}
