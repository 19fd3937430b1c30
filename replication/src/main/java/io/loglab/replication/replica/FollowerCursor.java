package io.loglab.replication.replica;

/**
 * One follower as its leader sees it: what it last reported in this leader epoch, where streaming to it has got to,
 * and when it was last caught up. Owned by the {@link LeaderReplica}'s thread.
 */
final class FollowerCursor
{
    static final long UNKNOWN = -1;

    final int nodeId;
    /** The follower's incarnation from its reports: a report from an older one is a zombie's. */
    long incarnation = UNKNOWN;
    /** Its log end from its last consistent report in this epoch; unknown until it reports. */
    long logEndOffset = UNKNOWN;
    long durableEndOffset = UNKNOWN;
    /** The next offset to send it; {@link #UNKNOWN} while its log is not known to agree with the leader's. */
    long sendOffset = UNKNOWN;
    long lastCaughtUpMs;
    /** The leader's log end when the follower last reported, and when that was (Kafka's caught-up rule). */
    long leaderEndAtLastReport = UNKNOWN;
    long lastReportMs;
    /** When its reported log end last moved forward, or streaming to it was last restarted. */
    long lastProgressMs;
    /** When it was last sent anything, and the high watermark it was last sent. */
    long lastSentMs;
    long sentHighWatermark = UNKNOWN;

    FollowerCursor(final int nodeId, final long nowMs)
    {
        this.nodeId = nodeId;
        this.lastCaughtUpMs = nowMs;
        this.lastReportMs = nowMs;
        this.lastProgressMs = nowMs;
        this.lastSentMs = nowMs;
    }

    boolean isStreaming()
    {
        return sendOffset != UNKNOWN;
    }

    /**
     * A new incarnation of the follower reported: nothing it said before holds.
     */
    void restarted(final long incarnation)
    {
        this.incarnation = incarnation;
        logEndOffset = UNKNOWN;
        durableEndOffset = UNKNOWN;
        sendOffset = UNKNOWN;
        leaderEndAtLastReport = UNKNOWN;
    }

    /**
     * Its report disagreed with the leader's log and it was told where: nothing it reported counts until it reports
     * again after truncating.
     */
    void diverged(final long nowMs)
    {
        logEndOffset = UNKNOWN;
        durableEndOffset = UNKNOWN;
        sendOffset = UNKNOWN;
        lastSentMs = nowMs;
    }

    /**
     * A consistent report: the follower's log agrees with the leader's up to {@code logEndOffset}. Updates when it
     * was last caught up as Kafka does: at this report if it reached the leader's log end, or at the previous one if
     * it reached where the leader's log ended then.
     */
    void reported(
        final long logEndOffset, final long durableEndOffset, final long leaderEndOffset, final long nowMs)
    {
        if (logEndOffset >= leaderEndOffset)
        {
            lastCaughtUpMs = nowMs;
        }
        else if (leaderEndAtLastReport != UNKNOWN && logEndOffset >= leaderEndAtLastReport)
        {
            lastCaughtUpMs = Math.max(lastCaughtUpMs, lastReportMs);
        }
        if (this.logEndOffset == UNKNOWN || logEndOffset > this.logEndOffset)
        {
            lastProgressMs = nowMs;
        }
        this.logEndOffset = logEndOffset;
        this.durableEndOffset = durableEndOffset;
        leaderEndAtLastReport = leaderEndOffset;
        lastReportMs = nowMs;
    }
}
