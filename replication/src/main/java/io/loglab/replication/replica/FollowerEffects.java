package io.loglab.replication.replica;

/**
 * What a {@link FollowerReplica} asks of the world. Called only from the state machine's own thread.
 */
public interface FollowerEffects
{
    /**
     * Report this replica's log to its leader, the log's end and last epoch read together.
     *
     * @param resend the follower found a gap or has just (re)started or truncated: send from {@code logEndOffset}
     *               again.
     */
    void sendPosition(long logEndOffset, long durableEndOffset, int latestEpoch, boolean resend);

    /**
     * Remove every batch from the one holding {@code offset} on; {@link FollowerReplica#onTruncated} follows once done.
     */
    void truncateTo(long offset);

    /**
     * Remove every batch and start empty at {@code offset}; {@link FollowerReplica#onTruncated} follows once done.
     */
    void truncateFullyAndStartAt(long offset);

    /**
     * The high watermark this replica knows moved forward.
     */
    void highWatermark(long highWatermark);
}
