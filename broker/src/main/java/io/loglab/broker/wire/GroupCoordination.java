package io.loglab.broker.wire;

import io.loglab.broker.group.GroupCoordinator;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether this broker coordinates consumer groups now, term by term: alone, always; on a cluster, while its node
 * leads the offsets topic's partition. A new term forgets every group and replays the offsets topic from this node's
 * log (whose committed records the new leader holds); the end of one forgets them and gives up the offsets writes in
 * flight. While it does not coordinate, a group request is answered NOT_COORDINATOR, so the client asks
 * FindCoordinator where the coordinator went. A JoinGroup or SyncGroup parked in a rebalance when the term ends is
 * not answered early: its client times out and asks again.
 * <p>
 * Threading: the network thread only.
 */
final class GroupCoordination
{
    private static final int NONE = -1;
    private static final Set<ApiKeys> COORDINATED = EnumSet.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP,
        ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS,
        ApiKeys.DELETE_GROUPS, ApiKeys.CONSUMER_GROUP_HEARTBEAT);

    private final Placement placement;
    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final OffsetsLog offsetsLog;
    private final ErrorHandler errorHandler;
    private int term = NONE;

    GroupCoordination(final Placement placement, final LogManager logs, final GroupCoordinator coordinator,
        final OffsetsLog offsetsLog, final ErrorHandler errorHandler)
    {
        this.placement = placement;
        this.logs = logs;
        this.coordinator = coordinator;
        this.offsetsLog = offsetsLog;
        this.errorHandler = errorHandler;
    }

    /**
     * Follow the placement: a new term of coordination replays the offsets topic, the end of one forgets the groups.
     *
     * @throws IOException if the offsets topic cannot be read; the broker does not coordinate until it can.
     */
    void poll(final long nowMs) throws IOException
    {
        final int epoch = placement.coordinatorEpoch();
        if (epoch == term)
        {
            return;
        }
        offsetsLog.abandon();
        coordinator.clear();
        term = NONE;
        if (epoch != NONE)
        {
            OffsetsTopic.load(logs, coordinator, errorHandler, nowMs);
            term = epoch;
        }
    }

    /**
     * Whether {@code api} is answered here now, or NOT_COORDINATOR ({@link #notCoordinator}).
     */
    boolean serves(final ApiKeys api)
    {
        return term != NONE || !COORDINATED.contains(api);
    }

    /**
     * Kafka's own NOT_COORDINATOR answer to a group request, whatever its API: its body (at {@code body} in the
     * frame) parsed again as kafka-clients' request, which builds its error response.
     */
    static ApiMessage notCoordinator(final ApiKeys api, final short version, final ByteBuffer body)
    {
        return AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(body)).request
            .getErrorResponse(0, Errors.NOT_COORDINATOR.exception("this broker does not coordinate groups now: " +
                "ask FindCoordinator")).data();
    }
}
