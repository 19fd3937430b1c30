package io.loglab.replication.replica;

import java.util.Arrays;

/**
 * A partition's leader replica for one leader epoch, as a state machine: follower reports, its own appends, the
 * controller's answers and the time come in; records to stream, the high watermark, acknowledgements and in-sync
 * set proposals go out through {@link LeaderEffects}. No threads, clocks or I/O of its own, so the same code runs in
 * the node and in the deterministic simulation.
 * <p>
 * Each follower is a cursor into the leader's log ({@link FollowerCursor}): a new, restarted or lagging follower is
 * only a cursor further behind, sent from the same loop as live traffic within {@link ReplicaConfig#bytesPerCycle}.
 * A follower's first report in the epoch, and any report after a gap, is checked against the leader's epochs
 * (Kafka's truncation on fetch: its last epoch in, where that epoch ends here out); streaming starts only once they
 * agree. Reports of another epoch or of an older incarnation of the follower are ignored.
 * <p>
 * The high watermark follows the {@link CommitRule} and never goes back. acks=all appends are answered in offset
 * order as it passes them; under {@link CommitRule#ISR} an in-sync set that falls below {@code min.insync.replicas}
 * answers those waiting with {@link AckOutcome#NOT_ENOUGH_REPLICAS_AFTER_APPEND}. In-sync set changes go to the
 * controller one at a time, compare-and-set on the partition epoch; while one is pending the high watermark counts
 * the members of both (Kafka's maximal ISR), so neither a shrink nor an expansion commits too early.
 * <p>
 * Threading: one thread (the partition's) calls every method.
 */
public final class LeaderReplica
{
    private final int nodeId;
    private final int leaderEpoch;
    private final long epochStartOffset;
    private final ReplicaConfig config;
    private final ReplicaLog log;
    private final LeaderEffects effects;
    private final FollowerCursor[] followers;
    /** Each replica's durable log end, sorted in place to find the majority's. */
    private final long[] durableScratch;
    private final InSyncSet isr;
    private final DivergenceCheck divergence;
    private final CommitWaiters waiters;
    private long highWatermark;
    private boolean resigned;

    /**
     * Lead from now on. The log ends where this epoch starts.
     *
     * @param replicas      every replica of the partition, this node included.
     * @param isr           the in-sync set the controller gave with the leadership, this node included.
     * @param highWatermark the high watermark the log has: the leader moves it only forward from there.
     */
    public LeaderReplica(
        final int nodeId,
        final int leaderEpoch,
        final int partitionEpoch,
        final int[] replicas,
        final int[] isr,
        final long highWatermark,
        final ReplicaConfig config,
        final ReplicaLog log,
        final LeaderEffects effects,
        final long nowMs)
    {
        final int[] replicaSet = NodeSet.of(replicas);
        final int[] isrSet = NodeSet.of(isr);
        if (!NodeSet.contains(isrSet, nodeId) || !NodeSet.containsAll(replicaSet, isrSet))
        {
            throw new IllegalArgumentException("leader " + nodeId + " with replicas " + Arrays.toString(replicas) +
                " and in-sync set " + Arrays.toString(isr) + ": the set must hold the leader and only replicas");
        }
        this.nodeId = nodeId;
        this.leaderEpoch = leaderEpoch;
        this.isr = new InSyncSet(partitionEpoch, isrSet, effects, config.resendTimeoutMs());
        this.waiters = new CommitWaiters(effects);
        this.config = config;
        this.log = log;
        this.effects = effects;
        this.epochStartOffset = log.logEndOffset();
        this.divergence = new DivergenceCheck(leaderEpoch, epochStartOffset, log, effects);
        this.highWatermark = Math.min(highWatermark, epochStartOffset);
        this.durableScratch = new long[replicaSet.length];
        this.followers = Arrays.stream(replicaSet).filter(node -> node != nodeId)
            .mapToObj(node -> new FollowerCursor(node, nowMs)).toArray(FollowerCursor[]::new);
    }

    public int leaderEpoch()
    {
        return leaderEpoch;
    }

    public long highWatermark()
    {
        return highWatermark;
    }

    public int partitionEpoch()
    {
        return isr.partitionEpoch();
    }

    public int[] isr()
    {
        return isr.members().clone();
    }

