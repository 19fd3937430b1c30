package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;

/**
 * A follower's report checked against the leader's log, as Kafka's leader answers a fetch's last fetched epoch: the
 * follower's last epoch ends here where the leader's epochs say, and a follower log that ends past that, or holds
 * an epoch the leader never had, diverges and is told where to truncate. A follower log that ends before the
 * leader's log start starts over at it.
 * <p>
 * Threading: the leader's.
 */
final class DivergenceCheck
{
    private final int leaderEpoch;
    private final long epochStartOffset;
    private final ReplicaLog log;
    private final LeaderEffects effects;

    DivergenceCheck(final int leaderEpoch, final long epochStartOffset, final ReplicaLog log,
        final LeaderEffects effects)
    {
        this.leaderEpoch = leaderEpoch;
        this.epochStartOffset = epochStartOffset;
        this.log = log;
        this.effects = effects;
    }

    /**
     * Does the follower's log, ending at {@code logEndOffset} with a batch of {@code latestEpoch}, disagree with the
     * leader's? If so it is told where.
     */
    boolean diverges(final int follower, final long logEndOffset, final int latestEpoch)
    {
        final long logStart = log.logStartOffset();
        if (logEndOffset < logStart)
        {
            effects.sendDivergence(follower, LeaderEpochCache.UNDEFINED_EPOCH, logStart, true);
            return true;
        }
        if (latestEpoch == LeaderEpochCache.UNDEFINED_EPOCH)
        {
            // An empty log, or one whose batches predate every epoch: it agrees if it ends where the leader's starts.
            if (logEndOffset == logStart)
            {
                return false;
            }
            effects.sendDivergence(follower, LeaderEpochCache.UNDEFINED_EPOCH, logStart, true);
            return true;
        }
        final LeaderEpochCache.EpochEndOffset end = endOffsetFor(latestEpoch);
        if (end.epoch() == LeaderEpochCache.UNDEFINED_EPOCH)
        {
            effects.sendDivergence(follower, LeaderEpochCache.UNDEFINED_EPOCH, logStart, true);
            return true;
        }
        if (end.epoch() != latestEpoch || end.endOffset() < logEndOffset)
        {
            effects.sendDivergence(follower, end.epoch(), end.endOffset(), false);
            return true;
        }
        return false;
    }

    /**
     * Where {@code epoch} ends in the leader's log, counting this leader's own epoch from its start even before its
     * first batch is written (Kafka records a new leader's epoch before it writes).
     */
    private LeaderEpochCache.EpochEndOffset endOffsetFor(final int epoch)
    {
        if (epoch >= leaderEpoch)
        {
            return new LeaderEpochCache.EpochEndOffset(leaderEpoch, log.logEndOffset());
        }
        final LeaderEpochCache.EpochEndOffset end = log.endOffsetFor(epoch);
        if (end.epoch() == LeaderEpochCache.UNDEFINED_EPOCH && log.latestEpoch() != LeaderEpochCache.UNDEFINED_EPOCH &&
            log.latestEpoch() < epoch)
        {
            // Newer than every batch here, older than this leader's epoch: the log's latest epoch ends where this
            // one starts.
            return new LeaderEpochCache.EpochEndOffset(log.latestEpoch(), epochStartOffset);
        }
        return end;
    }
}
