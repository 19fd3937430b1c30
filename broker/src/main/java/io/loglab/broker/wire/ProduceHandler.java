package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.topic.LogManager;
import io.loglab.replication.replica.CommitRule;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Produce: each partition's batch is validated and appended as received, from the request's own bytes (the writer
 * stamps the base offset into them in place), and the response waits for the appends without a thread of its own.
 * acks=0 sends nothing back but still waits for its appends before the connection reads on (its bytes are the
 * batches); acks=1 answers once written; acks=-1 once the topic's flush policy has made the batch durable (for
 * flush=os, that is written: the OS decides) and, on a replicated partition, once the in-sync replicas have it.
 * A partition led elsewhere, or with too few in sync for acks=-1, is refused before anything is written.
 */
final class ProduceHandler
{
    private final LogManager logs;
    private final Placement placement;
    private final SocketTransferChannel channel;
    private final Runnable wakeup;
    private final AppendListener wakeWhenAppended;

    ProduceHandler(final LogManager logs, final Placement placement, final SocketTransferChannel channel,
        final Runnable wakeup)
    {
        this.logs = logs;
        this.placement = placement;
        this.channel = channel;
        this.wakeup = wakeup;
        this.wakeWhenAppended = request -> wakeup.run();
    }

    Response handle(final RequestContext context, final ProduceRequestData request, final long nowNs)
    {
        final short acks = request.acks();
        final PendingProduce pending = new PendingProduce(channel, context, acks,
            nowNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.timeoutMs())));
        final boolean validAcks = acks == 0 || acks == 1 || acks == -1;
        for (final ProduceRequestData.TopicProduceData topic : request.topicData())
        {
            for (final ProduceRequestData.PartitionProduceData data : topic.partitionData())
            {
                final PartitionAppend append = pending.add(topic.name(), data.index());
                if (!validAcks)
                {
                    append.fail(Errors.INVALID_REQUIRED_ACKS, "acks=" + acks + " is not 0, 1 or -1");
                }
                else if (OffsetsTopic.isInternal(topic.name()))
                {
                    append.fail(Errors.INVALID_TOPIC_EXCEPTION, "cannot append to internal topic " + topic.name());
                }
                else if (!refusedHere(append, topic.name(), data.index(), acks))
                {
                    final ByteBuffer batch = data.records() instanceof MemoryRecords records ? records.buffer() : null;
                    if (acks == -1 && placement.replicates())
                    {
                        append.committedBy(placement, wakeup);
                    }
                    append.start(Partitions.topic(logs, topic.name()), batch, wakeWhenAppended);
                }
            }
        }
        return pending;
    }

    /**
     * Refuse a partition this node does not lead, and an acks=-1 append to one with too few replicas in sync to
     * commit it, before anything is written (Kafka's NOT_LEADER_OR_FOLLOWER and NOT_ENOUGH_REPLICAS).
     */
    private boolean refusedHere(final PartitionAppend append, final String topic, final int partition,
        final short acks)
    {
        final Placement.Leadership leadership = placement.leadership(topic, partition);
        if (leadership == null)
        {
            return false;
        }
        if (leadership.leader() != placement.nodeId())
        {
            append.fail(Errors.NOT_LEADER_OR_FOLLOWER, topic + "-" + partition + " is led by node " +
                leadership.leader() + ", not this one (" + placement.nodeId() + ")");
            return true;
        }
        final Placement.PlacedTopic placed = placement.topic(topic);
        if (acks == -1 && placed != null && placed.commitRule() == CommitRule.ISR &&
            leadership.isr().length < placed.minInsyncReplicas())
        {
            append.fail(Errors.NOT_ENOUGH_REPLICAS, topic + "-" + partition + " has " + leadership.isr().length +
                " replicas in sync, fewer than min.insync.replicas=" + placed.minInsyncReplicas());
            return true;
        }
        return false;
    }
}
