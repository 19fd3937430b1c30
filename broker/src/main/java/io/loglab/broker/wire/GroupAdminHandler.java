package io.loglab.broker.wire;

import io.loglab.broker.group.ClassicGroup;
import io.loglab.broker.group.CommittedOffset;
import io.loglab.broker.group.ConsumerGroup;
import io.loglab.broker.group.ConsumerGroupMember;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.GroupError;
import io.loglab.broker.group.GroupMember;
import io.loglab.broker.group.GroupState;
import io.loglab.broker.group.TopicPartitionId;
import io.loglab.broker.network.Response;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * FindCoordinator (this node, for every group; transactions are not served), ListGroups, DescribeGroups and
 * DeleteGroups (an empty group's offsets are tombstoned in the offsets topic, and the group forgotten once they are
 * stored).
 */
final class GroupAdminHandler
{
    private static final byte GROUP_KEY = 0;
    private static final String CLASSIC = "classic";
    /** A consumer-protocol group's type, and its protocol type as the classic APIs show it. */
    private static final String CONSUMER = "consumer";

    private final GroupCoordinator coordinator;
    private final OffsetsLog offsetsLog;
    private final Placement placement;
    private final SocketTransferChannel channel;

    GroupAdminHandler(final GroupCoordinator coordinator, final OffsetsLog offsetsLog, final Placement placement,
        final SocketTransferChannel channel)
    {
        this.coordinator = coordinator;
        this.offsetsLog = offsetsLog;
        this.placement = placement;
        this.channel = channel;
    }

