package io.loglab.replication.node;

import io.loglab.engine.log.LeaderEpochCache;
import io.loglab.engine.log.ReadableLog;
import io.loglab.replication.replica.ReplicaLog;

/**
 * A replica state machine's view of its partition's log, read on the node thread from what the partition's writer
 * publishes (release/acquire): the log end before the epochs, so the epoch a follower reports is never older than the
 * batches below the log end it reports with it.
 */
final class PartitionLogView implements ReplicaLog
{
    private final ReadableLog log;

    PartitionLogView(final ReadableLog log)
    {
        this.log = log;
    }

    @Override
    public long logStartOffset()
    {
        return log.logStartOffset();
    }

    @Override
    public long logEndOffset()
    {
        return log.logEndOffset();
    }

    @Override
    public long durableEndOffset()
    {
        return log.durableEndOffset();
    }

    @Override
    public int latestEpoch()
    {
        return log.epochCache().latestEpoch();
    }

    @Override
    public LeaderEpochCache.EpochEndOffset endOffsetFor(final int epoch)
    {
        final long logEnd = log.logEndOffset();
        return log.epochCache().endOffsetFor(epoch, logEnd);
    }
}
