package io.loglab.replication.replica;

/**
 * What a {@link LeaderReplica} asks of the world. The runtime sends over the transport and acts on the partition; a
 * simulation records and delivers. Called only from the state machine's own thread.
 */
public interface LeaderEffects
{
    /**
     * Send {@code follower} the leader's batches from {@code fromOffset} (a batch boundary below the log end), at most
     * {@code maxBytes} of them but always at least one whole batch, with the high watermark and the leader's log start
     * offset. The follower takes the batches only if they continue its log, so it applies the high watermark only to
     * batches it has from this leader or had checked against it.
     *
     * @return the offset after the last batch sent: {@code fromOffset} when nothing could be sent now (back
     * pressure, not connected), and it will be asked again on a later cycle.
     */
    long sendRecords(int follower, long fromOffset, int maxBytes, long highWatermark);

    /**
     * Send {@code follower} a message with no batches: that this leader is alive, and the high watermark as far as
     * the follower's log is known to agree with the leader's (-1 while that is not known: its log is unchecked).
     */
    void sendHeartbeat(int follower, long highWatermark);

    /**
     * Tell {@code follower} its log diverges from the leader's: its {@code epoch} (or the largest before it the
     * leader has) ends at {@code endOffset} on the leader. With {@code truncateFully} its log lies wholly before the
     * leader's log start offset, {@code endOffset}, and it starts over there.
     */
    void sendDivergence(int follower, int epoch, long endOffset, boolean truncateFully);

    /**
     * The high watermark moved forward: consumers may read below it.
     */
    void highWatermark(long highWatermark);

    /**
     * An acks=all append given to {@link LeaderReplica#awaitCommit} is answered; answers come in offset order.
     */
    void acknowledge(long token, AckOutcome outcome);

    /**
     * Ask the controller to set the in-sync set to {@code isr} if the partition is still at
     * {@code partitionEpoch}; its answer comes back through {@link LeaderReplica#onIsrChanged}.
     */
    void proposeIsr(int partitionEpoch, int[] isr);
}
