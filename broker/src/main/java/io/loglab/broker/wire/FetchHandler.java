package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.TimeUnit;

/**
 * Fetch: a long poll that waits, without a thread, until the partitions asked for hold {@code min_bytes} past the
 * fetch offsets (or one of them has an error to report) or {@code max_wait_ms} passes, then answers with regions of
 * the segment files sent by {@code transferTo}. Fetch sessions are not kept: every answer has session id 0, and
 * clients then send full fetches, as Kafka allows. A partition led by another node is answered NOT_LEADER_OR_FOLLOWER:
 * consumers read from leaders only.
 * <p>
 * Threading: the network thread only.
 */
final class FetchHandler
{
    private final LogManager logs;
    private final Placement placement;
    private final SocketTransferChannel channel;
    private final Readers readers;

    FetchHandler(final LogManager logs, final Placement placement, final SocketTransferChannel channel,
        final Readers readers)
    {
        this.logs = logs;
        this.placement = placement;
        this.channel = channel;
        this.readers = readers;
    }

    Response handle(final RequestContext context, final FetchRequestData request, final long nowNs)
    {
        final PendingFetch pending = new PendingFetch(channel, context, readers, request.minBytes(),
            request.maxBytes(), nowNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs())));
        for (final FetchRequestData.FetchTopic topic : request.topics())
        {
            for (final FetchRequestData.FetchPartition partition : topic.partitions())
            {
                if (Partitions.ledElsewhere(placement, topic.topic(), partition.partition()))
                {
                    pending.refuse(topic.topic(), partition.partition(), Errors.NOT_LEADER_OR_FOLLOWER);
                }
                else
                {
                    pending.add(topic.topic(), partition.partition(),
                        Partitions.find(logs, topic.topic(), partition.partition()),
                        partition.fetchOffset(), partition.partitionMaxBytes());
                }
            }
        }
        return pending;
    }
}
