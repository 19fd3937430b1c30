package io.loglab.broker.group;

import java.util.List;

/**
 * A JoinGroup as the coordinator sees it.
 *
 * @param memberId             "" for a member joining for the first time.
 * @param groupInstanceId      the static member's instance id, or null for a dynamic member.
 * @param requireKnownMemberId JoinGroup v4 and later: a new dynamic member first gets MEMBER_ID_REQUIRED and an id.
 */
public record JoinRequest(
    String groupId,
    String memberId,
    String groupInstanceId,
    String clientId,
    String clientHost,
    int sessionTimeoutMs,
    int rebalanceTimeoutMs,
    String protocolType,
    List<Protocol> protocols,
    boolean requireKnownMemberId)
{
}
