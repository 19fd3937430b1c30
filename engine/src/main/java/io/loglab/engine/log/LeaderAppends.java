package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * Whether a partition's log takes appends as leader, and the leader epoch it stamps into them. A log no one replicates
 * always leads. One replication owns ({@link PartitionLog.HighWatermarkPolicy#SET_BY_REPLICATION}) leads from the
 * epoch its leader stamps ({@link #stamp}) until it resigns ({@link #resign}), so a producer's batch queued before the
 * leadership moved can never land in a follower's log.
 * <p>
 * Threading: the log's writer thread only.
 */
public final class LeaderAppends
{
    private final Path dir;
    private final LeaderEpochCache epochCache;
    private final boolean replicated;
    private int leaderEpoch;
    private boolean leading;

    LeaderAppends(final Path dir, final LeaderEpochCache epochCache, final boolean replicated)
    {
        this.dir = dir;
        this.epochCache = epochCache;
        this.replicated = replicated;
        this.leaderEpoch = Math.max(0, epochCache.latestEpoch());
        this.leading = !replicated;
    }

    /**
     * The leader epoch stamped into every batch appended as leader from now on; the epoch cache records it at the
     * first such batch. The log takes leader appends from now on, until {@link #resign()}.
     *
     * @throws IllegalArgumentException if it is older than the log's latest epoch.
     */
    public void stamp(final int leaderEpoch)
    {
        if (leaderEpoch < epochCache.latestEpoch() || leaderEpoch < 0)
        {
            throw new IllegalArgumentException("leader epoch " + leaderEpoch + " is older than the log's latest, " +
                epochCache.latestEpoch());
        }
        this.leaderEpoch = leaderEpoch;
        this.leading = true;
    }

    /**
     * Take no more leader appends, for a log replication owns whose leadership moved away; every later one fails until
     * the next {@link #stamp(int)}.
     *
     * @throws IllegalStateException for a log no one replicates, which always leads.
     */
    public void resign()
    {
        if (!replicated)
        {
            throw new IllegalStateException("a log no one replicates always leads: " + dir);
        }
        this.leading = false;
    }

    /**
     * Whether appends as leader are taken now.
     */
    public boolean taken()
    {
        return leading;
    }

    /**
     * The epoch stamped into leader appends.
     */
    int leaderEpoch()
    {
        return leaderEpoch;
    }
}
