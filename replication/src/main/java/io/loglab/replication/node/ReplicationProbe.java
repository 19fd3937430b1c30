package io.loglab.replication.node;

import java.util.UUID;

/**
 * Told when a partition's records pass each stage of replication on this node, for stage attribution in the
 * benchmarks: a leader sent them to a follower, a follower took them and wrote them, the leader heard a follower's
 * position, the leader's high watermark passed them. Each call names the node and the offset the stage has reached
 * (the end of what was sent, taken, written, reported or committed). Called on the node's thread, in offset order
 * per partition and stage: keep it to a timestamp and a store. {@link #NONE} (the default) does nothing.
 */
public interface ReplicationProbe
{
    ReplicationProbe NONE = new ReplicationProbe()
    {
    };

    default void recordsSent(final int leader, final int follower, final UUID topicId, final int partition,
        final long endOffset)
    {
    }

    default void recordsTaken(final int follower, final UUID topicId, final int partition, final long endOffset)
    {
    }

    default void recordsWritten(final int follower, final UUID topicId, final int partition, final long logEndOffset)
    {
    }

    default void positionHeard(final int leader, final int follower, final UUID topicId, final int partition,
        final long logEndOffset)
    {
    }

    default void committed(final int leader, final UUID topicId, final int partition, final long highWatermark)
    {
    }
}
