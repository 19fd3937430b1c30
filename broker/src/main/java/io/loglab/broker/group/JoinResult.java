package io.loglab.broker.group;

import java.util.List;

/**
 * A JoinGroup's answer, filled in by the coordinator at once or when the rebalance's join phase completes; the
 * response waits until {@link #isDone()}.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class JoinResult
{
    /** A joined member as the leader sees it: its id, static instance id (or null) and subscription. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata)
    {
    }

    private boolean done;
    private GroupError error = GroupError.NONE;
    private int generationId = -1;
    private String protocolType;
    private String protocolName;
    private String leaderId = "";
    private String memberId = "";
    private boolean skipAssignment;
    private List<JoinedMember> members = List.of();

    void fail(final GroupError error, final String memberId)
    {
        this.error = error;
        this.memberId = memberId;
        this.done = true;
    }

    void complete(
        final int generationId,
        final String protocolType,
        final String protocolName,
        final String leaderId,
        final String memberId,
        final boolean skipAssignment,
        final List<JoinedMember> members)
    {
        this.generationId = generationId;
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.leaderId = leaderId;
        this.memberId = memberId;
        this.skipAssignment = skipAssignment;
        this.members = members;
        this.done = true;
    }

    public boolean isDone()
    {
        return done;
    }

    public GroupError error()
    {
        return error;
    }

    public int generationId()
    {
        return generationId;
    }

    public String protocolType()
    {
        return protocolType;
    }

    public String protocolName()
    {
        return protocolName;
    }

    public String leaderId()
    {
        return leaderId;
    }

    public String memberId()
    {
        return memberId;
    }

    /** A static leader rejoined a stable group: it keeps the assignment and must not compute a new one. */
    public boolean skipAssignment()
    {
        return skipAssignment;
    }

    /** Every member, for the leader only; empty for the others. */
    public List<JoinedMember> members()
    {
        return members;
    }
}
