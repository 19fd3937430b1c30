package io.loglab.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A classic group's members, in the order they joined: who is in, which static instance each is, the member ids
 * handed out and not yet used, and what the members have in common (the protocols they all support, the longest
 * rebalance timeout).
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
final class GroupMembers
{
    private final Map<String, GroupMember> byId = new LinkedHashMap<>();
    /** Static instance id to its current member id. */
    private final Map<String, String> byInstance = new HashMap<>();
    /** Dynamic members told MEMBER_ID_REQUIRED, to when they must have joined with their id. */
    private final Map<String, Long> pending = new HashMap<>();

    GroupMember get(final String memberId)
    {
        return byId.get(memberId);
    }

    /**
     * The member a static instance id stands for, or null.
     */
    GroupMember ofInstance(final String instanceId)
    {
        final String memberId = byInstance.get(instanceId);
        return memberId == null ? null : byId.get(memberId);
    }

    boolean isEmpty()
    {
        return byId.isEmpty();
    }

    /** Members, or member ids handed out and not yet used. */
    boolean hasAny()
    {
        return !byId.isEmpty() || !pending.isEmpty();
    }

    Collection<GroupMember> all()
    {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** The member that joined first. */
    String first()
    {
        return byId.keySet().iterator().next();
    }

    void add(final GroupMember member)
    {
        byId.put(member.memberId(), member);
        if (member.groupInstanceId() != null)
        {
            byInstance.put(member.groupInstanceId(), member.memberId());
        }
    }

    void remove(final GroupMember member)
    {
        byId.remove(member.memberId());
        if (member.groupInstanceId() != null)
        {
            byInstance.remove(member.groupInstanceId());
        }
    }

    /**
     * A static member's restarted client takes its place under a new member id.
     */
    void replace(final GroupMember old, final GroupMember replacement)
    {
        byId.remove(old.memberId());
        add(replacement);
    }

    void addPending(final String memberId, final long deadlineMs)
    {
        pending.put(memberId, deadlineMs);
    }

    /**
     * @return whether {@code memberId} was handed out and not yet used; it is not pending any more.
     */
    boolean takePending(final String memberId)
    {
        return pending.remove(memberId) != null;
    }

    void expirePending(final long nowMs)
    {
        pending.values().removeIf(deadlineMs -> nowMs - deadlineMs > 0);
    }

    /**
     * Members whose session ran out while they waited on nothing.
     */
    List<GroupMember> expired(final long nowMs)
    {
        final List<GroupMember> expired = new ArrayList<>();
        byId.values().forEach(member ->
        {
            if (member.expired(nowMs))
            {
                expired.add(member);
            }
        });
        return expired;
    }

    /**
     * Members that have not rejoined in this join phase.
     */
    List<GroupMember> notRejoined()
    {
        final List<GroupMember> missing = new ArrayList<>();
        byId.values().forEach(member ->
        {
            if (!member.isAwaitingJoin())
            {
                missing.add(member);
            }
        });
        return missing;
    }

    /**
     * Whether every member has rejoined and no member id handed out is still to be used.
     */
    boolean allJoined()
    {
        if (!pending.isEmpty())
        {
            return false;
        }
        for (final GroupMember member : byId.values())
        {
            if (!member.isAwaitingJoin())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Why this member id (and static instance id, if given) may not act, or NONE: an instance id now standing for
     * another member is fenced; a member id not in the group is unknown.
     */
    GroupError validate(final String memberId, final String instanceId)
    {
        if (instanceId != null)
        {
            final String current = byInstance.get(instanceId);
            if (current != null && !current.equals(memberId))
            {
                return GroupError.FENCED_INSTANCE_ID;
            }
        }
        return byId.containsKey(memberId) ? GroupError.NONE : GroupError.UNKNOWN_MEMBER_ID;
    }

    /**
     * The group's rebalance timeout: the longest any member asked for.
     */
    int rebalanceTimeoutMs()
    {
        int timeoutMs = 0;
        for (final GroupMember member : byId.values())
        {
            timeoutMs = Math.max(timeoutMs, member.rebalanceTimeoutMs());
        }
        return timeoutMs;
    }

    /**
     * Whether a member joining with these protocols shares at least one with every other member.
     */
    boolean shareAProtocolWith(final JoinRequest request)
    {
        for (final Protocol protocol : request.protocols())
        {
            boolean all = true;
            for (final GroupMember member : byId.values())
            {
                all &= member.memberId().equals(request.memberId()) || member.supports(protocol.name());
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol every member supports that most members prefer; a tie goes to the one the first member prefers.
     */
    String selectProtocol()
    {
        Set<String> candidates = null;
        for (final GroupMember member : byId.values())
        {
            final Set<String> names = new LinkedHashSet<>();
            member.protocols().forEach(protocol -> names.add(protocol.name()));
            if (candidates == null)
            {
                candidates = names;
            }
            else
            {
                candidates.retainAll(names);
            }
        }
        final Map<String, Integer> votes = new HashMap<>();
        for (final GroupMember member : byId.values())
        {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        String selected = null;
        for (final String candidate : candidates)
        {
            if (selected == null || votes.getOrDefault(candidate, 0) > votes.getOrDefault(selected, 0))
            {
                selected = candidate;
            }
        }
        return selected;
    }

    /**
     * Every member as the leader sees it: id, instance id, and its subscription for {@code protocolName}.
     */
    List<JoinResult.JoinedMember> joined(final String protocolName)
    {
        final List<JoinResult.JoinedMember> joined = new ArrayList<>();
        byId.values().forEach(member -> joined.add(new JoinResult.JoinedMember(
            member.memberId(), member.groupInstanceId(), member.metadata(protocolName))));
        return joined;
    }
}
