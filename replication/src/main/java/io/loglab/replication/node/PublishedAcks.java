package io.loglab.replication.node;

import io.loglab.replication.replica.AckOutcome;
import org.agrona.collections.IntArrayQueue;
import org.agrona.collections.LongArrayQueue;

/**
 * The leader's acks=all answers held until consumers can see what they answer: the leader state machine answers an
 * append as committed when its high watermark passes it, but the partition's log takes the new high watermark by a
 * shard command a little later, and a producer told "committed" must find its records readable. Each answer waits
 * for the log's published high watermark to reach the one that committed it; answers leave in the order given, so
 * one that needs no wait (not committed) still waits behind those before it.
 * <p>
 * Threading: the node's thread. Three primitive queues: nothing allocated per answer once they have grown.
 */
final class PublishedAcks
{
    private static final AckOutcome[] OUTCOMES = AckOutcome.values();

    private final LongArrayQueue highWatermarks = new LongArrayQueue();
    private final LongArrayQueue tokens = new LongArrayQueue();
    private final IntArrayQueue outcomes = new IntArrayQueue();

    /**
     * Hold {@code token}'s answer until the log's high watermark is at least {@code highWatermark} (any value for an
     * outcome other than {@link AckOutcome#COMMITTED}).
     */
    void add(final long token, final AckOutcome outcome, final long highWatermark)
    {
        // -1: below every high watermark (and not the queue's null value, Long.MIN_VALUE).
        highWatermarks.addLong(outcome == AckOutcome.COMMITTED ? highWatermark : -1);
        tokens.addLong(token);
        outcomes.addInt(outcome.ordinal());
    }

    /**
     * Give {@code partition} every answer the log's high watermark {@code published} has reached, in order.
     *
     * @return how many were given.
     */
    int release(final long published, final PartitionReplica partition)
    {
        int released = 0;
        while (!highWatermarks.isEmpty() && highWatermarks.peekLong() <= published)
        {
            highWatermarks.pollLong();
            partition.acknowledgeNow(tokens.pollLong(), OUTCOMES[outcomes.pollInt()]);
            released++;
        }
        return released;
    }
}
