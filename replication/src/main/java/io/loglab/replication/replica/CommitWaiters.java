package io.loglab.replication.replica;

import org.agrona.collections.LongArrayQueue;

/**
 * The acks=all appends waiting for the high watermark, in offset order, each answered once through
 * {@link LeaderEffects#acknowledge}. Two primitive queues: nothing is allocated per append once they have grown.
 * <p>
 * Threading: the leader's.
 */
final class CommitWaiters
{
    private final LongArrayQueue endOffsets = new LongArrayQueue();
    private final LongArrayQueue tokens = new LongArrayQueue();
    private final LeaderEffects effects;

    CommitWaiters(final LeaderEffects effects)
    {
        this.effects = effects;
    }

    /**
     * Answer {@code token} as committed once the high watermark reaches {@code endOffset}: now, if it has and
     * nothing earlier waits.
     */
    void await(final long endOffset, final long token, final long highWatermark)
    {
        if (endOffset <= highWatermark && endOffsets.isEmpty())
        {
            effects.acknowledge(token, AckOutcome.COMMITTED);
            return;
        }
        endOffsets.addLong(endOffset);
        tokens.addLong(token);
    }

    /**
     * The high watermark moved: answer, in order, every append it has passed.
     */
    void committedTo(final long highWatermark)
    {
        while (!endOffsets.isEmpty() && endOffsets.peekLong() <= highWatermark)
        {
            endOffsets.pollLong();
            effects.acknowledge(tokens.pollLong(), AckOutcome.COMMITTED);
        }
    }

    /**
     * Answer every append still waiting with {@code outcome}.
     */
    void answerAll(final AckOutcome outcome)
    {
        while (!endOffsets.isEmpty())
        {
            endOffsets.pollLong();
            effects.acknowledge(tokens.pollLong(), outcome);
        }
    }
}
