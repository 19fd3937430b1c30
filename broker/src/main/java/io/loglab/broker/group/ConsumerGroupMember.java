package io.loglab.broker.group;

import com.google.re2j.Pattern;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * One member of a consumer group (the KIP-848 protocol): its subscription, its epoch, and the partitions it is
 * assigned. It moves towards the group's target assignment the way Kafka's coordinator moves it: partitions it must
 * give up are revoked first (it keeps its epoch, in {@link State#UNREVOKED_PARTITIONS}, until its heartbeat no longer
 * reports them); then it takes the target's epoch and every target partition no other member still holds, waiting
 * in {@link State#UNRELEASED_PARTITIONS} for the rest. No partition is ever held by two members.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class ConsumerGroupMember
{
    /** Where the member stands against the group's target assignment. */
    public enum State
    {
        /** Holds its target assignment, at the target's epoch. */
        STABLE,
        /** Must give up partitions before anything else. */
        UNREVOKED_PARTITIONS,
        /** At the target's epoch, waiting for partitions other members still hold. */
        UNRELEASED_PARTITIONS
    }

    private final String memberId;
    private final String instanceId;
    private final String clientId;
    private final String clientHost;
    private String rackId;
    private int rebalanceTimeoutMs;
    private List<String> subscribedTopicNames = List.of();
    private String subscribedTopicRegex;
    private Pattern subscribedTopicPattern;
    private String serverAssignor;
    private int memberEpoch;
    private int previousMemberEpoch;
    private State state = State.STABLE;
    private Assignment assigned = Assignment.EMPTY;
    private Assignment pendingRevocation = Assignment.EMPTY;
    /** The member epoch at which it was given each partition it holds (assigned or being revoked), by topic id. */
    private Map<UUID, Map<Integer, Integer>> assignmentEpochs = new HashMap<>();
    private long sessionDeadlineMs;
    /** While {@link State#UNREVOKED_PARTITIONS}: when the member is removed if it still has not revoked them. */
    private long revocationDeadlineMs = Long.MAX_VALUE;

    ConsumerGroupMember(final String memberId, final String instanceId, final String clientId, final String clientHost)
    {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
    }

    /**
     * A static member's new incarnation (its client restarted under the same instance id): it takes over the
     * partitions and epoch the old one left with, so the group does not rebalance.
     */
    void replacing(final ConsumerGroupMember old)
    {
        rackId = old.rackId;
        rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        subscribedTopicNames = old.subscribedTopicNames;
        subscribedTopicRegex = old.subscribedTopicRegex;
        subscribedTopicPattern = old.subscribedTopicPattern;
        serverAssignor = old.serverAssignor;
        memberEpoch = old.previousMemberEpoch;
        previousMemberEpoch = old.previousMemberEpoch;
        state = old.state;
        assigned = old.assigned;
        pendingRevocation = old.pendingRevocation;
        assignmentEpochs = old.assignmentEpochs;
    }

    /**
     * Take what a heartbeat changes (null or -1 means unchanged). A regular expression must have been checked
     * ({@link Pattern#compile} does not throw for it).
     *
     * @return whether the subscription changed, which starts a new group epoch.
     */
    boolean update(final ConsumerHeartbeat heartbeat)
    {
        if (heartbeat.rackId() != null)
        {
            rackId = heartbeat.rackId();
        }
        if (heartbeat.rebalanceTimeoutMs() != -1)
        {
            rebalanceTimeoutMs = heartbeat.rebalanceTimeoutMs();
        }
        boolean changed = false;
        if (heartbeat.subscribedTopicNames() != null && !heartbeat.subscribedTopicNames().equals(subscribedTopicNames))
        {
            subscribedTopicNames = List.copyOf(heartbeat.subscribedTopicNames());
            changed = true;
        }
        if (heartbeat.subscribedTopicRegex() != null && !heartbeat.subscribedTopicRegex().equals(subscribedTopicRegex))
        {
            subscribedTopicRegex = heartbeat.subscribedTopicRegex();
            // An empty one subscribes to nothing, as in Kafka.
            subscribedTopicPattern = subscribedTopicRegex.isEmpty() ? null : Pattern.compile(subscribedTopicRegex);
            changed = true;
        }
        if (heartbeat.serverAssignor() != null && !heartbeat.serverAssignor().equals(serverAssignor))
        {
            serverAssignor = heartbeat.serverAssignor();
            changed = true;
        }
        return changed;
    }

    /**
     * Move towards the target assignment as far as the member's owned partitions and the other members allow.
     *
     * @param owned             what the heartbeat says the member owns, or null if it did not say (then it is taken
     *                          to own everything it was given).
     * @param subscribed        the topic ids the member subscribes to now: anything else it holds is revoked.
     * @param heldByAnotherMember whether a partition is still assigned to, or being revoked from, another member.
     * @param nowMs               when revocation starts, the member has its rebalance timeout from now to finish it.
     */
    void reconcile(
        final int targetEpoch,
        final Assignment target,
        final Assignment owned,
        final Set<UUID> subscribed,
        final BiPredicate<UUID, Integer> heldByAnotherMember,
        final long nowMs)
    {
        if (state == State.UNREVOKED_PARTITIONS && ownsAnyOf(owned, pendingRevocation))
        {
            return;
        }
        if (state == State.STABLE && memberEpoch == targetEpoch && assigned.onlyTopics(subscribed).equals(assigned))
        {
            return;
        }
        final Assignment wanted = target.onlyTopics(subscribed);
        final Assignment kept = assigned.intersect(wanted);
        final Assignment revoking = assigned.minus(kept);
        if (!revoking.isEmpty() && ownsAnyOf(owned, revoking))
        {
            // Give up first; nothing new until the client has stopped using what it loses.
            assigned = kept;
            pendingRevocation = revoking;
            state = State.UNREVOKED_PARTITIONS;
            revocationDeadlineMs = nowMs + rebalanceTimeoutMs;
            return;
        }
        final Assignment free = wanted.minus(kept).filter((topicId, partition) ->
            !heldByAnotherMember.test(topicId, partition));
        assigned = kept.union(free);
        pendingRevocation = Assignment.EMPTY;
        revocationDeadlineMs = Long.MAX_VALUE;
        state = assigned.equals(wanted) ? State.STABLE : State.UNRELEASED_PARTITIONS;
        if (memberEpoch != targetEpoch)
        {
            previousMemberEpoch = memberEpoch;
            memberEpoch = targetEpoch;
        }
        free.partitions().forEach((topicId, partitions) -> partitions.forEach(partition ->
            assignmentEpochs.computeIfAbsent(topicId, id -> new HashMap<>()).put(partition, targetEpoch)));
        forgetEpochsOfPartitionsNotHeld();
    }

    private void forgetEpochsOfPartitionsNotHeld()
    {
        final Assignment held = assigned.union(pendingRevocation);
        assignmentEpochs.entrySet().removeIf(topic ->
        {
            topic.getValue().keySet().removeIf(partition -> !held.contains(topic.getKey(), partition));
            return topic.getValue().isEmpty();
        });
    }

    /**
     * The member epoch at which the member was given a partition it holds (assigned, or being revoked), or null if
     * it holds none such: a commit at an older epoch than its own is taken for the partitions it held by then
     * (KIP-1251, as Kafka 4.4 checks it), so a commit sent just before a heartbeat moved the member on still counts.
     */
    Integer assignmentEpoch(final UUID topicId, final int partition)
    {
        return assignmentEpochs.getOrDefault(topicId, Map.of()).get(partition);
    }

    private static boolean ownsAnyOf(final Assignment owned, final Assignment partitions)
    {
        return owned == null ? !partitions.isEmpty() : owned.intersects(partitions);
    }

    /**
     * A heartbeat at an epoch that is not the member's: accepted only if it is the previous one and the member owns
     * nothing beyond what it is assigned (the answer that moved it on was lost), as Kafka accepts it.
     */
    boolean acceptsEpoch(final int epoch, final Assignment owned)
    {
        return !leftStatically() && (epoch == memberEpoch ||
            (epoch == previousMemberEpoch && owned != null && owned.isSubsetOf(assigned)));
    }

    /**
     * Leave meaning to come back: the member keeps what it is assigned for its next incarnation, but not what it was
     * giving up, which is free at once, as in Kafka.
     */
    void leaveStatically()
    {
        previousMemberEpoch = memberEpoch;
        memberEpoch = ConsumerHeartbeat.STATIC_LEAVE_EPOCH;
        pendingRevocation = Assignment.EMPTY;
        revocationDeadlineMs = Long.MAX_VALUE;
        forgetEpochsOfPartitionsNotHeld();
    }

    boolean leftStatically()
    {
        return memberEpoch == ConsumerHeartbeat.STATIC_LEAVE_EPOCH;
    }

    /**
     * Whether the member subscribes to this topic, by name or by its regular expression.
     */
    boolean subscribesTo(final String topicName)
    {
        return subscribedTopicNames.contains(topicName) ||
            (subscribedTopicPattern != null && subscribedTopicPattern.matches(topicName));
    }

    void sessionDeadlineMs(final long sessionDeadlineMs)
    {
        this.sessionDeadlineMs = sessionDeadlineMs;
    }

    long sessionDeadlineMs()
    {
        return sessionDeadlineMs;
    }

    long revocationDeadlineMs()
    {
        return revocationDeadlineMs;
    }

    public String memberId()
    {
        return memberId;
    }

    /**
     * The static member's {@code group.instance.id}, or null.
     */
    public String instanceId()
    {
        return instanceId;
    }

    public String clientId()
    {
        return clientId;
    }

    public String clientHost()
    {
        return clientHost;
    }

    public String rackId()
    {
        return rackId;
    }

    public List<String> subscribedTopicNames()
    {
        return subscribedTopicNames;
    }

    /**
     * The regular expression the member subscribes with, or null.
     */
    Pattern subscribedTopicPattern()
    {
        return subscribedTopicPattern;
    }

    /**
     * The server-side assignor the member asked for, or null for the group's default.
     */
    public String serverAssignor()
    {
        return serverAssignor;
    }

    public int memberEpoch()
    {
        return memberEpoch;
    }

    public State state()
    {
        return state;
    }

    /**
     * The partitions the member may use now.
     */
    public Assignment assigned()
    {
        return assigned;
    }

    /**
     * The partitions the member must give up and is still taken to hold.
     */
    public Assignment pendingRevocation()
    {
        return pendingRevocation;
    }
}
