package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.topic.LogManager;
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
 * flush=os, that is written: the OS decides).
 */
final class ProduceHandler
{
    private final LogManager logs;
    private final SocketTransferChannel channel;
    private final AppendListener wakeWhenAppended;

    ProduceHandler(final LogManager logs, final SocketTransferChannel channel, final Runnable wakeup)
    {
        this.logs = logs;
        this.channel = channel;
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
                else
                {
                    final ByteBuffer batch = data.records() instanceof MemoryRecords records ? records.buffer() : null;
                    append.start(Partitions.find(logs, topic.name(), data.index()), batch, wakeWhenAppended);
                }
            }
        }
        return pending;
    }
}
