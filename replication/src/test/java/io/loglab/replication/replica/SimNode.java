package io.loglab.replication.replica;

import java.util.List;

/**
 * One node of the simulation: its log, the replica state machine it runs now (a leader or a follower of the
 * partition), and the effects those ask for, which go onto the simulation's faulty network or act on the log.
 */
final class SimNode implements LeaderEffects, FollowerEffects
{
    /** The simulation's batches are this big, for the leader's byte budget. */
    static final int BATCH_BYTES = 100;

    final int id;
    final SimLog log = new SimLog();
    private final ReplicationSimulation sim;
    long incarnation;
    boolean alive = true;
    LeaderReplica leader;
    FollowerReplica follower;

    SimNode(final ReplicationSimulation sim, final int id)
    {
        this.sim = sim;
        this.id = id;
    }

    @Override
    public long sendRecords(final int follower, final long fromOffset, final int maxBytes, final long highWatermark)
    {
        if (sim.backPressured())
        {
            return fromOffset;
        }
        final List<SimLog.Entry> entries = log.read(fromOffset, Math.max(1, maxBytes / BATCH_BYTES));
        final int epoch = leader.leaderEpoch();
        final long leaderIncarnation = incarnation;
        sim.send(id, follower, "records " + fromOffset + "+" + entries.size(), to ->
        {
            final FollowerReplica replica = to.follower;
            if (replica != null && replica.onRecords(id, leaderIncarnation, epoch, fromOffset,
                fromOffset + entries.size(), highWatermark, sim.nowMs()))
            {
                to.appendAsFollower(fromOffset, entries);
            }
        });
        return fromOffset + entries.size();
    }

    @Override
    public void sendHeartbeat(final int follower, final long highWatermark)
    {
        final int epoch = leader.leaderEpoch();
        final long leaderIncarnation = incarnation;
        sim.send(id, follower, "heartbeat hw " + highWatermark, to ->
        {
            if (to.follower != null)
            {
                to.follower.onHeartbeat(id, leaderIncarnation, epoch, highWatermark, sim.nowMs());
            }
        });
    }

    @Override
    public void sendDivergence(final int follower, final int epoch, final long endOffset, final boolean truncateFully)
    {
        final int leaderEpoch = leader.leaderEpoch();
        final long leaderIncarnation = incarnation;
        sim.send(id, follower, "diverging " + epoch + " ends " + endOffset + (truncateFully ? " fully" : ""), to ->
        {
            if (to.follower != null)
            {
                to.follower.onDivergence(id, leaderIncarnation, leaderEpoch, epoch, endOffset, truncateFully,
                    sim.nowMs());
            }
        });
    }

    /**
     * As leader or as follower: every offset below it must hold the value committed there.
     */
    @Override
    public void highWatermark(final long highWatermark)
    {
        if (leader != null && highWatermark < log.highWatermark())
        {
            throw new AssertionError("node " + id + ": the leader's high watermark went back from " +
                log.highWatermark() + " to " + highWatermark);
        }
        sim.committed(this, log.highWatermark(), highWatermark);
        log.highWatermark(highWatermark);
    }

    @Override
    public void acknowledge(final long token, final AckOutcome outcome)
    {
        sim.acknowledged(token, outcome);
    }

    @Override
    public void proposeIsr(final int partitionEpoch, final int[] isr)
    {
        final int leaderEpoch = leader.leaderEpoch();
        sim.toController(id, to -> to.onProposal(id, leaderEpoch, partitionEpoch, isr.clone()));
    }

    @Override
    public void sendPosition(final long logEndOffset, final long durableEndOffset, final int latestEpoch,
        final boolean resend)
    {
        final int leaderEpoch = follower.leaderEpoch();
        final long followerIncarnation = incarnation;
        sim.send(id, follower.leaderId(), "position " + logEndOffset + (resend ? " resend" : ""), to ->
        {
            if (to.leader != null)
            {
                to.leader.onPosition(id, followerIncarnation, leaderEpoch, logEndOffset, durableEndOffset,
                    latestEpoch, resend, sim.nowMs());
            }
        });
    }

    @Override
    public void truncateTo(final long offset)
    {
        sim.truncating(this, offset);
        log.truncateTo(offset);
        truncated();
    }

    @Override
    public void truncateFullyAndStartAt(final long offset)
    {
        sim.truncating(this, offset);
        log.truncateFullyAndStartAt(offset);
        truncated();
    }

    /**
     * The writer answers a truncation after the state machine's call returns, as the node's does.
     */
    private void truncated()
    {
        final FollowerReplica truncating = follower;
        sim.later(this, () ->
        {
            if (follower == truncating)
            {
                follower.onTruncated(sim.nowMs());
            }
        });
    }

    private void appendAsFollower(final long baseOffset, final List<SimLog.Entry> entries)
    {
        if (baseOffset != log.logEndOffset())
        {
            follower.onAppendRefused(sim.nowMs());
            return;
        }
        entries.forEach(log::append);
        follower.onAppended(sim.nowMs());
    }
}
