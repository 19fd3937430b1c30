package io.loglab.replication.controller;

import io.loglab.replication.replica.CommitRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The controller state machine driven directly, on an explicit clock: replicas spread over live nodes, election from
 * the in-sync set only (or any replica where unclean election is allowed), a partition without a leader until an
 * in-sync member returns, a restart taken as a death, in-sync set changes as compare-and-set, and under majority
 * commit the most up-to-date log of a majority of reporters.
 */
class ControllerStateTest
{
    private static final long TIMEOUT_MS = 1_000;
    private static final UUID ID = new UUID(1, 2);

    private final List<String> changes = new ArrayList<>();
    private final ControllerState controller = new ControllerState(new ControllerConfig(TIMEOUT_MS), recording());

    /**
     * Effects that write each decision into {@link #changes}.
     */
    private ControllerEffects recording()
    {
        return new ControllerEffects()
        {
            @Override
            public void topicCreated(final String name, final UUID topicId, final int partitionCount,
                final TopicSettings settings, final int[][] replicas)
            {
                changes.add("created " + name);
            }

            @Override
            public void partitionChanged(final String topic, final UUID topicId, final int partition,
                final PartitionState state)
            {
                changes.add(topic + "-" + partition + " " + state);
            }

            @Override
            public void topicDeleted(final String name, final UUID topicId)
            {
                changes.add("deleted " + name + " " + topicId);
            }
        };
    }

    private void nodes(final long nowMs, final int... ids)
    {
        for (final int id : ids)
        {
            controller.onHeartbeat(id, 1, nowMs);
        }
    }

    private PartitionState state(final int partition)
    {
        return controller.partition("t", partition);
    }

    @Test
    void shouldSpreadReplicasOverLiveNodesAndLeadWithTheFirst()
    {
        nodes(0, 1, 2, 3);
        assertNull(controller.createTopic("t", ID, 3, new TopicSettings(3, 2, false, CommitRule.ISR)));
        assertArrayEquals(new int[] {1, 2, 3}, state(0).replicas());
        assertArrayEquals(new int[] {2, 3, 1}, state(1).replicas());
        assertArrayEquals(new int[] {3, 1, 2}, state(2).replicas());
        assertEquals(3, state(2).leader());
        assertArrayEquals(new int[] {1, 2, 3}, state(2).isr());
        assertEquals("topic t already exists",
            controller.createTopic("t", ID, 1, new TopicSettings(1, 1, false, CommitRule.ISR)));
        assertEquals("replication factor 4 is more than the 3 live nodes",
            controller.createTopic("u", ID, 1, new TopicSettings(3 + 1, 1, false, CommitRule.ISR)));
        assertThrows(IllegalArgumentException.class, () -> new TopicSettings(3, 4, false, CommitRule.ISR));
    }

