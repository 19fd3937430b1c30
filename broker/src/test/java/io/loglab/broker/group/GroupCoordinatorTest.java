package io.loglab.broker.group;

import io.loglab.broker.wire.KafkaServerAssignors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The coordinator's state machine on an explicit clock: the join phases, member ids, expiry, fencing, and which
 * commits are taken when. Each rule is Kafka's classic coordinator's.
 */
class GroupCoordinatorTest
{
    private static final String GROUP = "g";
    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 30_000;

    private GroupCoordinator coordinator = new GroupCoordinator(new GroupConfig().initialRebalanceDelayMs(0).conclude(),
        new KafkaServerAssignors());
    private long nowMs = 1_000;

    private static JoinRequest join(final String memberId, final String instanceId, final String... protocols)
    {
        final List<Protocol> offered = java.util.Arrays.stream(protocols.length == 0 ? new String[] {"range"} : protocols)
            .map(name -> new Protocol(name, name.getBytes(StandardCharsets.UTF_8)))
            .toList();
        return new JoinRequest(GROUP, memberId, instanceId, "client", "/127.0.0.1", SESSION_MS, REBALANCE_MS,
            "consumer", offered, true);
    }

    /** A dynamic member's two-step join: MEMBER_ID_REQUIRED with an id, then the join with it. */
    private JoinResult joinDynamic()
    {
        final JoinResult first = coordinator.join(join("", null), nowMs);
        assertTrue(first.isDone());
        assertEquals(GroupError.MEMBER_ID_REQUIRED, first.error());
        assertFalse(first.memberId().isEmpty());
        return coordinator.join(join(first.memberId(), null), nowMs);
    }

    private SyncResult sync(final JoinResult joined, final Map<String, byte[]> assignments)
    {
        return coordinator.sync(GROUP, joined.memberId(), null, joined.generationId(), "consumer",
            joined.protocolName(), assignments, nowMs);
    }

