package io.loglab.broker.group;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One member of a classic group: who it is, what it can use, what it was assigned, and the join or sync it is
 * waiting on. A member waiting on either is not expired, since its client cannot heartbeat meanwhile.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
public final class GroupMember
{
    private static final byte[] NO_ASSIGNMENT = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private int sessionTimeoutMs;
    private int rebalanceTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = NO_ASSIGNMENT;
    private long heartbeatDeadlineMs;
    private JoinResult awaitingJoin;
    private SyncResult awaitingSync;

    GroupMember(final String memberId, final JoinRequest request)
    {
        this.memberId = memberId;
        this.groupInstanceId = request.groupInstanceId();
        this.clientId = request.clientId();
        this.clientHost = request.clientHost();
        update(request);
    }

    /**
     * The same static member under a new member id (its client restarted): what it was assigned is kept.
     */
    GroupMember replacedBy(final String newMemberId, final JoinRequest request)
    {
        final GroupMember replacement = new GroupMember(newMemberId, request);
        replacement.assignment = assignment;
        return replacement;
    }

    void update(final JoinRequest request)
    {
        this.sessionTimeoutMs = request.sessionTimeoutMs();
        this.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        this.protocols = request.protocols();
    }

    /**
     * Whether a join names the same protocols, in the same order, with the same subscriptions.
     */
    boolean sameProtocols(final List<Protocol> other)
    {
        if (other.size() != protocols.size())
        {
            return false;
        }
        for (int i = 0; i < other.size(); i++)
        {
            if (!other.get(i).name().equals(protocols.get(i).name()) ||
                !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata()))
            {
                return false;
            }
        }
        return true;
    }

    boolean supports(final String protocolName)
    {
        return metadata(protocolName) != null;
    }

    /**
     * The subscription this member sent for {@code protocolName}, or null if it does not support it.
     */
    public byte[] metadata(final String protocolName)
    {
        for (final Protocol protocol : protocols)
        {
            if (protocol.name().equals(protocolName))
            {
                return protocol.metadata();
            }
        }
        return null;
    }

    /**
     * The first protocol in this member's order of preference among {@code candidates}.
     */
    String vote(final Set<String> candidates)
    {
        for (final Protocol protocol : protocols)
        {
            if (candidates.contains(protocol.name()))
            {
                return protocol.name();
            }
        }
        throw new IllegalStateException(memberId + " supports none of " + candidates);
    }

    void heartbeat(final long nowMs)
    {
        heartbeatDeadlineMs = nowMs + sessionTimeoutMs;
    }

    boolean expired(final long nowMs)
    {
        return awaitingJoin == null && awaitingSync == null && nowMs - heartbeatDeadlineMs > 0;
    }

    void awaitJoin(final JoinResult result)
    {
        if (awaitingJoin != null && awaitingJoin != result)
        {
            // The client gave up on its earlier join and sent another: the earlier one is answered, the new one waits.
            awaitingJoin.fail(GroupError.REBALANCE_IN_PROGRESS, memberId);
        }
        awaitingJoin = result;
    }

    JoinResult takeAwaitingJoin()
    {
        final JoinResult result = awaitingJoin;
        awaitingJoin = null;
        return result;
    }

    void awaitSync(final SyncResult result)
    {
        if (awaitingSync != null && awaitingSync != result)
        {
            awaitingSync.fail(GroupError.REBALANCE_IN_PROGRESS);
        }
        awaitingSync = result;
    }

    SyncResult takeAwaitingSync()
    {
        final SyncResult result = awaitingSync;
        awaitingSync = null;
        return result;
    }

    boolean isAwaitingJoin()
    {
        return awaitingJoin != null;
    }

    /**
     * Answer whatever this member waits on with {@code error}: it was removed, fenced, or the rebalance moved on.
     */
    void failWaiting(final GroupError error)
    {
        final JoinResult join = takeAwaitingJoin();
        if (join != null)
        {
            join.fail(error, memberId);
        }
        final SyncResult sync = takeAwaitingSync();
        if (sync != null)
        {
            sync.fail(error);
        }
    }

    List<Protocol> protocols()
    {
        return protocols;
    }

    public String memberId()
    {
        return memberId;
    }

    public String groupInstanceId()
    {
        return groupInstanceId;
    }

    public String clientId()
    {
        return clientId;
    }

    public String clientHost()
    {
        return clientHost;
    }

    int rebalanceTimeoutMs()
    {
        return rebalanceTimeoutMs;
    }

    public byte[] assignment()
    {
        return assignment;
    }

    void assignment(final byte[] assignment)
    {
        this.assignment = assignment == null ? NO_ASSIGNMENT : assignment;
    }
}