    @Test
    void shouldElectTheFirstLiveInSyncReplicaWhenTheLeaderGoesSilent()
    {
        nodes(0, 1, 2, 3);
        controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR));
        nodes(900, 2, 3);
        controller.onTime(1_001);
        assertEquals(new PartitionState(new int[] {1, 2, 3}, 2, 1, 1, new int[] {2, 3}), state(0));
        assertFalse(controller.isAlive(1));

        // Both die in one pass: neither is elected on the way.
        controller.onTime(1_901);
        assertEquals(PartitionState.NO_LEADER, state(0).leader(), "no in-sync replica alive: no leader");
        assertArrayEquals(new int[] {2, 3}, state(0).isr(), "the last in-sync members kept");
        assertEquals(2, state(0).leaderEpoch());

        controller.onHeartbeat(1, 1, 2_000);
        assertEquals(PartitionState.NO_LEADER, state(0).leader(), "node 1 is not in sync: it may not lead");
        controller.onHeartbeat(3, 1, 2_100);
        assertEquals(3, state(0).leader(), "an in-sync member returned");
        assertEquals(3, state(0).leaderEpoch());
    }

    @Test
    void shouldLetAnyLiveReplicaLeadOnlyWhereUncleanElectionIsAllowed()
    {
        nodes(0, 1, 2);
        controller.createTopic("t", ID, 1, new TopicSettings(2, 1, true, CommitRule.ISR));
        controller.onIsrProposal(1, "t", 0, 0, 0, new int[] {1});
        assertArrayEquals(new int[] {1}, state(0).isr());
        nodes(900, 2);
        controller.onTime(1_001);
        assertEquals(2, state(0).leader(), "unclean: node 2 leads alone");
        assertArrayEquals(new int[] {2}, state(0).isr());
    }

    @Test
    void shouldTakeARestartAsADeathAndTellTheNewIncarnationWhoLeads()
    {
        nodes(0, 1, 2, 3);
        controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR));
        changes.clear();
        controller.onHeartbeat(1, 2, 10);
        assertEquals(2, state(0).leader(), "the restarted leader lost its leadership");
        assertArrayEquals(new int[] {2, 3}, state(0).isr());
        assertEquals(List.of("t-0 leader=2 epoch=1 partitionEpoch=1 isr=[2, 3] replicas=[1, 2, 3]",
            "t-0 leader=2 epoch=1 partitionEpoch=1 isr=[2, 3] replicas=[1, 2, 3]"), changes,
            "the change, then the state again for the new incarnation");
        controller.onHeartbeat(1, 1, 20);
        assertTrue(controller.isAlive(1), "the old incarnation's heartbeat is ignored");
        assertEquals(2, state(0).leader());
    }

    @Test
    void shouldChangeTheInSyncSetOnlyByCompareAndSetFromTheCurrentLeader()
    {
        nodes(0, 1, 2, 3);
        controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR));
        assertFalse(controller.onIsrProposal(2, "t", 0, 0, 0, new int[] {2, 3}), "not the leader");
        assertFalse(controller.onIsrProposal(1, "t", 0, 0, 5, new int[] {1, 2}), "not the current partition epoch");
        assertFalse(controller.onIsrProposal(1, "t", 0, 1, 0, new int[] {1, 2}), "not the current leader epoch");
        assertFalse(controller.onIsrProposal(1, "t", 0, 0, 0, new int[] {2, 3}), "without the leader");
        assertFalse(controller.onIsrProposal(1, "t", 0, 0, 0, new int[] {1, 4}), "not a replica");
        assertTrue(controller.onIsrProposal(1, "t", 0, 0, 0, new int[] {1, 2}));
        assertEquals(new PartitionState(new int[] {1, 2, 3}, 1, 0, 1, new int[] {1, 2}), state(0));

        nodes(900, 1, 2);
        controller.onTime(1_001);
        assertFalse(controller.onIsrProposal(1, "t", 0, 0, 1, new int[] {1, 2, 3}), "node 3 is dead");
        controller.onHeartbeat(3, 1, 1_100);
        assertTrue(controller.onIsrProposal(1, "t", 0, 0, 1, new int[] {1, 2, 3}));
        assertEquals(2, state(0).partitionEpoch());
    }

    @Test
    void shouldCountSilenceFromANewControllerTerm()
    {
        nodes(0, 1, 2, 3);
        controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR));
        // The controller's own election took 1.5 s, longer than the node timeout: no heartbeat could arrive.
        controller.onNewTerm(1_500);
        controller.onTime(1_600);
        assertTrue(controller.isAlive(1) && controller.isAlive(2) && controller.isAlive(3));
        assertEquals(1, state(0).leader());
        controller.onTime(2_150);
        assertTrue(controller.isAlive(1), "the new term's grace (700 ms) is not over");
        controller.onHeartbeat(2, 1, 2_150);
        controller.onHeartbeat(3, 1, 2_150);
        controller.onTime(2_201);
        assertFalse(controller.isAlive(1), "silent for the grace after the new term");
        assertTrue(controller.isAlive(2) && controller.isAlive(3), "heard within the grace");
        assertNotEquals(1, state(0).leader(), "a new leader");
    }

    @Test
    void shouldDropADeadFollowerFromTheInSyncSetAtOnce()
    {
        nodes(0, 1, 2, 3);
        controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR));
        nodes(900, 1, 2);
        controller.onTime(1_001);
        assertEquals(new PartitionState(new int[] {1, 2, 3}, 1, 0, 1, new int[] {1, 2}), state(0),
            "same leader and leader epoch, node 3 out");
    }

    @Test
    void shouldDecideTheSameFromTheSameInputs()
    {
        final List<String> first = run();
        assertEquals(first, run());
        assertFalse(first.isEmpty());
    }

    private List<String> run()
    {
        changes.clear();
        final ControllerState replay = new ControllerState(new ControllerConfig(TIMEOUT_MS), recording());
        for (int node = 5; node >= 1; node--)
        {
            replay.onHeartbeat(node, 1, 0);
        }
        replay.createTopic("b", ID, 4, new TopicSettings(3, 2, false, CommitRule.ISR));
        replay.createTopic("a", ID, 2, new TopicSettings(2, 1, true, CommitRule.ISR));
        replay.onHeartbeat(2, 1, 500);
        replay.onHeartbeat(4, 1, 500);
        replay.onTime(1_200);
        replay.onHeartbeat(3, 7, 1_300);
        return new ArrayList<>(changes);
    }

    @Test
    void shouldElectTheMostUpToDateLogOfAMajorityUnderMajorityCommit()
    {
        nodes(0, 1, 2, 3);
        assertNull(controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.MAJORITY)));
        assertEquals(1, state(0).leader());
        nodes(TIMEOUT_MS, 2, 3);
        controller.onTime(TIMEOUT_MS + 1);
        // No leader yet, in a new epoch that stops the followers: node 2, first in sync, may lack committed records.
        final PartitionState leaderless = state(0);
        assertFalse(leaderless.hasLeader());
        assertEquals(1, leaderless.leaderEpoch());
        // One report of three is no majority; a report for another epoch, or from a dead node, is not taken.
        assertTrue(controller.onLogReport(2, 1, "t", 0, 1, 0, 100));
        assertFalse(state(0).hasLeader());
        assertFalse(controller.onLogReport(3, 1, "t", 0, 0, 0, 150));
        assertFalse(controller.onLogReport(1, 1, "t", 0, 1, 0, 900));
        assertFalse(controller.onLogReport(3, 2, "t", 0, 1, 0, 150));
        assertTrue(controller.onLogReport(3, 1, "t", 0, 1, 0, 150));
        assertEquals(3, state(0).leader(), "the longer log of the same latest epoch leads");
        assertEquals(2, state(0).leaderEpoch());
        assertFalse(controller.onLogReport(2, 1, "t", 0, 1, 0, 100), "no report once led");
    }

    @Test
    void shouldPreferTheLatestEpochAndForgetTheReportOfANodeThatRestarted()
    {
        nodes(0, 1, 2, 3);
        assertNull(controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.MAJORITY)));
        nodes(TIMEOUT_MS, 2, 3);
        controller.onTime(TIMEOUT_MS + 1);
        assertTrue(controller.onLogReport(2, 1, "t", 0, 1, 0, 500));
        // Node 2 restarts: what it reported may be a tail it lost unflushed.
        controller.onHeartbeat(2, 2, TIMEOUT_MS + 2);
        assertTrue(controller.onLogReport(3, 1, "t", 0, 1, 0, 100));
        assertFalse(state(0).hasLeader(), "node 2's report was of its earlier incarnation");
        // A returning node 1 is told there is no leader, and its log, of a later epoch though shorter, wins.
        controller.onHeartbeat(1, 2, TIMEOUT_MS + 3);
        assertFalse(state(0).hasLeader());
        assertTrue(changes.get(changes.size() - 1).startsWith("t-0 "));
        assertTrue(controller.onLogReport(1, 2, "t", 0, 1, 1, 50));
        assertEquals(1, state(0).leader());
        assertEquals(2, state(0).leaderEpoch());
    }

    @Test
    void shouldDeleteATopicForEveryNodeAndTakeNoMoreDecisionsForIt()
    {
        nodes(0, 1, 2, 3);
        assertNull(controller.createTopic("t", ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR)));
        assertNull(controller.deleteTopic("t"));
        assertEquals("deleted t " + ID, changes.get(changes.size() - 1));
        assertEquals("topic t does not exist", controller.deleteTopic("t"));
        assertNull(state(0));
        assertFalse(controller.onIsrProposal(1, "t", 0, 0, 0, new int[] {1}));
        nodes(TIMEOUT_MS, 2, 3);
        final int before = changes.size();
        controller.onTime(TIMEOUT_MS + 1);
        assertEquals(before, changes.size(), "a node's death decides nothing for a deleted topic");
        assertNull(controller.createTopic("t", new UUID(3, 4), 1, new TopicSettings(2, 1, false, CommitRule.ISR)),
            "the name may be made again");
    }
}
