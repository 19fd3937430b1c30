package io.loglab.broker.wire;

import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.GroupError;
import io.loglab.broker.group.JoinRequest;
import io.loglab.broker.group.JoinResult;
import io.loglab.broker.group.Protocol;
import io.loglab.broker.group.SyncResult;
import io.loglab.broker.network.Response;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic group protocol's membership APIs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) translated to and
 * from the coordinator. A JoinGroup or SyncGroup that must wait for the rest of the group waits without a thread,
 * until the coordinator completes it.
 */
final class GroupMembershipHandler
{
    private final GroupCoordinator coordinator;
    private final SocketTransferChannel channel;

    GroupMembershipHandler(final GroupCoordinator coordinator, final SocketTransferChannel channel)
    {
        this.coordinator = coordinator;
        this.channel = channel;
    }

    static Errors error(final GroupError error)
    {
        return Errors.valueOf(error.name());
    }

    Response join(final RequestContext context, final JoinGroupRequestData request, final long nowMs)
    {
        final List<Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(protocol -> protocols.add(new Protocol(protocol.name(), protocol.metadata())));
        final short version = context.version();
        final JoinResult result = coordinator.join(new JoinRequest(
            request.groupId(),
            request.memberId(),
            request.groupInstanceId(),
            context.clientId(),
            context.clientHost(),
            request.sessionTimeoutMs(),
            // v0 has no rebalance timeout: the session timeout serves, as in Kafka.
            version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs(),
            request.protocolType(),
            protocols,
            version >= 4), nowMs);
        return KafkaResponse.when(channel, context, result::isDone, () -> joinResponse(result, version));
    }

    private static JoinGroupResponseData joinResponse(final JoinResult result, final short version)
    {
        // Before v7 the protocol name may not be null.
        final String protocolName = result.protocolName() == null && version < 7 ? "" : result.protocolName();
        final JoinGroupResponseData response = new JoinGroupResponseData()
            .setErrorCode(error(result.error()).code())
            .setGenerationId(result.generationId())
            .setProtocolName(protocolName)
            .setLeader(result.leaderId())
            .setMemberId(result.memberId());
        if (version >= 7)
        {
            response.setProtocolType(result.protocolType());
        }
        if (version >= 9)
        {
            response.setSkipAssignment(result.skipAssignment());
        }
        for (final JoinResult.JoinedMember member : result.members())
        {
            response.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(version >= 5 ? member.groupInstanceId() : null)
                .setMetadata(member.metadata()));
        }
        return response;
    }

    Response sync(final RequestContext context, final SyncGroupRequestData request, final long nowMs)
    {
        final Map<String, byte[]> assignments = new HashMap<>();
        request.assignments().forEach(assignment -> assignments.put(assignment.memberId(), assignment.assignment()));
        final short version = context.version();
        final SyncResult result = coordinator.sync(request.groupId(), request.memberId(), request.groupInstanceId(),
            request.generationId(), request.protocolType(), request.protocolName(), assignments, nowMs);
        return KafkaResponse.when(channel, context, result::isDone, () ->
        {
            final SyncGroupResponseData response = new SyncGroupResponseData()
                .setErrorCode(error(result.error()).code())
                .setAssignment(result.assignment());
            if (version >= 5)
            {
                response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
            }
            return response;
        });
    }

    HeartbeatResponseData heartbeat(final HeartbeatRequestData request, final long nowMs)
    {
        return new HeartbeatResponseData().setErrorCode(error(coordinator.heartbeat(request.groupId(),
            request.memberId(), request.groupInstanceId(), request.generationId(), nowMs)).code());
    }

    /**
     * v0 to v2 name one member; v3 and later a list, each by member id or (an admin removing a static member) by
     * instance id, each answered on its own.
     */
    LeaveGroupResponseData leave(final LeaveGroupRequestData request, final short version, final long nowMs)
    {
        final LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (version < 3)
        {
            return response.setErrorCode(
                error(coordinator.leave(request.groupId(), request.memberId(), null, nowMs)).code());
        }
        for (final LeaveGroupRequestData.MemberIdentity member : request.members())
        {
            response.members().add(new LeaveGroupResponseData.MemberResponse()
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setErrorCode(error(coordinator.leave(
                    request.groupId(), member.memberId(), member.groupInstanceId(), nowMs)).code()));
        }
        return response;
    }
}
