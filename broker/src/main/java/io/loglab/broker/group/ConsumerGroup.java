package io.loglab.broker.group;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * One group of the consumer group protocol (KIP-848, {@code group.protocol=consumer}), as Kafka's coordinator
 * 4.4 runs it: there is no join phase and no leader. Each heartbeat updates its member; a new member, a member gone,
 * a changed subscription or a subscribed topic that changed starts a new group epoch, and the server-side assignor
 * computes a target assignment for the latest epoch at most once per {@code group.consumer.assignment.interval.ms}
 * (on the first heartbeat or coordinator pass once the interval has passed), so a burst of joins costs one
 * assignment. A new group starts at epoch 1 with an empty target, so its first computed assignment has epoch 2, as
 * on Kafka 4.3 and later. Each member then moves to the target on its
 * own heartbeats ({@link ConsumerGroupMember#reconcile}): a partition changes hands only after the member losing it
 * has said it no longer owns it. A member whose session lapses, or who does not revoke within its rebalance
 * timeout, is removed; a static member ({@code group.instance.id}) that leaves with epoch -2 keeps its partitions for
 * the session timeout, and its next incarnation takes them over without a new epoch.
 * <p>
 * Membership is not stored: after a restart, a member heartbeating at an old epoch is answered UNKNOWN_MEMBER_ID,
 * which makes Kafka's client rejoin (Kafka would know it, from its log).
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class ConsumerGroup
{
    /** The group's state, with the names Kafka's tools print. */
    public enum State
    {
        EMPTY("Empty"),
        ASSIGNING("Assigning"),
        RECONCILING("Reconciling"),
        STABLE("Stable");

        private final String displayName;

        State(final String displayName)
        {
            this.displayName = displayName;
        }

        public String displayName()
        {
            return displayName;
        }
    }

    private final String groupId;
    private final GroupConfig config;
    private final ServerAssignor assignor;
    private final Map<String, ConsumerGroupMember> members = new TreeMap<>();
    /** Static members: instance id to member id. */
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Who holds each partition, assigned or still being revoked: topic id, then partition, to member id. */
    private final Map<UUID, Map<Integer, String>> holders = new HashMap<>();
    private final SubscribedTopics subscribedTopics = new SubscribedTopics();
    private Map<String, Assignment> targetAssignment = Map.of();
    private String assignorName;
    /** A new group's epoch, whose target assignment is empty. */
    private static final int FIRST_EPOCH = 1;

    private int groupEpoch = FIRST_EPOCH;
    private int assignmentEpoch = FIRST_EPOCH;
    /** When the next target assignment may be computed. */
    private long nextAssignmentMs = Long.MIN_VALUE;
    private long emptySinceMs;

    ConsumerGroup(final String groupId, final GroupConfig config, final ServerAssignor assignor, final long nowMs)
    {
        this.groupId = groupId;
        this.config = config;
        this.assignor = assignor;
        this.assignorName = assignor.defaultName();
        this.emptySinceMs = nowMs;
    }

    HeartbeatResult heartbeat(final ConsumerHeartbeat heartbeat, final TopicLookup topics, final long nowMs)
    {
        if (heartbeat.memberEpoch() < ConsumerHeartbeat.JOIN_EPOCH)
        {
            return leave(heartbeat, nowMs);
        }
        final ConsumerGroupMember member;
        boolean bump = false;
        if (heartbeat.memberEpoch() == ConsumerHeartbeat.JOIN_EPOCH)
        {
            final int sizeBefore = members.size();
            final HeartbeatResult refused = join(heartbeat, nowMs);
            if (refused != null)
            {
                return refused;
            }
            member = members.get(heartbeat.memberId());
            bump |= members.size() > sizeBefore;
        }
        else
        {
            member = find(heartbeat.memberId(), heartbeat.instanceId());
            final HeartbeatResult unknown = checkIdentity(member, heartbeat);
            if (unknown != null)
            {
                return unknown;
            }
            if (!member.acceptsEpoch(heartbeat.memberEpoch(), heartbeat.ownedPartitions()))
            {
                return HeartbeatResult.failed(GroupError.FENCED_MEMBER_EPOCH, "member epoch " +
                    heartbeat.memberEpoch() + " is not the member's, " + member.memberEpoch() +
                    ": the member must give up its partitions and rejoin");
            }
        }
        final Assignment before = member.assigned();
        bump |= member.update(heartbeat);
        bump |= subscribedTopics.refresh(members.values(), topics);
        if (bump)
        {
            groupEpoch++;
        }
        maybeComputeTargetAssignment(nowMs);
        release(member);
        member.reconcile(assignmentEpoch, targetAssignment.getOrDefault(member.memberId(), Assignment.EMPTY),
            heartbeat.ownedPartitions(), subscribedTopics.topicIdsOf(member), (topicId, partition) ->
            {
                final String holder = holders.getOrDefault(topicId, Map.of()).get(partition);
                return holder != null && !holder.equals(member.memberId());
            }, nowMs);
        hold(member);
        member.sessionDeadlineMs(nowMs + config.consumerSessionTimeoutMs());
        final boolean changed = !before.equals(member.assigned());
        return new HeartbeatResult(GroupError.NONE, null, member.memberId(), member.memberEpoch(),
            config.consumerHeartbeatIntervalMs(), heartbeat.isFull() || changed ? member.assigned() : null);
    }

    /**
     * Add the joining member, or take over a static member's partitions for its new incarnation.
     *
     * @return null, or why the member may not join.
     */
    private HeartbeatResult join(final ConsumerHeartbeat heartbeat, final long nowMs)
    {
        final String instanceId = heartbeat.instanceId();
        final ConsumerGroupMember sameId = members.get(heartbeat.memberId());
        if (sameId != null)
        {
            // The same member joining again (it was fenced, or lost its partitions): it starts afresh.
            remove(sameId);
        }
        final ConsumerGroupMember previous = instanceId == null ? null : find(null, instanceId);
        if (previous != null && !previous.leftStatically())
        {
            return HeartbeatResult.failed(GroupError.UNRELEASED_INSTANCE_ID, "instance id " + instanceId +
                " is still held by member " + previous.memberId());
        }
        final ConsumerGroupMember joined = new ConsumerGroupMember(
            heartbeat.memberId(), instanceId, heartbeat.clientId(), heartbeat.clientHost());
        if (previous != null)
        {
            joined.replacing(previous);
            release(previous);
            members.remove(previous.memberId());
            final Map<String, Assignment> target = new HashMap<>(targetAssignment);
            target.put(joined.memberId(), target.getOrDefault(previous.memberId(), Assignment.EMPTY));
            target.remove(previous.memberId());
            targetAssignment = target;
        }
        else if (members.size() >= config.consumerMaxSize())
        {
            return HeartbeatResult.failed(GroupError.GROUP_MAX_SIZE_REACHED, "group " + groupId + " has reached " +
                "its maximum of " + config.consumerMaxSize() + " members");
        }
        members.put(joined.memberId(), joined);
        if (instanceId != null)
        {
            staticMembers.put(instanceId, joined.memberId());
        }
        hold(joined);
        joined.sessionDeadlineMs(nowMs + config.consumerSessionTimeoutMs());
        return null;
    }

    private HeartbeatResult leave(final ConsumerHeartbeat heartbeat, final long nowMs)
    {
        final ConsumerGroupMember member = find(heartbeat.memberId(), heartbeat.instanceId());
        final HeartbeatResult unknown = checkIdentity(member, heartbeat);
        if (unknown != null)
        {
            return unknown;
        }
        if (heartbeat.memberEpoch() == ConsumerHeartbeat.STATIC_LEAVE_EPOCH)
        {
            // It keeps its partitions until its session lapses, for its next incarnation.
            release(member);
            member.leaveStatically();
            hold(member);
            member.sessionDeadlineMs(nowMs + config.consumerSessionTimeoutMs());
        }
        else
        {
            remove(member);
            emptySinceMs = nowMs;
        }
        // No next heartbeat: Kafka answers a leave with a heartbeat interval of 0.
        return new HeartbeatResult(GroupError.NONE, null, member.memberId(), heartbeat.memberEpoch(), 0, null);
    }

    /**
     * @return null if {@code member} is the one the heartbeat names; else UNKNOWN_MEMBER_ID for none, or
     *         FENCED_INSTANCE_ID when the instance id is now another member's.
     */
    private HeartbeatResult checkIdentity(final ConsumerGroupMember member, final ConsumerHeartbeat heartbeat)
    {
        if (member == null)
        {
            return HeartbeatResult.failed(GroupError.UNKNOWN_MEMBER_ID, "member " + heartbeat.memberId() +
                " is not in group " + groupId);
        }
        if (!member.memberId().equals(heartbeat.memberId()))
        {
            return HeartbeatResult.failed(GroupError.FENCED_INSTANCE_ID, "instance id " + heartbeat.instanceId() +
                " is now member " + member.memberId());
        }
        return null;
    }

    private ConsumerGroupMember find(final String memberId, final String instanceId)
    {
        final String id = instanceId == null ? memberId : staticMembers.get(instanceId);
        return id == null ? null : members.get(id);
    }

    /**
     * A member gone: its partitions are free, and the group moves to a new epoch without it.
     */
    private void remove(final ConsumerGroupMember member)
    {
        members.remove(member.memberId());
        if (member.instanceId() != null && member.memberId().equals(staticMembers.get(member.instanceId())))
        {
            staticMembers.remove(member.instanceId());
        }
        release(member);
        groupEpoch++;
    }

    private void release(final ConsumerGroupMember member)
    {
        forEachHeld(member, (topicId, partition) -> holders.get(topicId).remove(partition, member.memberId()));
    }

    private void hold(final ConsumerGroupMember member)
    {
        forEachHeld(member, (topicId, partition) ->
            holders.computeIfAbsent(topicId, id -> new HashMap<>()).put(partition, member.memberId()));
    }

    private static void forEachHeld(final ConsumerGroupMember member, final BiConsumer<UUID, Integer> action)
    {
        member.assigned().union(member.pendingRevocation()).partitions().forEach((topicId, partitions) ->
            partitions.forEach(partition -> action.accept(topicId, partition)));
    }

    private void maybeComputeTargetAssignment(final long nowMs)
    {
        if (groupEpoch > assignmentEpoch && nowMs >= nextAssignmentMs)
        {
            computeTargetAssignment();
            nextAssignmentMs = nowMs + config.consumerAssignmentIntervalMs();
        }
    }

    private void computeTargetAssignment()
    {
        final Map<String, ServerAssignor.MemberSpec> specs = new TreeMap<>();
        final Map<String, Long> votes = new TreeMap<>();
        for (final ConsumerGroupMember member : members.values())
        {
            specs.put(member.memberId(), new ServerAssignor.MemberSpec(member.instanceId(), member.rackId(),
                subscribedTopics.topicIdsOf(member), targetAssignment.getOrDefault(member.memberId(), Assignment.EMPTY)));
            if (member.serverAssignor() != null)
            {
                votes.merge(member.serverAssignor(), 1L, Long::sum);
            }
        }
        // The assignor most members ask for, as Kafka picks it; the default when none asks.
        assignorName = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
            .orElse(assignor.defaultName());
        targetAssignment = specs.isEmpty() ? Map.of() : Map.copyOf(assignor.assign(assignorName, specs,
            subscribedTopics.partitionCounts()));
        assignmentEpoch = groupEpoch;
    }

    /**
     * Remove the members whose session lapsed, or who did not revoke in time, and compute the target assignment a
     * new epoch waits for once its interval has passed: the members hear of it on their next heartbeats.
     */
    void poll(final long nowMs)
    {
        final List<ConsumerGroupMember> expired = members.values().stream().filter(member ->
            nowMs >= member.sessionDeadlineMs() || nowMs >= member.revocationDeadlineMs()).toList();
        expired.forEach(this::remove);
        if (!expired.isEmpty())
        {
            emptySinceMs = nowMs;
        }
        maybeComputeTargetAssignment(nowMs);
    }

    /**
     * May this OffsetCommit be taken? A commit outside the group (epoch below 0) only while the group is empty;
     * a member's only at its current epoch or an older one (then partition by partition, {@link
     * #validateCommittedPartition}), and only from v9, which carries the member epoch.
     */
    GroupError validateCommit(final String memberId, final int memberEpoch, final short version)
    {
        if (memberEpoch < 0 && members.isEmpty())
        {
            return GroupError.NONE;
        }
        final ConsumerGroupMember member = members.get(memberId);
        if (member == null)
        {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (version < 9)
        {
            return GroupError.UNSUPPORTED_VERSION;
        }
        return memberEpoch <= member.memberEpoch() ? GroupError.NONE : GroupError.STALE_MEMBER_EPOCH;
    }

    /**
     * One partition of a commit {@link #validateCommit} took: at the member's own epoch any; at an older one only a
     * partition the member held by then and holds still (assigned or being revoked).
     */
    GroupError validateCommittedPartition(
        final String memberId, final int memberEpoch, final String topic, final int partition)
    {
        final ConsumerGroupMember member = members.get(memberId);
        if (member == null || memberEpoch < 0 || memberEpoch == member.memberEpoch())
        {
            return GroupError.NONE;
        }
        final UUID topicId = subscribedTopics.topicId(topic);
        final Integer assignedAt = topicId == null ? null : member.assignmentEpoch(topicId, partition);
        return assignedAt != null && memberEpoch >= assignedAt ? GroupError.NONE : GroupError.STALE_MEMBER_EPOCH;
    }

    /**
     * May this OffsetFetch be answered? One that names no member (admin tools, v8 and older) always.
     */
    GroupError validateFetch(final String memberId, final int memberEpoch)
    {
        if (memberId == null && memberEpoch < 0)
        {
            return GroupError.NONE;
        }
        final ConsumerGroupMember member = members.get(memberId);
        if (member == null)
        {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch() ? GroupError.NONE : GroupError.STALE_MEMBER_EPOCH;
    }

    public State state()
    {
        if (members.isEmpty())
        {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch)
        {
            return State.ASSIGNING;
        }
        final boolean reconciled = members.values().stream().allMatch(member ->
            member.leftStatically() ||
            (member.memberEpoch() == assignmentEpoch && member.state() == ConsumerGroupMember.State.STABLE));
        return reconciled ? State.STABLE : State.RECONCILING;
    }

    public String groupId()
    {
        return groupId;
    }

    public int groupEpoch()
    {
        return groupEpoch;
    }

    /**
     * The server-side assignor the last target assignment was computed with.
     */
    public String assignorName()
    {
        return assignorName;
    }

    public Collection<ConsumerGroupMember> members()
    {
        return Collections.unmodifiableCollection(members.values());
    }

    /**
     * The names of the subscribed topics, by topic id, to name the partitions of assignments.
     */
    public Map<UUID, String> subscribedTopicNames()
    {
        return subscribedTopics.names();
    }

    boolean hasMembers()
    {
        return !members.isEmpty();
    }

    long emptySinceMs()
    {
        return emptySinceMs;
    }
}
