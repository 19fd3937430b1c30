package io.loglab.broker.group;

/**
 * A SyncGroup's answer: the member's assignment, once the leader's SyncGroup has brought the group to Stable.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class SyncResult
{
    private static final byte[] NO_ASSIGNMENT = new byte[0];

    private boolean done;
    private GroupError error = GroupError.NONE;
    private String protocolType;
    private String protocolName;
    private byte[] assignment = NO_ASSIGNMENT;

    void fail(final GroupError error)
    {
        this.error = error;
        this.done = true;
    }

    void complete(final String protocolType, final String protocolName, final byte[] assignment)
    {
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.assignment = assignment;
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

    public String protocolType()
    {
        return protocolType;
    }

    public String protocolName()
    {
        return protocolName;
    }

    public byte[] assignment()
    {
        return assignment;
    }
}
