package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The leader's rules one at a time: the high watermark under both commit rules, acks=all answers, the in-sync set,
 * the divergence check and streaming within the byte budget.
 */
class LeaderReplicaTest
{
    private static final int[] REPLICAS = {1, 2, 3};

    private final SimLog log = new SimLog();
    private final List<String> sent = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final List<int[]> proposals = new ArrayList<>();

    private final LeaderEffects effects = new LeaderEffects()
    {
        @Override
        public long sendRecords(final int follower, final long fromOffset, final int maxBytes,
            final long highWatermark)
        {
            final long end = Math.min(log.logEndOffset(), fromOffset + Math.max(1, maxBytes / SimNode.BATCH_BYTES));
            sent.add("records " + follower + " " + fromOffset + "-" + end);
            return end;
        }

        @Override
        public void sendHeartbeat(final int follower, final long highWatermark)
        {
            sent.add("heartbeat " + follower + " hw " + highWatermark);
        }

        @Override
        public void sendDivergence(final int follower, final int epoch, final long endOffset,
            final boolean truncateFully)
        {
            sent.add("diverging " + follower + " epoch " + epoch + " ends " + endOffset + (truncateFully ? " fully" : ""));
        }

        @Override
        public void highWatermark(final long highWatermark)
        {
            log.highWatermark(highWatermark);
        }

        @Override
        public void acknowledge(final long token, final AckOutcome outcome)
        {
            answers.add(token + " " + outcome);
        }

        @Override
        public void proposeIsr(final int partitionEpoch, final int[] isr)
        {
            proposals.add(isr);
        }
    };

    private static ReplicaConfig config(final CommitRule rule)
    {
        return new ReplicaConfig(rule, 2, 100, 500, 20, 50);
    }

    private LeaderReplica lead(final CommitRule rule, final int epoch, final int[] isr)
    {
        return new LeaderReplica(1, epoch, 0, REPLICAS, isr, 0, config(rule), log, effects, 0);
    }