    /**
     * May an acks=all batch be appended now? Under {@link CommitRule#ISR} not while the in-sync set is smaller than
     * {@code min.insync.replicas}: it is refused before it is written (Kafka's NOT_ENOUGH_REPLICAS).
     */
    public boolean acceptsAcksAll()
    {
        return !resigned && (config.commitRule() != CommitRule.ISR || isr.size() >= config.minInsyncReplicas());
    }

    /**
     * An acks=all batch was appended and ends before {@code endOffset}: answer {@code token} when it is committed.
     * Appends are given in offset order.
     */
    public void awaitCommit(final long endOffset, final long token)
    {
        if (resigned)
        {
            effects.acknowledge(token, AckOutcome.NOT_LEADER_OR_FOLLOWER);
        }
        else
        {
            waiters.await(endOffset, token, highWatermark);
        }
    }

    /**
     * The leader's own log moved: an append was written or fsynced.
     */
    public void onAppended()
    {
        maybeAdvanceHighWatermark();
    }

    /**
     * A follower reported its log.
     *
     * @param resend the follower asks to be sent from its log end again (a gap, a restart, a truncation).
     */
    public void onPosition(
        final int follower,
        final long incarnation,
        final int epoch,
        final long logEndOffset,
        final long durableEndOffset,
        final int latestEpoch,
        final boolean resend,
        final long nowMs)
    {
        final FollowerCursor cursor = cursor(follower);
        if (resigned || cursor == null || epoch != leaderEpoch || incarnation < cursor.incarnation)
        {
            return;
        }
        if (incarnation > cursor.incarnation)
        {
            cursor.restarted(incarnation);
        }
        if (!cursor.isStreaming() || resend)
        {
            if (divergence.diverges(cursor.nodeId, logEndOffset, latestEpoch))
            {
                cursor.diverged(nowMs);
                return;
            }
            cursor.sendOffset = logEndOffset;
            cursor.lastProgressMs = nowMs;
        }
        cursor.reported(logEndOffset, durableEndOffset, log.logEndOffset(), nowMs);
        maybeExpandIsr(cursor, nowMs);
        maybeAdvanceHighWatermark();
    }

