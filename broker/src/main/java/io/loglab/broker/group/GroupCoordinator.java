package io.loglab.broker.group;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every group of this node, classic ({@link ClassicGroup}) or of the consumer protocol ({@link ConsumerGroup}; one
 * id is one or the other), and the offsets they committed. It checks and answers the group APIs and keeps
 * the committed offsets in memory; persisting a commit is the caller's job: it appends the commit to the offsets
 * topic and calls {@link #applyCommit} once the append is durable (and when it replays the topic at start), so an
 * offset is never answered before it is stored.
 * <p>
 * Threading: one thread owns it (the broker's network thread); {@link #poll} runs its timers.
 */
public final class GroupCoordinator
{
    /** How long an empty group with no offsets is kept: Kafka's {@code offsets.retention.check.interval.ms}. */
    public static final long EMPTY_GROUP_RETENTION_MS = 600_000;

    private final GroupConfig config;
    private final ServerAssignor assignor;
    private final Map<String, ClassicGroup> groups = new TreeMap<>();
    private final Map<String, ConsumerGroup> consumerGroups = new TreeMap<>();
    private final Map<String, NavigableMap<TopicPartitionId, CommittedOffset>> offsets = new HashMap<>();
    /** The offsets-topic offset of the record each committed offset came from, so a late apply never wins. */
    private final Map<String, Map<TopicPartitionId, Long>> recordOffsets = new HashMap<>();

    /**
     * @param assignor the consumer protocol's server-side assignors.
     */
    public GroupCoordinator(final GroupConfig config, final ServerAssignor assignor)
    {
        this.config = config;
        this.assignor = assignor;
    }

    public GroupConfig config()
    {
        return config;
    }

    public JoinResult join(final JoinRequest request, final long nowMs)
    {
        final GroupError invalid = validateJoin(request);
        if (invalid != GroupError.NONE)
        {
            final JoinResult result = new JoinResult();
            result.fail(invalid, request.memberId());
            return result;
        }
        final ConsumerGroup consumerGroup = consumerGroups.get(request.groupId());
        if (consumerGroup != null)
        {
            if (consumerGroup.hasMembers())
            {
                final JoinResult result = new JoinResult();
                result.fail(GroupError.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
                return result;
            }
            // Empty: the group goes back to the classic protocol; its offsets stay.
            consumerGroups.remove(request.groupId());
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null)
        {
            if (!request.memberId().isEmpty())
            {
                final JoinResult result = new JoinResult();
                result.fail(GroupError.UNKNOWN_MEMBER_ID, request.memberId());
                return result;
            }
            group = new ClassicGroup(request.groupId(), config, nowMs);
            groups.put(request.groupId(), group);
        }
        return group.join(request, nowMs);
    }

    private GroupError validateJoin(final JoinRequest request)
    {
        if (request.groupId() == null || request.groupId().isEmpty())
        {
            return GroupError.INVALID_GROUP_ID;
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs() ||
            request.sessionTimeoutMs() > config.maxSessionTimeoutMs())
        {
            return GroupError.INVALID_SESSION_TIMEOUT;
        }
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty())
        {
            return GroupError.INCONSISTENT_GROUP_PROTOCOL;
        }
        return GroupError.NONE;
    }

    /**
     * @param protocolType null when the request does not say (SyncGroup before v5).
     * @param protocolName null when the request does not say.
     */
    public SyncResult sync(
        final String groupId,
        final String memberId,
        final String instanceId,
        final int generation,
        final String protocolType,
        final String protocolName,
        final Map<String, byte[]> assignments,
        final long nowMs)
    {
        final ClassicGroup group = groups.get(groupId);
        if (group == null || (protocolType != null && !protocolType.equals(group.protocolType())) ||
            (protocolName != null && !protocolName.equals(group.protocolName())))
        {
            final SyncResult result = new SyncResult();
            result.fail(group == null ? GroupError.UNKNOWN_MEMBER_ID : GroupError.INCONSISTENT_GROUP_PROTOCOL);
            return result;
        }
        return group.sync(memberId, instanceId, generation, assignments, nowMs);
    }

    public GroupError heartbeat(
        final String groupId, final String memberId, final String instanceId, final int generation, final long nowMs)
    {
        final ClassicGroup group = groups.get(groupId);
        return group == null ? GroupError.UNKNOWN_MEMBER_ID : group.heartbeat(memberId, instanceId, generation, nowMs);
    }

    public GroupError leave(final String groupId, final String memberId, final String instanceId, final long nowMs)
    {
        final ClassicGroup group = groups.get(groupId);
        return group == null ? GroupError.UNKNOWN_MEMBER_ID : group.leave(memberId, instanceId, nowMs);
    }

    /**
     * A ConsumerGroupHeartbeat: checked as Kafka checks it, then given to the group, which a joining member creates.
     * A classic group with members keeps its id; an empty one (offsets only) becomes a consumer group.
     *
     * @param topics the node's topics now, for the subscriptions.
     */
    public HeartbeatResult consumerHeartbeat(
        final ConsumerHeartbeat heartbeat, final TopicLookup topics, final long nowMs)
    {
        final String invalid = heartbeat.invalid();
        if (invalid != null)
        {
            return HeartbeatResult.failed(GroupError.INVALID_REQUEST, invalid);
        }
        if (heartbeat.serverAssignor() != null && !assignor.supports(heartbeat.serverAssignor()))
        {
            return HeartbeatResult.failed(GroupError.UNSUPPORTED_ASSIGNOR, "ServerAssignor " +
                heartbeat.serverAssignor() + " is not supported. Supported assignors: " +
                String.join(", ", assignor.names()) + ".");
        }
        if (heartbeat.subscribedTopicRegex() != null && !heartbeat.subscribedTopicRegex().isEmpty())
        {
            try
            {
                Pattern.compile(heartbeat.subscribedTopicRegex());
            }
            catch (final PatternSyntaxException ex)
            {
                return HeartbeatResult.failed(GroupError.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex `" +
                    heartbeat.subscribedTopicRegex() + "` is not a valid regular expression: " + ex.getDescription());
            }
        }
        final String groupId = heartbeat.groupId();
        ConsumerGroup group = consumerGroups.get(groupId);
        if (group == null)
        {
            final ClassicGroup classic = groups.get(groupId);
            if (classic != null && classic.hasMembers())
            {
                return HeartbeatResult.failed(GroupError.GROUP_ID_NOT_FOUND, "Group " + groupId +
                    " is not a consumer group.");
            }
            if (heartbeat.memberEpoch() != ConsumerHeartbeat.JOIN_EPOCH)
            {
                // Kafka answers GROUP_ID_NOT_FOUND, which its client takes as fatal; membership is not stored
                // here, so after a restart this is what makes the member rejoin instead.
                return HeartbeatResult.failed(GroupError.UNKNOWN_MEMBER_ID, "member " + heartbeat.memberId() +
                    " is not in group " + groupId);
            }
            groups.remove(groupId);
            group = new ConsumerGroup(groupId, config, assignor, nowMs);
            consumerGroups.put(groupId, group);
        }
        return group.heartbeat(heartbeat, topics, nowMs);
    }

    /**
     * May this commit be taken? A group not known takes commits made outside any generation (a negative generation
     * and no member id: standalone consumers and admin tools), and is created by the first.
     *
     * @param generation the generation, or for a consumer-protocol group the member epoch.
     * @return NONE, or why not; GROUP_ID_NOT_FOUND for a generation's commit to a group not known.
     */
    public GroupError validateCommit(
        final String groupId,
        final String memberId,
        final String instanceId,
        final int generation,
        final short version,
        final long nowMs)
    {
        if (groupId == null || groupId.isEmpty())
        {
            return GroupError.INVALID_GROUP_ID;
        }
        final ConsumerGroup consumerGroup = consumerGroups.get(groupId);
        if (consumerGroup != null)
        {
            return consumerGroup.validateCommit(memberId, generation, version);
        }
        final ClassicGroup group = groups.get(groupId);
        if (group == null)
        {
            return generation < 0 ? GroupError.NONE : GroupError.GROUP_ID_NOT_FOUND;
        }
        return group.validateCommit(memberId, instanceId, generation, nowMs);
    }

    /**
     * One partition of a commit {@link #validateCommit} took: a consumer-protocol member committing at an older
     * epoch than its own may commit only the partitions it held by then (see {@link ConsumerGroup}); anything else
     * was settled for the whole request.
     */
    public GroupError validateCommittedPartition(
        final String groupId, final String memberId, final int memberEpoch, final String topic, final int partition)
    {
        final ConsumerGroup consumerGroup = consumerGroups.get(groupId);
        return consumerGroup == null ? GroupError.NONE :
            consumerGroup.validateCommittedPartition(memberId, memberEpoch, topic, partition);
    }

    /**
     * A commit that is stored: from now on it is what OffsetFetch answers, unless a later record of the offsets
     * topic (one at a higher {@code recordOffset}) has already been applied for the same partition.
     */
    public void applyCommit(
        final String groupId,
        final TopicPartitionId partition,
        final CommittedOffset offset,
        final long recordOffset,
        final long nowMs)
    {
        final Map<TopicPartitionId, Long> applied = recordOffsets.computeIfAbsent(groupId, id -> new HashMap<>());
        final Long previous = applied.get(partition);
        if (previous != null && previous > recordOffset)
        {
            return;
        }
        applied.put(partition, recordOffset);
        if (!consumerGroups.containsKey(groupId))
        {
            groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, config, nowMs));
        }
        offsets.computeIfAbsent(groupId, id -> new TreeMap<>()).put(partition, offset);
    }

    /**
     * A commit's deletion that is stored (a tombstone in the offsets topic).
     */
    public void applyRemoval(final String groupId, final TopicPartitionId partition)
    {
        final NavigableMap<TopicPartitionId, CommittedOffset> committed = offsets.get(groupId);
        if (committed != null)
        {
            committed.remove(partition);
            recordOffsets.get(groupId).remove(partition);
        }
    }

    /**
     * The offset committed for one partition, or null.
     */
    public CommittedOffset committed(final String groupId, final TopicPartitionId partition)
    {
        final NavigableMap<TopicPartitionId, CommittedOffset> committed = offsets.get(groupId);
        return committed == null ? null : committed.get(partition);
    }

    /**
     * Every offset the group has committed, by topic and partition.
     */
    public NavigableMap<TopicPartitionId, CommittedOffset> committed(final String groupId)
    {
        final NavigableMap<TopicPartitionId, CommittedOffset> committed = offsets.get(groupId);
        return committed == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(committed);
    }

    /**
     * The ids of the groups that have committed offsets.
     */
    public Set<String> groupsWithOffsets()
    {
        return Collections.unmodifiableSet(offsets.keySet());
    }

    /**
     * May this OffsetFetch be answered? Only a consumer-protocol group checks the member (OffsetFetch v9 and later
     * name it); any other fetch is answered.
     *
     * @param memberId null when the request names no member.
     */
    public GroupError validateFetch(final String groupId, final String memberId, final int memberEpoch)
    {
        final ConsumerGroup group = consumerGroups.get(groupId);
        return group == null ? GroupError.NONE : group.validateFetch(memberId, memberEpoch);
    }

    /**
     * The consumer-protocol group, or null if none by that id exists.
     */
    public ConsumerGroup consumerGroup(final String groupId)
    {
        return consumerGroups.get(groupId);
    }

    /**
     * Every consumer-protocol group, by id.
     */
    public Collection<ConsumerGroup> consumerGroups()
    {
        return Collections.unmodifiableCollection(consumerGroups.values());
    }

    /**
     * The classic group, or null if none by that id exists.
     */
    public ClassicGroup group(final String groupId)
    {
        return groups.get(groupId);
    }

    /**
     * Every classic group, by id.
     */
    public Collection<ClassicGroup> groups()
    {
        return Collections.unmodifiableCollection(groups.values());
    }

    /**
     * May the group be deleted? Only one that exists and has no members.
     */
    public GroupError checkDeletable(final String groupId)
    {
        final ConsumerGroup consumerGroup = consumerGroups.get(groupId);
        if (consumerGroup != null)
        {
            return consumerGroup.hasMembers() ? GroupError.NON_EMPTY_GROUP : GroupError.NONE;
        }
        final ClassicGroup group = groups.get(groupId);
        if (group == null)
        {
            return GroupError.GROUP_ID_NOT_FOUND;
        }
        return group.hasMembers() ? GroupError.NON_EMPTY_GROUP : GroupError.NONE;
    }

    /**
     * Forget a group whose offsets' deletion is stored.
     */
    public void delete(final String groupId)
    {
        groups.remove(groupId);
        consumerGroups.remove(groupId);
        forgetOffsets(groupId);
    }

    private void forgetOffsets(final String groupId)
    {
        offsets.remove(groupId);
        recordOffsets.remove(groupId);
    }

    /**
     * Forget every group and committed offset: this node stopped coordinating (another leads the offsets topic now),
     * or starts again and replays the offsets topic from its log.
     */
    public void clear()
    {
        groups.clear();
        consumerGroups.clear();
        offsets.clear();
        recordOffsets.clear();
    }

    /**
     * Run the timers that are due: expire sessions and pending member ids, end join phases, and forget groups that
     * have been empty, with no committed offsets, for {@link #EMPTY_GROUP_RETENTION_MS} (Kafka's offsets cleanup
     * interval, at which it drops them too).
     */
    public void poll(final long nowMs)
    {
        for (final Iterator<ClassicGroup> all = groups.values().iterator(); all.hasNext(); )
        {
            final ClassicGroup group = all.next();
            group.poll(nowMs);
            if (group.state() == GroupState.EMPTY && !group.hasMembers() && committed(group.groupId()).isEmpty() &&
                nowMs - group.stateSinceMs() >= EMPTY_GROUP_RETENTION_MS)
            {
                all.remove();
                forgetOffsets(group.groupId());
            }
        }
        for (final Iterator<ConsumerGroup> all = consumerGroups.values().iterator(); all.hasNext(); )
        {
            final ConsumerGroup group = all.next();
            group.poll(nowMs);
            if (!group.hasMembers() && committed(group.groupId()).isEmpty() &&
                nowMs - group.emptySinceMs() >= EMPTY_GROUP_RETENTION_MS)
            {
                all.remove();
                forgetOffsets(group.groupId());
            }
        }
    }
}