    @Test
    void shouldCompleteTheJoinOnceEveryKnownMemberHasRejoinedAndHandTheLeaderTheMembers()
    {
        final JoinResult a = joinDynamic();
        assertTrue(a.isDone(), "alone, the first member completes the join at once");
        assertEquals(GroupError.NONE, a.error());
        assertEquals(1, a.generationId());
        assertEquals(a.memberId(), a.leaderId());
        assertEquals(1, a.members().size());
        final SyncResult aSynced = sync(a, Map.of(a.memberId(), new byte[] {1}));
        assertTrue(aSynced.isDone());
        assertArrayEquals(new byte[] {1}, aSynced.assignment());
        assertEquals(GroupState.STABLE, coordinator.group(GROUP).state());

        final JoinResult b = joinDynamic();
        assertFalse(b.isDone(), "b waits for a to rejoin");
        assertEquals(GroupError.REBALANCE_IN_PROGRESS,
            coordinator.heartbeat(GROUP, a.memberId(), null, a.generationId(), nowMs));
        final JoinResult aAgain = coordinator.join(join(a.memberId(), null), nowMs);
        assertTrue(aAgain.isDone() && b.isDone());
        assertEquals(2, b.generationId());
        assertEquals(a.memberId(), b.leaderId(), "the leader stays the leader");
        assertEquals(2, aAgain.members().size());
        assertEquals(0, b.members().size(), "only the leader gets the members");

        final SyncResult bSynced = sync(b, Map.of());
        assertFalse(bSynced.isDone(), "a follower's sync waits for the leader's");
        assertEquals(GroupError.REBALANCE_IN_PROGRESS,
            coordinator.validateCommit(GROUP, b.memberId(), null, b.generationId(), (short)9, nowMs),
            "no commits while the assignment is being made");
        sync(aAgain, Map.of(aAgain.memberId(), new byte[] {1}, b.memberId(), new byte[] {2}));
        assertTrue(bSynced.isDone());
        assertArrayEquals(new byte[] {2}, bSynced.assignment());
        assertEquals(GroupError.NONE, coordinator.validateCommit(GROUP, b.memberId(), null, 2, (short)9, nowMs));
        assertEquals(GroupError.ILLEGAL_GENERATION,
            coordinator.validateCommit(GROUP, b.memberId(), null, 1, (short)9, nowMs));
        assertEquals(GroupError.UNKNOWN_MEMBER_ID,
            coordinator.validateCommit(GROUP, "nobody", null, 2, (short)9, nowMs));
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.validateCommit(GROUP, "", null, -1, (short)9, nowMs),
            "a commit outside the generation while the group has members");
    }

    @Test
    void shouldRemoveAMemberWhoseSessionExpiresAndRebalanceTheRest()
    {
        final JoinResult a = joinDynamic();
        final JoinResult b = joinDynamic();
        sync(coordinator.join(join(a.memberId(), null), nowMs), Map.of());
        assertEquals(GroupState.STABLE, coordinator.group(GROUP).state());

        nowMs += SESSION_MS / 2;
        assertEquals(GroupError.NONE, coordinator.heartbeat(GROUP, a.memberId(), null, 2, nowMs));
        nowMs += SESSION_MS / 2 + 1;
        coordinator.poll(nowMs);
        assertEquals(GroupState.PREPARING_REBALANCE, coordinator.group(GROUP).state(), "b's session ran out");
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.heartbeat(GROUP, b.memberId(), null, 2, nowMs));
        final JoinResult aAlone = coordinator.join(join(a.memberId(), null), nowMs);
        assertTrue(aAlone.isDone());
        assertEquals(3, aAlone.generationId());
        assertEquals(1, aAlone.members().size());
    }

    @Test
    void shouldEndTheJoinPhaseAtTheRebalanceTimeoutWithoutTheMembersThatDidNotRejoin()
    {
        final JoinResult a = joinDynamic();
        final JoinResult b = joinDynamic();
        sync(coordinator.join(join(a.memberId(), null), nowMs), Map.of());
        final JoinResult c = joinDynamic();
        final JoinResult aAgain = coordinator.join(join(a.memberId(), null), nowMs);
        // b keeps heartbeating but never rejoins.
        nowMs += REBALANCE_MS - 1;
        coordinator.heartbeat(GROUP, b.memberId(), null, 2, nowMs);
        coordinator.poll(nowMs);
        assertFalse(c.isDone());
        nowMs += 2;
        coordinator.poll(nowMs);
        assertTrue(c.isDone() && aAgain.isDone());
        assertEquals(GroupError.NONE, c.error());
        assertEquals(2, aAgain.members().size(), "b was dropped");
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.heartbeat(GROUP, b.memberId(), null, 2, nowMs));
    }

    @Test
    void shouldWaitTheInitialDelayForMoreMembersOfANewGroup()
    {
        coordinator = new GroupCoordinator(new GroupConfig().initialRebalanceDelayMs(3_000).conclude(),
            new KafkaServerAssignors());
        final JoinResult a = joinDynamic();
        nowMs += 2_000;
        final JoinResult b = joinDynamic();
        nowMs += 2_000;
        coordinator.poll(nowMs);
        assertFalse(a.isDone(), "each new member re-arms the delay");
        nowMs += 1_001;
        coordinator.poll(nowMs);
        assertTrue(a.isDone() && b.isDone());
        assertEquals(1, a.generationId(), "one rebalance for both");
    }

    @Test
    void shouldExpireAMemberIdThatWasNeverUsed()
    {
        final JoinResult first = coordinator.join(join("", null), nowMs);
        nowMs += SESSION_MS + 1;
        coordinator.poll(nowMs);
        final JoinResult late = coordinator.join(join(first.memberId(), null), nowMs);
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, late.error());
    }

    @Test
    void shouldLetARestartedStaticMemberTakeItsAssignmentAndFenceItsOldId()
    {
        final JoinResult a = coordinator.join(join("", "instance-a"), nowMs);
        assertTrue(a.isDone(), "a static member needs no member id round trip");
        sync(a, Map.of(a.memberId(), new byte[] {7}));

        final JoinResult restarted = coordinator.join(join("", "instance-a"), nowMs);
        assertTrue(restarted.isDone());
        assertEquals(GroupError.NONE, restarted.error());
        assertNotEquals(a.memberId(), restarted.memberId());
        assertEquals(a.generationId(), restarted.generationId(), "no rebalance");
        assertTrue(restarted.skipAssignment(), "the leader keeps the assignment it made");
        assertEquals(GroupState.STABLE, coordinator.group(GROUP).state());
        final SyncResult synced = coordinator.sync(GROUP, restarted.memberId(), "instance-a",
            restarted.generationId(), "consumer", "range", Map.of(), nowMs);
        assertArrayEquals(new byte[] {7}, synced.assignment());

        assertEquals(GroupError.FENCED_INSTANCE_ID,
            coordinator.heartbeat(GROUP, a.memberId(), "instance-a", a.generationId(), nowMs));
        assertEquals(GroupError.FENCED_INSTANCE_ID,
            coordinator.join(join(a.memberId(), "instance-a"), nowMs).error());
    }

    @Test
    void shouldRefuseJoinsThatDoNotFitTheGroupOrTheLimits()
    {
        joinDynamic();
        assertEquals(GroupError.INCONSISTENT_GROUP_PROTOCOL,
            coordinator.join(join("", null, "roundrobin"), nowMs).error());
        assertEquals(GroupError.INVALID_SESSION_TIMEOUT, coordinator.join(new JoinRequest(GROUP, "", null, "c", "h",
            1_000, REBALANCE_MS, "consumer", List.of(new Protocol("range", new byte[0])), true), nowMs).error());
        assertEquals(GroupError.INVALID_GROUP_ID, coordinator.join(new JoinRequest("", "", null, "c", "h",
            SESSION_MS, REBALANCE_MS, "consumer", List.of(new Protocol("range", new byte[0])), true), nowMs).error());
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.join(new JoinRequest("other", "ghost", null, "c", "h",
            SESSION_MS, REBALANCE_MS, "consumer", List.of(new Protocol("range", new byte[0])), true), nowMs).error());
    }

    @Test
    void shouldChooseTheProtocolEveryMemberSupportsThatMostPrefer()
    {
        final JoinResult a = coordinator.join(join("", "a", "roundrobin", "range"), nowMs);
        sync(a, Map.of());
        final JoinResult b = coordinator.join(join("", "b", "range", "sticky"), nowMs);
        final JoinResult c = coordinator.join(join("", "c", "range", "roundrobin"), nowMs);
        coordinator.join(join(a.memberId(), "a", "roundrobin", "range"), nowMs);
        assertTrue(b.isDone() && c.isDone());
        assertEquals("range", b.protocolName(), "the only protocol b supports of a's");
    }

    @Test
    void shouldTakeCommitsOutsideAGenerationOnlyForAnEmptyOrUnknownGroupAndDeleteOnlyEmptyGroups()
    {
        assertEquals(GroupError.NONE, coordinator.validateCommit("standalone", "", null, -1, (short)9, nowMs));
        assertEquals(GroupError.GROUP_ID_NOT_FOUND,
            coordinator.validateCommit("standalone", "m", null, 3, (short)9, nowMs));
        coordinator.applyCommit("standalone", new TopicPartitionId("t", 0), new CommittedOffset(5, -1, "", 0), 10,
            nowMs);
        coordinator.applyCommit("standalone", new TopicPartitionId("t", 0), new CommittedOffset(4, -1, "", 0), 9,
            nowMs);
        assertEquals(5, coordinator.committed("standalone", new TopicPartitionId("t", 0)).offset(),
            "an earlier record applied late does not win");
        assertEquals(GroupState.EMPTY, coordinator.group("standalone").state());
        assertEquals(GroupError.NONE, coordinator.checkDeletable("standalone"));

        final JoinResult a = joinDynamic();
        assertEquals(GroupError.NON_EMPTY_GROUP, coordinator.checkDeletable(GROUP));
        assertEquals(GroupError.NONE, coordinator.leave(GROUP, a.memberId(), null, nowMs));
        assertEquals(GroupState.EMPTY, coordinator.group(GROUP).state());
        assertEquals(GroupError.NONE, coordinator.checkDeletable(GROUP));
        assertEquals(GroupError.GROUP_ID_NOT_FOUND, coordinator.checkDeletable("never"));
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.leave(GROUP, a.memberId(), null, nowMs));
    }

    @Test
    void shouldForgetAGroupLeftEmptyWithNoOffsetsAfterTheCleanupInterval()
    {
        final JoinResult a = joinDynamic();
        coordinator.leave(GROUP, a.memberId(), null, nowMs);
        coordinator.applyCommit("kept", new TopicPartitionId("t", 0), new CommittedOffset(1, -1, "", 0), 0, nowMs);
        nowMs += GroupCoordinator.EMPTY_GROUP_RETENTION_MS - 1;
        coordinator.poll(nowMs);
        assertNotNull(coordinator.group(GROUP));
        nowMs += 1;
        coordinator.poll(nowMs);
        assertNull(coordinator.group(GROUP), "empty, no offsets, past the interval");
        assertNotNull(coordinator.group("kept"), "a group with offsets stays");
    }
}