    private void append(final LeaderReplica leader, final int epoch, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long offset = log.logEndOffset();
            log.append(new SimLog.Entry(epoch, offset));
            leader.onAppended();
            leader.awaitCommit(offset + 1, offset);
        }
    }

    @Test
    void shouldCommitAtTheSmallestInSyncLogEndAndAnswerInOffsetOrder()
    {
        final LeaderReplica leader = lead(CommitRule.ISR, 1, REPLICAS);
        append(leader, 1, 5);
        leader.onPosition(2, 0, 1, 0, 0, LeaderEpochCache.UNDEFINED_EPOCH, true, 1);
        leader.onPosition(2, 0, 1, 4, 0, 1, false, 2);
        assertEquals(0, leader.highWatermark(), "follower 3 has not reported in this epoch");
        leader.onPosition(3, 0, 1, 0, 0, LeaderEpochCache.UNDEFINED_EPOCH, true, 3);
        leader.onPosition(3, 0, 1, 2, 0, 1, false, 4);
        assertEquals(2, leader.highWatermark());
        assertEquals(List.of("0 COMMITTED", "1 COMMITTED"), answers);
        leader.onPosition(3, 0, 1, 5, 0, 1, false, 5);
        assertEquals(4, leader.highWatermark(), "follower 2 has 4");
        assertEquals(List.of("0 COMMITTED", "1 COMMITTED", "2 COMMITTED", "3 COMMITTED"), answers);
    }

    @Test
    void shouldRefuseAcksAllBelowMinInsyncAndAnswerWaitersWhenTheSetShrinks()
    {
        final LeaderReplica leader = lead(CommitRule.ISR, 1, new int[] {1, 2});
        assertTrue(leader.acceptsAcksAll());
        append(leader, 1, 2);
        leader.onIsrChanged(1, new int[] {1});
        assertFalse(leader.acceptsAcksAll(), "one in sync, two required");
        assertEquals(List.of("0 NOT_ENOUGH_REPLICAS_AFTER_APPEND", "1 NOT_ENOUGH_REPLICAS_AFTER_APPEND"), answers);
        leader.onPosition(2, 0, 1, 2, 2, 1, true, 1);
        assertEquals(0, leader.highWatermark(), "the high watermark waits for min.insync.replicas");
        assertEquals(1, proposals.size(), "follower 2 is caught up: proposed back");
        assertArrayEquals(new int[] {1, 2}, proposals.get(0));
    }

    @Test
    void shouldProposeRemovingAFollowerThatStaysBehindAndIgnoreOlderNews()
    {
        final LeaderReplica leader = lead(CommitRule.ISR, 1, REPLICAS);
        append(leader, 1, 3);
        leader.onPosition(2, 0, 1, 0, 0, LeaderEpochCache.UNDEFINED_EPOCH, true, 10);
        leader.onPosition(2, 0, 1, 3, 0, 1, false, 90);
        leader.onPosition(3, 0, 1, 0, 0, LeaderEpochCache.UNDEFINED_EPOCH, true, 10);
        leader.doWork(100);
        assertTrue(proposals.isEmpty(), "both caught up within 100 ms");
        leader.doWork(101);
        assertEquals(1, proposals.size());
        assertArrayEquals(new int[] {1, 2}, proposals.get(0), "3 has not caught up since it started");
        leader.doWork(102);
        assertEquals(1, proposals.size(), "one proposal at a time");
        leader.onIsrChanged(2, new int[] {1, 2});
        leader.onIsrChanged(1, REPLICAS);
        assertArrayEquals(new int[] {1, 2}, leader.isr(), "older news is ignored");
    }

    @Test
    void shouldTellAFollowerWhereItsEpochEndsAndStreamOnlyOnceLogsAgree()
    {
        log.append(new SimLog.Entry(1, 0));
        log.append(new SimLog.Entry(1, 1));
        log.append(new SimLog.Entry(3, 2));
        final LeaderReplica leader = lead(CommitRule.ISR, 4, REPLICAS);
        leader.onPosition(2, 0, 4, 5, 0, 2, true, 1);
        assertEquals(List.of("diverging 2 epoch 1 ends 2"), sent, "epoch 2 is unknown here: 1 ends at 2");
        leader.onPosition(2, 0, 4, 2, 0, 1, true, 2);
        leader.doWork(3);
        assertEquals("records 2 2-3", sent.get(1));
        leader.onPosition(3, 0, 4, 4, 0, 3, true, 4);
        assertEquals("diverging 3 epoch 3 ends 3", sent.get(2), "epoch 3 ends at the log end, before 4");
        leader.onPosition(3, 0, 3, 3, 0, 3, true, 5);
        assertEquals(3, sent.size(), "a report of another epoch is ignored");
    }

    @Test
    void shouldStreamWithinTheByteBudgetAndGoBackForWhatIsNotConfirmed()
    {
        final LeaderReplica leader = lead(CommitRule.ISR, 1, REPLICAS);
        append(leader, 1, 12);
        leader.onPosition(2, 0, 1, 0, 0, LeaderEpochCache.UNDEFINED_EPOCH, true, 1);
        leader.doWork(2);
        leader.doWork(3);
        leader.doWork(4);
        assertEquals(List.of("records 2 0-5", "records 2 5-10", "records 2 10-12"), sent, "500 bytes a cycle");
        leader.onPosition(2, 0, 1, 5, 0, 1, false, 10);
        leader.doWork(59);
        assertEquals(List.of("heartbeat 2 hw 0", "heartbeat 3 hw -1"), sent.subList(3, sent.size()),
            "nothing sent to either for 20 ms");
        leader.doWork(60);
        assertEquals("records 2 5-10", sent.get(sent.size() - 1), "5-12 unconfirmed for 50 ms: sent again");
    }

    @Test
    void shouldCommitUnderMajorityOnlyWhatAMajorityFsyncedInTheLeadersEpoch()
    {
        log.append(new SimLog.Entry(1, 0));
        log.append(new SimLog.Entry(1, 1));
        log.fsync();
        final LeaderReplica leader = lead(CommitRule.MAJORITY, 2, new int[] {1});
        leader.onPosition(2, 0, 2, 2, 2, 1, true, 1);
        assertEquals(0, leader.highWatermark(), "all of it is epoch 1's: committed only after one of epoch 2");
        append(leader, 2, 2);
        leader.onPosition(2, 0, 2, 4, 2, 2, false, 2);
        assertEquals(0, leader.highWatermark(), "written on 2, fsynced on neither");
        log.fsync();
        leader.onAppended();
        assertEquals(0, leader.highWatermark(), "fsynced on the leader alone");
        leader.onPosition(2, 0, 2, 4, 3, 2, false, 3);
        assertEquals(3, leader.highWatermark(), "two of three fsynced 3");
        assertEquals(List.of("2 COMMITTED"), answers);
    }
}