    /**
     * The controller's answer to a proposal, or news of a change: the partition's in-sync set at
     * {@code partitionEpoch}. Older news is ignored.
     */
    public void onIsrChanged(final int partitionEpoch, final int[] isr)
    {
        if (resigned || !this.isr.adopt(partitionEpoch, isr))
        {
            return;
        }
        if (config.commitRule() == CommitRule.ISR && this.isr.size() < config.minInsyncReplicas())
        {
            waiters.answerAll(AckOutcome.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        }
        maybeAdvanceHighWatermark();
    }

    /**
     * One duty cycle: stream to each follower within its byte budget, send heartbeats that are due, go back for
     * what a follower has not confirmed in time, and propose removing followers that stayed behind.
     *
     * @return how many sends and proposals were made: 0 when there was nothing to do.
     */
    public int doWork(final long nowMs)
    {
        if (resigned)
        {
            return 0;
        }
        int work = 0;
        final long logEnd = log.logEndOffset();
        for (final FollowerCursor cursor : followers)
        {
            work += stream(cursor, logEnd, nowMs);
        }
        return work + maybeShrinkIsr(nowMs) + isr.repeatIfDue(nowMs);
    }

    /**
     * Stop leading (a newer epoch, or the partition moved): whatever waits is answered as not committed here.
     */
    public void resign()
    {
        resigned = true;
        waiters.answerAll(AckOutcome.NOT_LEADER_OR_FOLLOWER);
    }

    private int stream(final FollowerCursor cursor, final long logEnd, final long nowMs)
    {
        if (cursor.isStreaming() && cursor.sendOffset > cursor.logEndOffset &&
            nowMs - cursor.lastProgressMs >= config.resendTimeoutMs())
        {
            cursor.sendOffset = cursor.logEndOffset;
            cursor.lastProgressMs = nowMs;
        }
        if (cursor.isStreaming() && cursor.sendOffset < logEnd)
        {
            final long next = effects.sendRecords(cursor.nodeId, cursor.sendOffset, config.bytesPerCycle(),
                highWatermark);
            if (next > cursor.sendOffset)
            {
                cursor.sendOffset = next;
                cursor.lastSentMs = nowMs;
                cursor.sentHighWatermark = highWatermark;
                return 1;
            }
            return 0;
        }
        if (nowMs - cursor.lastSentMs >= config.heartbeatIntervalMs() ||
            (cursor.isStreaming() && cursor.sentHighWatermark < highWatermark))
        {
            // A follower learns the high watermark only for the part of its log known to agree with this one's.
            effects.sendHeartbeat(cursor.nodeId,
                cursor.isStreaming() ? Math.min(highWatermark, cursor.sendOffset) : FollowerCursor.UNKNOWN);
            cursor.lastSentMs = nowMs;
            cursor.sentHighWatermark = highWatermark;
            return 1;
        }
        return 0;
    }

    private void maybeExpandIsr(final FollowerCursor cursor, final long nowMs)
    {
        if (isr.proposed() == null && !isr.contains(cursor.nodeId) && cursor.logEndOffset >= highWatermark &&
            cursor.logEndOffset >= epochStartOffset)
        {
            isr.propose(NodeSet.with(isr.members(), cursor.nodeId), nowMs);
        }
    }

    private int maybeShrinkIsr(final long nowMs)
    {
        if (isr.proposed() != null || !anyFallenBehind(nowMs))
        {
            return 0;
        }
        int[] kept = new int[] {nodeId};
        for (final int member : isr.members())
        {
            final FollowerCursor cursor = cursor(member);
            if (cursor != null && !fellBehind(cursor, nowMs))
            {
                kept = NodeSet.with(kept, member);
            }
        }
        isr.propose(kept, nowMs);
        return 1;
    }

    private boolean anyFallenBehind(final long nowMs)
    {
        for (final FollowerCursor cursor : followers)
        {
            if (fellBehind(cursor, nowMs) && isr.contains(cursor.nodeId))
            {
                return true;
            }
        }
        return false;
    }

    private boolean fellBehind(final FollowerCursor cursor, final long nowMs)
    {
        return nowMs - cursor.lastCaughtUpMs > config.replicaLagTimeMaxMs();
    }

    private void maybeAdvanceHighWatermark()
    {
        final long candidate = config.commitRule() == CommitRule.ISR ? isrHighWatermark() : majorityHighWatermark();
        if (candidate <= highWatermark)
        {
            return;
        }
        highWatermark = candidate;
        effects.highWatermark(candidate);
        waiters.committedTo(candidate);
    }

    /**
     * The smallest log end over the leader and the in-sync set (both sets while a change is pending), or no move
     * while fewer than {@code min.insync.replicas} are in sync or an in-sync follower has not reported here.
     */
    private long isrHighWatermark()
    {
        if (isr.size() < config.minInsyncReplicas())
        {
            return highWatermark;
        }
        final long candidate = Math.min(log.logEndOffset(), smallestLogEnd(isr.members()));
        return isr.proposed() == null ? candidate : Math.min(candidate, smallestLogEnd(isr.proposed()));
    }

    /**
     * The smallest log end the followers among {@code members} reported, or the current high watermark when one of
     * them has not reported in this epoch.
     */
    private long smallestLogEnd(final int[] members)
    {
        long smallest = Long.MAX_VALUE;
        for (final int member : members)
        {
            final FollowerCursor cursor = cursor(member);
            if (cursor != null)
            {
                if (cursor.logEndOffset == FollowerCursor.UNKNOWN)
                {
                    return highWatermark;
                }
                smallest = Math.min(smallest, cursor.logEndOffset);
            }
        }
        return smallest;
    }

    /**
     * The largest offset a majority of all replicas have fsynced, once it lies in this leader's epoch (Raft's rule:
     * an earlier epoch's records are committed only by committing one of this epoch after them).
     */
    private long majorityHighWatermark()
    {
        final long[] durable = durableScratch;
        durable[0] = log.durableEndOffset();
        for (int i = 0; i < followers.length; i++)
        {
            durable[i + 1] = followers[i].durableEndOffset;
        }
        Arrays.sort(durable);
        final long candidate = durable[durable.length - (durable.length / 2 + 1)];
        return candidate > epochStartOffset ? candidate : highWatermark;
    }

    private FollowerCursor cursor(final int node)
    {
        for (final FollowerCursor cursor : followers)
        {
            if (cursor.nodeId == node)
            {
                return cursor;
            }
        }
        return null;
    }
}