    /**
     * v0 to v3 ask for one key, v4 and later for several. The offsets topic is created on the first group's ask, as
     * Kafka does.
     */
    FindCoordinatorResponseData findCoordinator(final FindCoordinatorRequestData request, final short version)
    {
        Errors error = Errors.NONE;
        String message = null;
        if (request.keyType() != GROUP_KEY)
        {
            error = Errors.INVALID_REQUEST;
            message = "key type " + request.keyType() + ": only groups (0) have a coordinator here; transactions " +
                "are not served";
        }
        else
        {
            try
            {
                if (placement.offsetsTopic() == null)
                {
                    error = Errors.COORDINATOR_NOT_AVAILABLE;
                    message = "the offsets topic is being made";
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                error = Errors.COORDINATOR_NOT_AVAILABLE;
                message = "the offsets topic cannot be created: " + ex.getMessage();
            }
        }
        final BrokerAddress coordinatorNode = coordinatorNode();
        if (error == Errors.NONE && coordinatorNode == null)
        {
            error = Errors.COORDINATOR_NOT_AVAILABLE;
            message = placement.coordinatorId() < 0 ? "the offsets topic has no leader yet, so no group coordinator" :
                "node " + placement.coordinatorId() + ", which coordinates groups, is not among the brokers";
        }
        final boolean found = error == Errors.NONE;
        final BrokerAddress advertised = found ? coordinatorNode : null;
        final FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version < 4)
        {
            return response.setErrorCode(error.code()).setErrorMessage(version >= 1 ? message : null)
                .setNodeId(found ? advertised.nodeId() : -1)
                .setHost(found ? advertised.host() : "")
                .setPort(found ? advertised.port() : -1);
        }
        for (final String key : request.coordinatorKeys())
        {
            response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                .setKey(key)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setNodeId(found ? advertised.nodeId() : -1)
                .setHost(found ? advertised.host() : "")
                .setPort(found ? advertised.port() : -1));
        }
        return response;
    }

    private BrokerAddress coordinatorNode()
    {
        for (final BrokerAddress broker : placement.brokers())
        {
            if (broker.nodeId() == placement.coordinatorId())
            {
                return broker;
            }
        }
        return null;
    }

    ListGroupsResponseData listGroups(final ListGroupsRequestData request, final short version)
    {
        final ListGroupsResponseData response = new ListGroupsResponseData();
        for (final ClassicGroup group : coordinator.groups())
        {
            list(request, version, response, group.groupId(), group.protocolType() == null ? "" :
                group.protocolType(), group.state().displayName(), CLASSIC);
        }
        for (final ConsumerGroup group : coordinator.consumerGroups())
        {
            list(request, version, response, group.groupId(), CONSUMER, group.state().displayName(), CONSUMER);
        }
        return response;
    }

    private static void list(
        final ListGroupsRequestData request,
        final short version,
        final ListGroupsResponseData response,
        final String groupId,
        final String protocolType,
        final String state,
        final String type)
    {
        if ((!request.statesFilter().isEmpty() && request.statesFilter().stream().noneMatch(state::equalsIgnoreCase)) ||
            (!request.typesFilter().isEmpty() && request.typesFilter().stream().noneMatch(type::equalsIgnoreCase)))
        {
            return;
        }
        final ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
            .setGroupId(groupId)
            .setProtocolType(protocolType);
        if (version >= 4)
        {
            listed.setGroupState(state);
        }
        if (version >= 5)
        {
            listed.setGroupType(type);
        }
        response.groups().add(listed);
    }

    /**
     * A group not known is described as Dead with no members, as Kafka describes it.
     */
    DescribeGroupsResponseData describeGroups(final DescribeGroupsRequestData request, final short version)
    {
        final DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (final String groupId : request.groups())
        {
            final ClassicGroup group = coordinator.group(groupId);
            final DescribeGroupsResponseData.DescribedGroup described =
                new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
            response.groups().add(described);
            final ConsumerGroup consumerGroup = coordinator.consumerGroup(groupId);
            if (consumerGroup != null)
            {
                describe(consumerGroup, described, version);
                continue;
            }
            if (group == null)
            {
                described.setGroupState(GroupState.DEAD.displayName()).setProtocolType("").setProtocolData("");
                continue;
            }
            final boolean stable = group.state() == GroupState.STABLE;
            described.setGroupState(group.state().displayName())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setProtocolData(group.protocolName() == null ? "" : group.protocolName());
            for (final GroupMember member : group.members())
            {
                final byte[] metadata = group.protocolName() == null ? null : member.metadata(group.protocolName());
                described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(version >= 4 ? member.groupInstanceId() : null)
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberMetadata(metadata == null ? new byte[0] : metadata)
                    // Assignments are shown once the group is stable, as Kafka shows them.
                    .setMemberAssignment(stable ? member.assignment() : new byte[0]));
            }
        }
        return response;
    }

    /**
     * A consumer-protocol group as the classic API shows it, as Kafka shows it: each member's subscription and
     * assignment in the classic consumer protocol's encoding, so tools that only speak DescribeGroups read it.
     */
    private static void describe(
        final ConsumerGroup group, final DescribeGroupsResponseData.DescribedGroup described, final short version)
    {
        described.setGroupState(group.state().displayName())
            .setProtocolType(CONSUMER)
            .setProtocolData(group.assignorName());
        final Map<UUID, String> names = group.subscribedTopicNames();
        for (final ConsumerGroupMember member : group.members())
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            member.assigned().partitions().forEach((topicId, partitions) ->
            {
                final String name = names.get(topicId);
                if (name != null)
                {
                    partitions.forEach(partition -> assigned.add(new TopicPartition(name, partition)));
                }
            });
            described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(version >= 4 ? member.instanceId() : null)
                .setClientId(member.clientId())
                .setClientHost(member.clientHost())
                .setMemberMetadata(Utils.toArray(ConsumerProtocol.serializeSubscription(
                    new ConsumerPartitionAssignor.Subscription(member.subscribedTopicNames()))))
                .setMemberAssignment(Utils.toArray(ConsumerProtocol.serializeAssignment(
                    new ConsumerPartitionAssignor.Assignment(assigned)))));
        }
    }

    /**
     * Each group is deleted only if it exists and has no members; the response waits until every deletion's
     * tombstones are stored.
     */
    Response deleteGroups(final RequestContext context, final DeleteGroupsRequestData request, final long nowMs)
    {
        final DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        final List<OffsetsLog.Write> writes = new ArrayList<>();
        final List<DeleteGroupsResponseData.DeletableGroupResult> waiting = new ArrayList<>();
        for (final String groupId : request.groupsNames())
        {
            final DeleteGroupsResponseData.DeletableGroupResult result =
                new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId);
            response.results().add(result);
            final GroupError deletable = coordinator.checkDeletable(groupId);
            if (deletable != GroupError.NONE)
            {
                result.setErrorCode(GroupMembershipHandler.error(deletable).code());
                continue;
            }
            final Map<TopicPartitionId, CommittedOffset> tombstones = new LinkedHashMap<>();
            coordinator.committed(groupId).keySet().forEach(partition -> tombstones.put(partition, null));
            if (tombstones.isEmpty())
            {
                coordinator.delete(groupId);
                continue;
            }
            writes.add(offsetsLog.write(groupId, tombstones, true, nowMs, System.currentTimeMillis()));
            waiting.add(result);
        }
        return KafkaResponse.when(channel, context, () -> writes.stream().allMatch(OffsetsLog.Write::isFinished),
            () ->
            {
                for (int i = 0; i < writes.size(); i++)
                {
                    if (writes.get(i).failure() != null)
                    {
                        waiting.get(i).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                    }
                }
                return response;
            });
    }
}
