package io.loglab.replication.node;

import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.replication.replica.FollowerEffects;
import io.loglab.replication.replica.FollowerReplica;
import org.agrona.DirectBuffer;

import java.util.concurrent.CompletableFuture;

/**
 * This node following one partition's leader in one leader epoch: the {@link FollowerReplica} state machine, given
 * the leader's messages, and its effects carried out. The leader's batches are appended through the partition's
 * writer shard ({@link FollowerAppends}); a truncation waits until every append offered before it is answered (the
 * shard orders commands and appends only from when each is sent), then runs as a command on the shard, and its answer
 * comes back through the node's command queue.
 * <p>
 * Threading: the node's thread only; the shard completes the truncation's future, whose continuation only enqueues.
 */
final class FollowerRole implements FollowerEffects
{
    private final PartitionReplica partition;
    private final FollowerReplica follower;
    private final FollowerAppends appends;
    private final int leaderId;
    /** A truncation asked for and not yet sent to the shard: where to, and whether fully; -1 for none. */
    private long truncateTo = -1;
    private boolean truncateFully;
    private boolean truncating;

    FollowerRole(final PartitionReplica partition, final int leaderId, final int leaderEpoch, final long nowMs)
    {
        this.partition = partition;
        this.leaderId = leaderId;
        this.appends = new FollowerAppends(partition.partition(), partition.sender().maxBatchBytes());
        this.follower = new FollowerReplica(leaderId, leaderEpoch, partition.partition().log().highWatermark(),
            partition.config(), partition.logView(), this, nowMs);
    }

    FollowerReplica state()
    {
        return follower;
    }

    /**
     * Nothing offered to the shard is unanswered: the partition may change role.
     */
    boolean isQuiet()
    {
        return appends.isIdle() && !truncating;
    }

    int doWork(final long nowMs)
    {
        int work = 0;
        for (int answer; (answer = appends.poll()) != FollowerAppends.NONE; work++)
        {
            if (answer == FollowerAppends.APPENDED)
            {
                partition.node().probe().recordsWritten(partition.nodeId(), partition.topicId(), partition.index(),
                    partition.logView().logEndOffset());
                follower.onAppended(nowMs);
            }
            else
            {
                follower.onAppendRefused(nowMs);
            }
        }
        if (truncateTo >= 0 && appends.isIdle())
        {
            startTruncation();
            work++;
        }
        return work + follower.doWork(nowMs);
    }

    /**
     * A records message from the leader: its batches are appended if they continue what was taken.
     *
     * @return false if its batches were not whole ones end to end (bad bytes), and so not taken.
     */
    boolean onRecords(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        final int batches = offset + ReplicaMessages.RECORDS_HEADER_LENGTH;
        final int batchesLength = length - ReplicaMessages.RECORDS_HEADER_LENGTH;
        if (batchesLength > appends.capacity() ||
            batchesLength > 0 && !FollowerAppends.tilesWithBatches(buffer, batches, batchesLength))
        {
            // Longer than this node's messages (a leader with a longer term) or not whole batches: refused.
            return false;
        }
        // No room: the message is left, and the follower asks for it again when the next one does not continue.
        if (appends.hasRoom() && follower.onRecords(
            ReplicaMessages.sender(buffer, offset),
            ReplicaMessages.incarnation(buffer, offset),
            ReplicaMessages.leaderEpoch(buffer, offset),
            ReplicaMessages.recordsBaseOffset(buffer, offset),
            ReplicaMessages.recordsEndOffset(buffer, offset),
            ReplicaMessages.recordsHighWatermark(buffer, offset),
            nowMs))
        {
            appends.append(buffer, batches, batchesLength);
            partition.node().probe().recordsTaken(partition.nodeId(), partition.topicId(), partition.index(),
                ReplicaMessages.recordsEndOffset(buffer, offset));
        }
        return true;
    }

    void onHeartbeat(final DirectBuffer buffer, final int offset, final long nowMs)
    {
        follower.onHeartbeat(
            ReplicaMessages.sender(buffer, offset),
            ReplicaMessages.incarnation(buffer, offset),
            ReplicaMessages.leaderEpoch(buffer, offset),
            ReplicaMessages.heartbeatHighWatermark(buffer, offset),
            nowMs);
    }

    void onDivergence(final DirectBuffer buffer, final int offset, final long nowMs)
    {
        follower.onDivergence(
            ReplicaMessages.sender(buffer, offset),
            ReplicaMessages.incarnation(buffer, offset),
            ReplicaMessages.leaderEpoch(buffer, offset),
            ReplicaMessages.divergenceEpoch(buffer, offset),
            ReplicaMessages.divergenceEndOffset(buffer, offset),
            ReplicaMessages.divergenceTruncatesFully(buffer, offset),
            nowMs);
    }

    @Override
    public void sendPosition(final long logEndOffset, final long durableEndOffset, final int latestEpoch,
        final boolean resend)
    {
        partition.sender().position(leaderId, partition.topicId(), partition.index(), follower.leaderEpoch(),
            logEndOffset, durableEndOffset, latestEpoch, resend);
    }

    @Override
    public void truncateTo(final long offset)
    {
        truncateTo = offset;
        truncateFully = false;
    }

    @Override
    public void truncateFullyAndStartAt(final long offset)
    {
        truncateTo = offset;
        truncateFully = true;
    }

    /**
     * Raised on the log at once, but not while a truncation is asked for or runs: the engine lets replication raise
     * the high watermark from this thread only when no truncation can lower it at the same time. The truncation's
     * answer publishes it then.
     */
    @Override
    public void highWatermark(final long highWatermark)
    {
        if (truncateTo < 0 && !truncating)
        {
            partition.publishHighWatermark(highWatermark);
        }
    }

    private void startTruncation()
    {
        final long offset = truncateTo;
        truncateTo = -1;
        truncating = true;
        final CompletableFuture<?> done = truncateFully ?
            partition.partition().truncateFullyAndStartAt(offset) : partition.partition().truncateTo(offset);
        done.whenComplete((result, failure) -> partition.node().enqueue(nowMs ->
        {
            if (failure != null)
            {
                partition.node().onError(failure);
            }
            truncating = false;
            // Reports the log as it is: after a failed truncation too, so the leader checks it again.
            follower.onTruncated(nowMs);
            partition.publishHighWatermark(follower.highWatermark());
        }));
    }
}
