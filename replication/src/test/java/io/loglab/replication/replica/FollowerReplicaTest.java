package io.loglab.replication.replica;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The follower's rules one at a time: batches taken only in order and only from its leader's epoch, truncation
 * where Kafka's follower truncates, reports.
 */
class FollowerReplicaTest
{
    private final SimLog log = new SimLog();
    private final List<String> done = new ArrayList<>();

    private final FollowerEffects effects = new FollowerEffects()
    {
        @Override
        public void sendPosition(final long logEndOffset, final long durableEndOffset, final int latestEpoch,
            final boolean resend)
        {
            done.add("position " + logEndOffset + " epoch " + latestEpoch + (resend ? " resend" : ""));
        }

        @Override
        public void truncateTo(final long offset)
        {
            done.add("truncate to " + offset);
            log.truncateTo(offset);
        }

        @Override
        public void truncateFullyAndStartAt(final long offset)
        {
            done.add("start at " + offset);
            log.truncateFullyAndStartAt(offset);
        }

        @Override
        public void highWatermark(final long highWatermark)
        {
            done.add("hw " + highWatermark);
            log.highWatermark(highWatermark);
        }
    };

    private FollowerReplica follow(final int epoch)
    {
        final FollowerReplica follower =
            new FollowerReplica(1, epoch, 0, new ReplicaConfig(CommitRule.ISR, 2, 100, 500, 20, 50), log, effects, 0);
        follower.doWork(0);
        return follower;
    }

    private void append(final int epoch, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            log.append(new SimLog.Entry(epoch, log.logEndOffset()));
        }
    }

    @Test
    void shouldTakeBatchesInOrderFromItsLeaderAndAskAgainAfterAGap()
    {
        final FollowerReplica follower = follow(2);
        assertEquals(List.of("position 0 epoch -1 resend"), done, "first report");
        assertTrue(follower.onRecords(1, 0, 2, 0, 3, 0, 1));
        assertFalse(follower.onRecords(1, 0, 1, 3, 5, 0, 1), "an older epoch");
        assertFalse(follower.onRecords(2, 0, 2, 3, 5, 0, 1), "another leader");
        assertTrue(follower.onRecords(1, 0, 2, 3, 5, 2, 1), "continues what was taken, not yet written");
        append(2, 5);
        follower.onAppended(2);
        assertEquals(List.of("position 0 epoch -1 resend", "hw 2", "position 5 epoch 2"), done);
        assertFalse(follower.onRecords(1, 0, 2, 7, 9, 2, 3), "a gap: 5 and 6 missing");
        assertEquals("position 5 epoch 2 resend", done.get(done.size() - 1));
        assertFalse(follower.onRecords(1, 0, 2, 9, 11, 2, 3));
        assertEquals(4, done.size(), "asked once per gap");
        assertTrue(follower.onRecords(1, 0, 2, 5, 7, 2, 4));
        assertFalse(follower.onRecords(1, 0, 2, 5, 7, 2, 4), "a duplicate");
    }

    @Test
    void shouldTruncateWhereKafkasFollowerDoesAndReportAgain()
    {
        append(1, 3);
        append(2, 2);
        append(4, 2);
        final FollowerReplica follower = follow(5);
        follower.onDivergence(1, 0, 5, 3, 6, false, 1);
        assertEquals("truncate to 5", done.get(1), "epoch 3 is not here: to where epoch 2 ends here");
        follower.onTruncated(2);
        assertEquals("position 5 epoch 2 resend", done.get(2));
        follower.onDivergence(1, 0, 5, 2, 4, false, 3);
        assertEquals("truncate to 4", done.get(3), "epoch 2 ends at 4 on the leader, 5 here: the smaller");
        follower.onTruncated(4);
        assertFalse(follower.onRecords(1, 0, 5, 5, 6, 0, 5), "not from its log end");
        assertTrue(follower.onRecords(1, 0, 5, 4, 6, 0, 5));
        follower.onDivergence(1, 0, 5, -1, 100, true, 6);
        assertEquals("start at 100", done.get(done.size() - 1));
        assertEquals(100, log.logStartOffset());
    }

    @Test
    void shouldReportEveryHeartbeatIntervalWhenNothingHappens()
    {
        final FollowerReplica follower = follow(1);
        assertEquals(0, follower.doWork(19));
        assertEquals(1, follower.doWork(20));
        assertEquals("position 0 epoch -1 resend", done.get(1), "still waiting to be sent from 0");
        follower.onHeartbeat(1, 0, 1, 0, 21);
        assertTrue(follower.onRecords(1, 0, 1, 0, 1, 0, 22));
        append(1, 1);
        follower.onAppended(23);
        assertEquals(1, follower.doWork(43));
        assertEquals("position 1 epoch 1", done.get(done.size() - 1));
    }
}
