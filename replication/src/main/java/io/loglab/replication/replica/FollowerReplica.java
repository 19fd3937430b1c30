package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;

/**
 * A partition's follower replica of one leader in one leader epoch, as a state machine: the leader's messages, its
 * own log's progress and the time come in; position reports, truncations and the high watermark go out through
 * {@link FollowerEffects}. It holds no bytes: {@link #onRecords} says whether to append the message's batches, and
 * the runtime appends them through the partition's writer.
 * <p>
 * Its first duty cycle reports its log end and last epoch. If the leader answers that they diverge, it truncates where
 * Kafka's follower would (the smaller of where the epoch ends on the leader and here; where only an older epoch is
 * shared, to where that one ends here, and asks again), never to its own high watermark. Then it takes the leader's
 * batches only in order: one that does not start where the last taken one ended is ignored, and the follower asks to
 * be sent again from its log end. Messages from another leader or epoch, or an older incarnation of this leader,
 * are ignored. It reports after each append (the runtime says when one is written, or under
 * {@link CommitRule#MAJORITY} when fsynced) and at least every heartbeat interval.
 * <p>
 * Threading: one thread (the partition's) calls every method.
 */
public final class FollowerReplica
{
    private final int leaderId;
    private final int leaderEpoch;
    private final ReplicaConfig config;
    private final ReplicaLog log;
    private final FollowerEffects effects;
    private long leaderIncarnation = -1;
    private boolean truncating;
    /** The offset the next batch taken must start at: the log end plus the batches taken and not yet written. */
    private long expectedOffset;
    private long leaderHighWatermark;
    private long highWatermark;
    private long lastSentMs;
    private boolean resendAsked;

    /**
     * Follow {@code leaderId} in {@code leaderEpoch} from now on; the first {@link #doWork} reports.
     *
     * @param highWatermark the high watermark the log has.
     */
    public FollowerReplica(
        final int leaderId,
        final int leaderEpoch,
        final long highWatermark,
        final ReplicaConfig config,
        final ReplicaLog log,
        final FollowerEffects effects,
        final long nowMs)
    {
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
        this.config = config;
        this.log = log;
        this.effects = effects;
        this.highWatermark = highWatermark;
        this.leaderHighWatermark = highWatermark;
        this.expectedOffset = log.logEndOffset();
        // The first duty cycle reports, asking to be sent from the log end.
        this.resendAsked = true;
        this.lastSentMs = nowMs - config.heartbeatIntervalMs();
    }

    public int leaderId()
    {
        return leaderId;
    }

    public int leaderEpoch()
    {
        return leaderEpoch;
    }

    public long highWatermark()
    {
        return highWatermark;
    }

    /**
     * Batches from the leader, {@code [baseOffset, endOffset)}.
     *
     * @return true to append them now, after every batch taken before.
     */
    public boolean onRecords(
        final int leaderId,
        final long leaderIncarnation,
        final int epoch,
        final long baseOffset,
        final long endOffset,
        final long highWatermark,
        final long nowMs)
    {
        if (!fromLeader(leaderId, leaderIncarnation, epoch) || truncating)
        {
            return false;
        }
        if (baseOffset != expectedOffset || endOffset <= baseOffset)
        {
            if (!resendAsked)
            {
                expectedOffset = log.logEndOffset();
                report(true, nowMs);
            }
            return false;
        }
        expectedOffset = endOffset;
        resendAsked = false;
        leaderHighWatermark = Math.max(leaderHighWatermark, highWatermark);
        return true;
    }

    /**
     * A message without batches: the leader is alive, and its high watermark.
     */
    public void onHeartbeat(final int leaderId, final long leaderIncarnation, final int epoch,
        final long highWatermark, final long nowMs)
    {
        if (fromLeader(leaderId, leaderIncarnation, epoch))
        {
            leaderHighWatermark = Math.max(leaderHighWatermark, highWatermark);
            maybeAdvanceHighWatermark();
        }
    }

    /**
     * The leader says this log diverges from its own: {@code divergingEpoch} (the largest it has at most this log's
     * last) ends at {@code endOffset} there; with {@code truncateFully} this log lies before the leader's log start,
     * {@code endOffset}.
     */
    public void onDivergence(
        final int leaderId,
        final long leaderIncarnation,
        final int epoch,
        final int divergingEpoch,
        final long endOffset,
        final boolean truncateFully,
        final long nowMs)
    {
        if (!fromLeader(leaderId, leaderIncarnation, epoch) || truncating)
        {
            return;
        }
        truncating = true;
        if (truncateFully)
        {
            effects.truncateFullyAndStartAt(endOffset);
            return;
        }
        final LeaderEpochCache.EpochEndOffset here = log.endOffsetFor(divergingEpoch);
        final long to = here.epoch() == divergingEpoch ? Math.min(endOffset, here.endOffset()) :
            here.epoch() == LeaderEpochCache.UNDEFINED_EPOCH ? log.logStartOffset() : here.endOffset();
        effects.truncateTo(Math.min(to, log.logEndOffset()));
    }

    /**
     * A truncation asked for is done: report the log as it is now and be sent from its end.
     */
    public void onTruncated(final long nowMs)
    {
        truncating = false;
        expectedOffset = log.logEndOffset();
        highWatermark = Math.min(highWatermark, expectedOffset);
        report(true, nowMs);
    }

    /**
     * Batches taken were written (or, under {@link CommitRule#MAJORITY}, fsynced): report.
     */
    public void onAppended(final long nowMs)
    {
        maybeAdvanceHighWatermark();
        report(false, nowMs);
    }

    /**
     * The log refused a batch taken (it did not continue the log): everything taken after it is void; be sent again
     * from the log end.
     */
    public void onAppendRefused(final long nowMs)
    {
        expectedOffset = log.logEndOffset();
        report(true, nowMs);
    }

    /**
     * One duty cycle: report when the leader has heard nothing for a heartbeat interval.
     *
     * @return 1 if a report was sent, else 0.
     */
    public int doWork(final long nowMs)
    {
        if (truncating || nowMs - lastSentMs < config.heartbeatIntervalMs())
        {
            return 0;
        }
        // Still waiting to be sent what it asked for: the request or the answer may be lost, so ask again.
        report(resendAsked, nowMs);
        return 1;
    }

    private boolean fromLeader(final int leaderId, final long leaderIncarnation, final int epoch)
    {
        if (leaderId != this.leaderId || epoch != leaderEpoch || leaderIncarnation < this.leaderIncarnation)
        {
            return false;
        }
        this.leaderIncarnation = leaderIncarnation;
        return true;
    }

    private void maybeAdvanceHighWatermark()
    {
        final long candidate = Math.min(leaderHighWatermark, log.logEndOffset());
        if (candidate > highWatermark)
        {
            highWatermark = candidate;
            effects.highWatermark(candidate);
        }
    }

    private void report(final boolean resend, final long nowMs)
    {
        if (resend)
        {
            resendAsked = true;
            expectedOffset = log.logEndOffset();
        }
        lastSentMs = nowMs;
        effects.sendPosition(log.logEndOffset(), log.durableEndOffset(), log.latestEpoch(), resend);
    }
}
