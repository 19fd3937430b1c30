package io.loglab.broker.group;

import io.loglab.broker.wire.KafkaServerAssignors;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The consumer group protocol's state machine, driven heartbeat by heartbeat with an explicit clock: epochs,
 * revocation before reassignment, static members, timeouts, and Kafka's answers to requests it refuses.
 */
class ConsumerGroupTest
{
    private static final String GROUP = "g";
    private static final UUID TOPIC_ID = UUID.randomUUID();
    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 5_000;

    private final GroupCoordinator coordinator = new GroupCoordinator(
        new GroupConfig().consumerSessionTimeoutMs(SESSION_MS).consumerHeartbeatIntervalMs(500)
            .consumerAssignmentIntervalMs(0).conclude(),
        new KafkaServerAssignors());
    private final TopicLookup topics = new TopicLookup()
    {
        @Override
        public TopicInfo topic(final String name)
        {
            return name.equals("t") ? new TopicInfo("t", TOPIC_ID, 6) : null;
        }

        @Override
        public Collection<String> topicNames()
        {
            return List.of("t");
        }
    };
    private long nowMs = 1_000;

    private static Assignment partitions(final Integer... numbers)
    {
        return numbers.length == 0 ? Assignment.EMPTY : Assignment.of(Map.of(TOPIC_ID, Set.of(numbers)));
    }

    private HeartbeatResult join(final String memberId, final String instanceId, final String assignor)
    {
        return coordinator.consumerHeartbeat(new ConsumerHeartbeat(GROUP, memberId, 0, instanceId, null, REBALANCE_MS,
            List.of("t"), null, assignor, Assignment.EMPTY, "client", "/127.0.0.1"), topics, nowMs);
    }

    private HeartbeatResult join(final String memberId)
    {
        return join(memberId, null, null);
    }

    private HeartbeatResult heartbeat(final String memberId, final int epoch, final Assignment owned)
    {
        return heartbeat(memberId, null, epoch, owned);
    }

    private HeartbeatResult heartbeat(
        final String memberId, final String instanceId, final int epoch, final Assignment owned)
    {
        return coordinator.consumerHeartbeat(new ConsumerHeartbeat(GROUP, memberId, epoch, instanceId, null, -1, null,
            null, null, owned, "client", "/127.0.0.1"), topics, nowMs);
    }

    private static Set<Integer> numbers(final Assignment assignment)
    {
        return assignment.isEmpty() ? Set.of() : new TreeSet<>(assignment.partitions().get(TOPIC_ID));
    }

    @Test
    void shouldRevokeBeforeItReassignsSoNoPartitionIsEverHeldTwice()
    {
        final HeartbeatResult a = join("a");
        assertEquals(GroupError.NONE, a.error());
        assertEquals(2, a.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), numbers(a.assignment()));
        assertEquals(ConsumerGroup.State.STABLE, coordinator.consumerGroup(GROUP).state());

        final HeartbeatResult b = join("b");
        assertEquals(3, b.memberEpoch(), "a new member starts a new epoch and is at it");
        assertEquals(Set.of(), numbers(b.assignment()), "nothing is free yet: a holds it all");
        assertEquals(ConsumerGroup.State.RECONCILING, coordinator.consumerGroup(GROUP).state());

        final HeartbeatResult revoking = heartbeat("a", 2, partitions(0, 1, 2, 3, 4, 5));
        assertEquals(2, revoking.memberEpoch(), "a keeps its epoch until it has revoked");
        final Set<Integer> aKeeps = numbers(revoking.assignment());
        assertEquals(3, aKeeps.size());
        assertNull(heartbeat("b", 3, Assignment.EMPTY).assignment(), "b gets nothing while a still owns it");
        assertNull(heartbeat("a", 2, partitions(0, 1, 2, 3, 4, 5)).assignment(), "a still owns it all: no change");

