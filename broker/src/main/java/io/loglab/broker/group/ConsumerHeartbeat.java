package io.loglab.broker.group;

import java.util.List;

/**
 * A ConsumerGroupHeartbeat request, in the coordinator's terms. Fields a member leaves unchanged since its last
 * heartbeat are null (or -1 for the rebalance timeout), as the protocol sends them.
 *
 * @param memberId        never empty: from v1 the client makes it; for v0 the wire layer makes one for a join.
 * @param memberEpoch     0 to join, -1 to leave, -2 for a static member leaving to come back, else the member's epoch.
 * @param ownedPartitions what the member says it owns, or null when unchanged.
 */
public record ConsumerHeartbeat(
    String groupId,
    String memberId,
    int memberEpoch,
    String instanceId,
    String rackId,
    int rebalanceTimeoutMs,
    List<String> subscribedTopicNames,
    String subscribedTopicRegex,
    String serverAssignor,
    Assignment ownedPartitions,
    String clientId,
    String clientHost)
{
    public static final int JOIN_EPOCH = 0;
    /** A static member leaving meaning to come back: it keeps its partitions meanwhile. */
    public static final int STATIC_LEAVE_EPOCH = -2;

    /**
     * @return why Kafka would refuse this heartbeat as INVALID_REQUEST (its words), or null.
     */
    String invalid()
    {
        if (groupId == null || groupId.isEmpty())
        {
            return "GroupId can't be empty.";
        }
        if (memberId == null || memberId.isEmpty())
        {
            return "MemberId can't be empty.";
        }
        if ("".equals(instanceId))
        {
            return "InstanceId can't be empty.";
        }
        if ("".equals(rackId))
        {
            return "RackId can't be empty.";
        }
        if (memberEpoch == JOIN_EPOCH)
        {
            if (rebalanceTimeoutMs == -1)
            {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (ownedPartitions == null || !ownedPartitions.isEmpty())
            {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            if (subscribedTopicNames == null && subscribedTopicRegex == null)
            {
                return "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.";
            }
        }
        else if (memberEpoch == STATIC_LEAVE_EPOCH && instanceId == null)
        {
            return "InstanceId can't be null.";
        }
        else if (memberEpoch < STATIC_LEAVE_EPOCH)
        {
            return "MemberEpoch is invalid.";
        }
        return null;
    }

    /**
     * Whether the member sent everything (a join, or a rejoin after an error): then it is answered its assignment
     * even if that did not change.
     */
    boolean isFull()
    {
        return memberEpoch == JOIN_EPOCH ||
            (rebalanceTimeoutMs != -1 && subscribedTopicNames != null && ownedPartitions != null);
    }
}
