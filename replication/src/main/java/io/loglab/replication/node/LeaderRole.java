package io.loglab.replication.node;

import io.loglab.engine.log.LogReader;
import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.LeaderEffects;
import io.loglab.replication.replica.LeaderReplica;
import org.agrona.DirectBuffer;

/**
 * This node leading one partition in one leader epoch: the {@link LeaderReplica} state machine, given its followers'
 * reports and told when its own log moves, and its effects carried out (batches read from the partition's log and
 * sent, the high watermark set on the log, acks=all answered, in-sync set changes proposed to the controller).
 * <p>
 * The leader's own appends (producers offering to the partition) are not routed through here: each duty cycle
 * compares the log end and durable end with the last seen, so no append waits on this thread.
 * <p>
 * Threading: the node's thread only.
 */
final class LeaderRole implements LeaderEffects
{
    private final PartitionReplica partition;
    private final LogReader reader;
    private final LeaderReplica leader;
    private long seenLogEnd = -1;
    private long seenDurableEnd = -1;

    LeaderRole(final PartitionReplica partition, final int leaderEpoch, final int partitionEpoch,
        final int[] replicas, final int[] isr, final long nowMs)
    {
        this.partition = partition;
        this.reader = partition.partition().newReader();
        this.leader = new LeaderReplica(partition.nodeId(), leaderEpoch, partitionEpoch, replicas, isr,
            partition.partition().log().highWatermark(), partition.config(), partition.logView(), this, nowMs);
    }

    LeaderReplica state()
    {
        return leader;
    }

    int doWork(final long nowMs)
    {
        final long logEnd = partition.logView().logEndOffset();
        final long durableEnd = partition.logView().durableEndOffset();
        int work = 0;
        if (logEnd != seenLogEnd || durableEnd != seenDurableEnd)
        {
            seenLogEnd = logEnd;
            seenDurableEnd = durableEnd;
            leader.onAppended();
            work++;
        }
        return work + leader.doWork(nowMs);
    }

    void onPosition(final DirectBuffer buffer, final int offset, final long nowMs)
    {
        partition.node().probe().positionHeard(partition.nodeId(), ReplicaMessages.sender(buffer, offset),
            partition.topicId(), partition.index(), ReplicaMessages.positionLogEndOffset(buffer, offset));
        leader.onPosition(
            ReplicaMessages.sender(buffer, offset),
            ReplicaMessages.incarnation(buffer, offset),
            ReplicaMessages.leaderEpoch(buffer, offset),
            ReplicaMessages.positionLogEndOffset(buffer, offset),
            ReplicaMessages.positionDurableEndOffset(buffer, offset),
            ReplicaMessages.positionLatestEpoch(buffer, offset),
            ReplicaMessages.positionAsksResend(buffer, offset),
            nowMs);
    }

    @Override
    public long sendRecords(final int follower, final long fromOffset, final int maxBytes, final long highWatermark)
    {
        final long next = partition.sender().records(follower, partition.topicId(), partition.index(),
            leader.leaderEpoch(), reader, fromOffset, maxBytes, highWatermark);
        if (next > fromOffset)
        {
            partition.node().probe().recordsSent(partition.nodeId(), follower, partition.topicId(), partition.index(),
                next);
        }
        return next;
    }

    @Override
    public void sendHeartbeat(final int follower, final long highWatermark)
    {
        partition.sender().heartbeat(follower, partition.topicId(), partition.index(), leader.leaderEpoch(),
            highWatermark);
    }

    @Override
    public void sendDivergence(final int follower, final int epoch, final long endOffset, final boolean truncateFully)
    {
        partition.sender().divergence(follower, partition.topicId(), partition.index(), leader.leaderEpoch(), epoch,
            endOffset, truncateFully);
    }

    @Override
    public void highWatermark(final long highWatermark)
    {
        partition.node().probe().committed(partition.nodeId(), partition.topicId(), partition.index(), highWatermark);
        partition.publishHighWatermark(highWatermark);
    }

    @Override
    public void acknowledge(final long token, final AckOutcome outcome)
    {
        partition.acknowledge(token, outcome);
    }

    @Override
    public void proposeIsr(final int partitionEpoch, final int[] isr)
    {
        partition.proposeIsr(partitionEpoch, isr);
    }
}
