package io.loglab.broker.group;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One classic consumer group's membership state machine, as Kafka's coordinator runs it: Empty, then
 * PreparingRebalance while members (re)join, CompletingRebalance until the leader's SyncGroup, then Stable; any
 * join with new subscriptions, leave or expiry starts the next rebalance. The first rebalance of an empty group waits
 * {@code group.initial.rebalance.delay.ms}, re-armed as members keep arriving, up to the rebalance timeout; later
 * ones complete as soon as every known member has rejoined, or at the rebalance timeout, without those that did not.
 * A static member ({@code group.instance.id}) that rejoins a stable group with the same subscriptions takes its old
 * assignment without a rebalance; the member id it replaces is fenced.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class ClassicGroup
{
    private final String groupId;
    private final GroupConfig config;
    private final GroupMembers members = new GroupMembers();
    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private long stateSinceMs;
    /** While PreparingRebalance: when the join phase completes whoever has joined. */
    private long joinDeadlineMs;
    /** While PreparingRebalance from Empty: the join phase ends no later than this, however many keep arriving. */
    private long initialDelayLimitMs;
    private boolean initialDelay;

    ClassicGroup(final String groupId, final GroupConfig config, final long nowMs)
    {
        this.groupId = groupId;
        this.config = config;
        this.stateSinceMs = nowMs;
    }

    JoinResult join(final JoinRequest request, final long nowMs)
    {
        final JoinResult result = new JoinResult();
        if (!members.isEmpty() && !supports(request))
        {
            result.fail(GroupError.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
            return result;
        }
        if (request.memberId().isEmpty())
        {
            joinNew(request, result, nowMs);
        }
        else
        {
            joinKnown(request, result, nowMs);
        }
        return result;
    }

    private void joinNew(final JoinRequest request, final JoinResult result, final long nowMs)
    {
        final String memberId = request.clientId() + "-" + UUID.randomUUID();
        final String instanceId = request.groupInstanceId();
        final GroupMember staticMember = instanceId == null ? null : members.ofInstance(instanceId);
        if (staticMember != null)
        {
            rejoinStatic(staticMember, memberId, request, result, nowMs);
        }
        else if (instanceId == null && request.requireKnownMemberId())
        {
            members.addPending(memberId, nowMs + request.sessionTimeoutMs());
            result.fail(GroupError.MEMBER_ID_REQUIRED, memberId);
        }
        else
        {
            addAndRebalance(new GroupMember(memberId, request), request.protocolType(), result, nowMs);
        }
    }

    private void joinKnown(final JoinRequest request, final JoinResult result, final long nowMs)
    {
        final String memberId = request.memberId();
        if (members.takePending(memberId))
        {
            addAndRebalance(new GroupMember(memberId, request), request.protocolType(), result, nowMs);
            return;
        }
        final GroupError invalid = members.validate(memberId, request.groupInstanceId());
        if (invalid != GroupError.NONE)
        {
            result.fail(invalid, memberId);
            return;
        }
        final GroupMember member = members.get(memberId);
        switch (state)
        {
            case PREPARING_REBALANCE ->
            {
                member.update(request);
                member.awaitJoin(result);
                maybeCompleteJoin(nowMs);
            }
            case COMPLETING_REBALANCE, STABLE ->
            {
                final boolean unchanged = member.sameProtocols(request.protocols());
                if (unchanged && (state == GroupState.COMPLETING_REBALANCE || !memberId.equals(leaderId)))
                {
                    // A retried join, or a follower rejoining without change: the current generation stands.
                    member.heartbeat(nowMs);
                    completeJoinOf(member, result, false);
                }
                else
                {
                    member.update(request);
                    member.awaitJoin(result);
                    prepareRebalance(nowMs);
                }
            }
            default -> result.fail(GroupError.UNKNOWN_MEMBER_ID, memberId);
        }
    }

    private void rejoinStatic(
        final GroupMember old, final String memberId, final JoinRequest request, final JoinResult result,
        final long nowMs)
    {
        old.failWaiting(GroupError.FENCED_INSTANCE_ID);
        final GroupMember member = old.replacedBy(memberId, request);
        members.replace(old, member);
        final boolean wasLeader = old.memberId().equals(leaderId);
        if (wasLeader)
        {
            leaderId = memberId;
        }
        if (state == GroupState.STABLE && members.selectProtocol().equals(protocolName))
        {
            // No rebalance while the group's protocol stands (subscriptions carry owned partitions, so their bytes
            // differ after a restart): the restarted instance takes its old assignment; a leader is told not to
            // compute one.
            member.heartbeat(nowMs);
            completeJoinOf(member, result, wasLeader);
            return;
        }
        member.awaitJoin(result);
        if (state == GroupState.PREPARING_REBALANCE)
        {
            maybeCompleteJoin(nowMs);
        }
        else
        {
            prepareRebalance(nowMs);
        }
    }

    private void addAndRebalance(
        final GroupMember member, final String protocolTypeOf, final JoinResult result, final long nowMs)
    {
        if (members.isEmpty())
        {
            protocolType = protocolTypeOf;
        }
        members.add(member);
        member.awaitJoin(result);
        if (state == GroupState.PREPARING_REBALANCE)
        {
            if (initialDelay)
            {
                joinDeadlineMs = Math.min(nowMs + config.initialRebalanceDelayMs(), initialDelayLimitMs);
            }
            maybeCompleteJoin(nowMs);
        }
        else
        {
            prepareRebalance(nowMs);
        }
    }

    /**
     * Whether the group can take a member with these protocols: the same protocol type, and at least one protocol
     * every member supports.
     */
    private boolean supports(final JoinRequest request)
    {
        return (protocolType == null || protocolType.equals(request.protocolType())) &&
            members.shareAProtocolWith(request);
    }

    SyncResult sync(
        final String memberId, final String instanceId, final int generation, final Map<String, byte[]> assignments,
        final long nowMs)
    {
        final SyncResult result = new SyncResult();
        final GroupError invalid = validateGeneration(memberId, instanceId, generation);
        if (invalid != GroupError.NONE)
        {
            result.fail(invalid);
            return result;
        }
        final GroupMember member = members.get(memberId);
        switch (state)
        {
            case PREPARING_REBALANCE -> result.fail(GroupError.REBALANCE_IN_PROGRESS);
            case STABLE -> result.complete(protocolType, protocolName, member.assignment());
            case COMPLETING_REBALANCE ->
            {
                member.heartbeat(nowMs);
                member.awaitSync(result);
                if (memberId.equals(leaderId))
                {
                    for (final GroupMember each : members.all())
                    {
                        each.assignment(assignments.get(each.memberId()));
                    }
                    transition(GroupState.STABLE, nowMs);
                    for (final GroupMember each : members.all())
                    {
                        final SyncResult waiting = each.takeAwaitingSync();
                        if (waiting != null)
                        {
                            waiting.complete(protocolType, protocolName, each.assignment());
                        }
                    }
                }
            }
            default -> result.fail(GroupError.UNKNOWN_MEMBER_ID);
        }
        return result;
    }

    GroupError heartbeat(final String memberId, final String instanceId, final int generation, final long nowMs)
    {
        final GroupError invalid = validateGeneration(memberId, instanceId, generation);
        if (invalid != GroupError.NONE)
        {
            return invalid;
        }
        members.get(memberId).heartbeat(nowMs);
        return state == GroupState.PREPARING_REBALANCE ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
    }

    /**
     * Remove a member that leaves: by member id, or (LeaveGroup v3 and later, an admin's request) by instance id
     * with an unknown member id.
     */
    GroupError leave(final String memberId, final String instanceId, final long nowMs)
    {
        if (instanceId != null)
        {
            final GroupMember current = members.ofInstance(instanceId);
            if (current == null)
            {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current.memberId()))
            {
                return GroupError.FENCED_INSTANCE_ID;
            }
            remove(current, nowMs);
            return GroupError.NONE;
        }
        if (members.takePending(memberId))
        {
            maybeCompleteJoin(nowMs);
            return GroupError.NONE;
        }
        final GroupMember member = members.get(memberId);
        if (member == null)
        {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        remove(member, nowMs);
        return GroupError.NONE;
    }

    /**
     * May a commit with this member id and generation be taken? Outside a group's generation (a negative one, no
     * member id) only while the group is empty: standalone consumers and admin tools commit that way.
     */
    GroupError validateCommit(final String memberId, final String instanceId, final int generation, final long nowMs)
    {
        if (generation < 0 && memberId.isEmpty() && state == GroupState.EMPTY)
        {
            return GroupError.NONE;
        }
        final GroupError invalid = validateGeneration(memberId, instanceId, generation);
        if (invalid != GroupError.NONE)
        {
            return invalid;
        }
        if (state == GroupState.COMPLETING_REBALANCE)
        {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        members.get(memberId).heartbeat(nowMs);
        return GroupError.NONE;
    }

    /**
     * Expire members whose session ran out and pending ids never used, and end a join phase whose time is up.
     */
    void poll(final long nowMs)
    {
        members.expirePending(nowMs);
        for (final GroupMember member : members.expired(nowMs))
        {
            remove(member, nowMs);
        }
        if (state == GroupState.PREPARING_REBALANCE)
        {
            maybeCompleteJoin(nowMs);
        }
    }

    private GroupError validateGeneration(final String memberId, final String instanceId, final int generation)
    {
        final GroupError invalid = members.validate(memberId, instanceId);
        if (invalid != GroupError.NONE)
        {
            return invalid;
        }
        return generation == generationId ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
    }

    private void remove(final GroupMember member, final long nowMs)
    {
        member.failWaiting(GroupError.UNKNOWN_MEMBER_ID);
        members.remove(member);
        if (state == GroupState.PREPARING_REBALANCE)
        {
            maybeCompleteJoin(nowMs);
        }
        else if (state != GroupState.EMPTY)
        {
            prepareRebalance(nowMs);
        }
    }

    private void prepareRebalance(final long nowMs)
    {
        if (state == GroupState.COMPLETING_REBALANCE)
        {
            for (final GroupMember member : members.all())
            {
                final SyncResult waiting = member.takeAwaitingSync();
                if (waiting != null)
                {
                    waiting.fail(GroupError.REBALANCE_IN_PROGRESS);
                }
            }
        }
        final int rebalanceTimeoutMs = members.rebalanceTimeoutMs();
        initialDelay = state == GroupState.EMPTY && config.initialRebalanceDelayMs() > 0;
        if (initialDelay)
        {
            initialDelayLimitMs = nowMs + rebalanceTimeoutMs;
            joinDeadlineMs = Math.min(nowMs + config.initialRebalanceDelayMs(), initialDelayLimitMs);
        }
        else
        {
            joinDeadlineMs = nowMs + rebalanceTimeoutMs;
        }
        transition(GroupState.PREPARING_REBALANCE, nowMs);
        maybeCompleteJoin(nowMs);
    }

    private void maybeCompleteJoin(final long nowMs)
    {
        if (state != GroupState.PREPARING_REBALANCE)
        {
            return;
        }
        final boolean timeUp = nowMs - joinDeadlineMs >= 0;
        if (!timeUp && (initialDelay || !members.allJoined()))
        {
            return;
        }
        for (final GroupMember member : members.notRejoined())
        {
            members.remove(member);
        }
        generationId++;
        initialDelay = false;
        if (members.isEmpty())
        {
            // The protocol type stays, as Kafka shows it for an empty group; the next member may bring another.
            protocolName = null;
            leaderId = null;
            transition(GroupState.EMPTY, nowMs);
            return;
        }
        protocolName = members.selectProtocol();
        if (leaderId == null || members.get(leaderId) == null)
        {
            leaderId = members.first();
        }
        transition(GroupState.COMPLETING_REBALANCE, nowMs);
        for (final GroupMember member : members.all())
        {
            member.heartbeat(nowMs);
            completeJoinOf(member, member.takeAwaitingJoin(), false);
        }
    }

    private void completeJoinOf(final GroupMember member, final JoinResult result, final boolean skipAssignment)
    {
        result.complete(generationId, protocolType, protocolName, leaderId, member.memberId(), skipAssignment,
            member.memberId().equals(leaderId) ? members.joined(protocolName) : List.of());
    }

    private void transition(final GroupState next, final long nowMs)
    {
        state = next;
        stateSinceMs = nowMs;
    }

    public String groupId()
    {
        return groupId;
    }

    public GroupState state()
    {
        return state;
    }

    public long stateSinceMs()
    {
        return stateSinceMs;
    }

    /** The members' protocol type ("consumer"), kept once empty; null if no member ever joined. */
    public String protocolType()
    {
        return protocolType;
    }

    /** The protocol chosen for the current generation, or null while there is none. */
    public String protocolName()
    {
        return protocolName;
    }

    public Iterable<GroupMember> members()
    {
        return members.all();
    }

    public boolean hasMembers()
    {
        return members.hasAny();
    }
}