        final HeartbeatResult revoked = heartbeat("a", 2, partitions(aKeeps.toArray(Integer[]::new)));
        assertEquals(3, revoked.memberEpoch(), "revoked: a moves to the group's epoch");
        final HeartbeatResult given = heartbeat("b", 3, Assignment.EMPTY);
        final Set<Integer> bGot = numbers(given.assignment());
        assertEquals(3, bGot.size());
        assertTrue(bGot.stream().noneMatch(aKeeps::contains), aKeeps + " and " + bGot);

        // A commit sent at the epoch before: taken for what the member held then and holds still (KIP-1251).
        final int aKept = aKeeps.iterator().next();
        final int bTook = bGot.iterator().next();
        assertEquals(GroupError.NONE, coordinator.validateCommit(GROUP, "a", null, 2, (short)9, nowMs));
        assertEquals(GroupError.NONE, coordinator.validateCommittedPartition(GROUP, "a", 2, "t", aKept));
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateCommittedPartition(GROUP, "a", 2, "t", bTook),
            "a partition given away");
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateCommittedPartition(GROUP, "b", 2, "t", bTook),
            "a partition given after that epoch");
        assertEquals(GroupError.NONE, coordinator.validateCommittedPartition(GROUP, "b", 3, "t", bTook));
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateCommit(GROUP, "b", null, 4, (short)9, nowMs),
            "a later epoch than the member's");
        assertEquals(ConsumerGroup.State.STABLE, coordinator.consumerGroup(GROUP).state());
        assertNull(heartbeat("b", 3, null).assignment(), "an unchanged assignment is not sent again");
    }

    @Test
    void shouldComputeTheNextTargetAssignmentOnlyOnceTheAssignmentIntervalHasPassed()
    {
        final GroupCoordinator batching = new GroupCoordinator(new GroupConfig().consumerSessionTimeoutMs(SESSION_MS)
            .consumerHeartbeatIntervalMs(500).consumerAssignmentIntervalMs(1_000).conclude(), new KafkaServerAssignors());
        final HeartbeatResult a = batching.consumerHeartbeat(new ConsumerHeartbeat(GROUP, "a", 0, null, null,
            REBALANCE_MS, List.of("t"), null, null, Assignment.EMPTY, "client", "/127.0.0.1"), topics, nowMs);
        assertEquals(2, a.memberEpoch(), "a new group's first assignment is computed at once, at epoch 2");
        assertEquals(6, numbers(a.assignment()).size());

        nowMs += 100;
        final HeartbeatResult b = batching.consumerHeartbeat(new ConsumerHeartbeat(GROUP, "b", 0, null, null,
            REBALANCE_MS, List.of("t"), null, null, Assignment.EMPTY, "client", "/127.0.0.1"), topics, nowMs);
        assertEquals(2, b.memberEpoch(), "b joins at the target's epoch while the next waits for its interval");
        assertEquals(Set.of(), numbers(b.assignment()));
        assertEquals(ConsumerGroup.State.ASSIGNING, batching.consumerGroup(GROUP).state());
        batching.poll(nowMs + 899);
        assertEquals(ConsumerGroup.State.ASSIGNING, batching.consumerGroup(GROUP).state(), "not before the interval");

        nowMs += 900;
        batching.poll(nowMs);
        assertEquals(ConsumerGroup.State.RECONCILING, batching.consumerGroup(GROUP).state(),
            "computed by the coordinator's timer, before any heartbeat");
        final HeartbeatResult revoking = batching.consumerHeartbeat(new ConsumerHeartbeat(GROUP, "a", 2, null, null,
            -1, null, null, null, partitions(0, 1, 2, 3, 4, 5), "client", "/127.0.0.1"), topics, nowMs);
        assertEquals(3, numbers(revoking.assignment()).size(), "a gives up half on its next heartbeat");
    }

    @Test
    void shouldFenceAMemberAtAnotherEpochButAcceptThePreviousOneWhenItsAnswerWasLost()
    {
        join("a");
        join("b");
        final Set<Integer> kept = numbers(heartbeat("a", 2, partitions(0, 1, 2, 3, 4, 5)).assignment());
        final Assignment keptPartitions = partitions(kept.toArray(Integer[]::new));
        assertEquals(3, heartbeat("a", 2, keptPartitions).memberEpoch());
        // The answer that moved a to epoch 3 was lost: a tries again at 2, owning only what it kept.
        assertEquals(GroupError.NONE, heartbeat("a", 2, keptPartitions).error());
        assertEquals(GroupError.FENCED_MEMBER_EPOCH, heartbeat("a", 2, partitions(0, 1, 2, 3, 4, 5)).error());
        assertEquals(GroupError.FENCED_MEMBER_EPOCH, heartbeat("a", 7, keptPartitions).error());
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, heartbeat("nobody", 3, null).error());
    }

    @Test
    void shouldLetAStaticMembersNextIncarnationTakeItsPartitionsWithoutANewEpoch()
    {
        join("one", "instance-1", null);
        final HeartbeatResult two = join("two", "instance-2", null);
        final Set<Integer> oneKept = numbers(heartbeat("one", "instance-1", 2, partitions(0, 1, 2, 3, 4, 5))
            .assignment());
        heartbeat("one", "instance-1", 2, partitions(oneKept.toArray(Integer[]::new)));
        heartbeat("two", "instance-2", two.memberEpoch(), Assignment.EMPTY);
        final int epoch = coordinator.consumerGroup(GROUP).groupEpoch();

        assertEquals(GroupError.UNRELEASED_INSTANCE_ID, join("one-again", "instance-1", null).error(),
            "the instance id is still held");
        assertEquals(-2, heartbeat("one", "instance-1", -2, null).memberEpoch());
        final HeartbeatResult restarted = join("one-again", "instance-1", null);
        assertEquals(GroupError.NONE, restarted.error());
        assertEquals(epoch, restarted.memberEpoch(), "the epoch it left with");
        assertEquals(oneKept, numbers(restarted.assignment()));
        assertEquals(epoch, coordinator.consumerGroup(GROUP).groupEpoch(), "no new epoch");
        assertEquals(GroupError.FENCED_INSTANCE_ID, heartbeat("one", "instance-1", epoch, null).error(),
            "the old incarnation is fenced");
    }

    @Test
    void shouldFreeWhatAStaticMemberWasGivingUpWhenItLeavesAndFenceItsOldClient()
    {
        join("one", "instance-1", null);
        final HeartbeatResult two = join("two", "instance-2", null);
        final Set<Integer> oneKeeps = numbers(heartbeat("one", "instance-1", 2, partitions(0, 1, 2, 3, 4, 5))
            .assignment());
        assertEquals(3, oneKeeps.size(), "one is giving up three");
        assertNull(heartbeat("two", "instance-2", two.memberEpoch(), Assignment.EMPTY).assignment(),
            "nothing free while one holds it all");

        assertEquals(-2, heartbeat("one", "instance-1", -2, null).memberEpoch());
        final Set<Integer> twoGot = numbers(heartbeat("two", "instance-2", two.memberEpoch(), Assignment.EMPTY)
            .assignment());
        assertEquals(3, twoGot.size(), "what one was giving up is free as soon as it leaves");
        assertTrue(twoGot.stream().noneMatch(oneKeeps::contains));
        assertEquals(GroupError.FENCED_MEMBER_EPOCH,
            heartbeat("one", "instance-1", 2, partitions(oneKeeps.toArray(Integer[]::new))).error(),
            "the client that left may not take its place back at its old epoch");
    }

    @Test
    void shouldRemoveAMemberWhoseSessionLapsesOrWhoDoesNotRevokeInTime()
    {
        join("a");
        join("b");
        nowMs += SESSION_MS;
        heartbeat("b", 3, Assignment.EMPTY);
        coordinator.poll(nowMs);
        assertEquals(List.of("b"), coordinator.consumerGroup(GROUP).members().stream()
            .map(ConsumerGroupMember::memberId).toList(), "a's session lapsed");
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), numbers(heartbeat("b", 3, Assignment.EMPTY).assignment()));

        join("c");
        heartbeat("b", 4, partitions(0, 1, 2, 3, 4, 5));
        nowMs += REBALANCE_MS;
        heartbeat("c", 5, Assignment.EMPTY);
        coordinator.poll(nowMs);
        assertEquals(List.of("c"), coordinator.consumerGroup(GROUP).members().stream()
            .map(ConsumerGroupMember::memberId).toList(), "b never revoked within its rebalance timeout");
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, heartbeat("b", 4, null).error());
    }

    @Test
    void shouldRefuseWhatKafkaRefuses()
    {
        final ConsumerHeartbeat noSubscription = new ConsumerHeartbeat(GROUP, "a", 0, null, null, REBALANCE_MS, null,
            null, null, Assignment.EMPTY, "client", "/127.0.0.1");
        assertEquals(GroupError.INVALID_REQUEST, coordinator.consumerHeartbeat(noSubscription, topics, nowMs).error());
        final ConsumerHeartbeat owning = new ConsumerHeartbeat(GROUP, "a", 0, null, null, REBALANCE_MS, List.of("t"),
            null, null, partitions(1), "client", "/127.0.0.1");
        assertEquals("TopicPartitions must be empty when (re-)joining.",
            coordinator.consumerHeartbeat(owning, topics, nowMs).message());
        assertEquals(GroupError.UNSUPPORTED_ASSIGNOR, join("a", null, "sticky").error());
        final ConsumerHeartbeat badRegex = new ConsumerHeartbeat(GROUP, "a", 0, null, null, REBALANCE_MS, null,
            "t[", null, Assignment.EMPTY, "client", "/127.0.0.1");
        assertEquals(GroupError.INVALID_REGULAR_EXPRESSION,
            coordinator.consumerHeartbeat(badRegex, topics, nowMs).error());
        assertNull(coordinator.consumerGroup(GROUP), "nothing refused made a group");
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, heartbeat("a", 3, null).error(),
            "a member of a group not known (after a restart) is told to rejoin");
    }

    @Test
    void shouldTakeCommitsOnlyFromAMemberAtItsEpoch()
    {
        assertEquals(GroupError.NONE, join("a").error());
        assertEquals(GroupError.NONE, coordinator.validateCommit(GROUP, "a", null, 2, (short)9, nowMs));
        assertEquals(GroupError.NONE, coordinator.validateCommit(GROUP, "a", null, 1, (short)9, nowMs),
            "an older epoch is checked partition by partition");
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateCommittedPartition(GROUP, "a", 1, "t", 0),
            "nothing was held at epoch 1");
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateCommit(GROUP, "a", null, 3, (short)9, nowMs));
        assertEquals(GroupError.UNSUPPORTED_VERSION, coordinator.validateCommit(GROUP, "a", null, 2, (short)8, nowMs));
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, coordinator.validateCommit(GROUP, "", null, -1, (short)9, nowMs),
            "a commit from outside the group while it has members");
        assertEquals(GroupError.STALE_MEMBER_EPOCH, coordinator.validateFetch(GROUP, "a", 1));
        assertEquals(GroupError.NONE, coordinator.validateFetch(GROUP, null, -1));
        assertEquals(GroupError.NONE, heartbeat("a", 2, null).error());
        assertEquals(-1, heartbeat("a", -1, null).memberEpoch());
        assertEquals(ConsumerGroup.State.EMPTY, coordinator.consumerGroup(GROUP).state());
        assertEquals(GroupError.NONE, coordinator.validateCommit(GROUP, "", null, -1, (short)9, nowMs));
    }
}
