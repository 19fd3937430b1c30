package io.loglab.broker.wire;

import io.loglab.engine.partition.AppendRequest;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A produce request's appends, one per partition, and its response once every one is answered (or the request's
 * timeout has passed). A partition whose queue is full is offered again on the next pass.
 * <p>
 * Threading: the network thread; each append's outcome is published by the writer thread through its
 * {@link AppendRequest}'s status.
 */
final class PendingProduce extends KafkaResponse
{
    private final List<PartitionAppend> appends = new ArrayList<>();
    private final short acks;
    private final long deadlineNs;

    PendingProduce(
        final SocketTransferChannel channel, final RequestContext context, final short acks, final long deadlineNs)
    {
        super(channel, context);
        this.acks = acks;
        this.deadlineNs = deadlineNs;
    }

    PartitionAppend add(final String topic, final int index)
    {
        final PartitionAppend append = new PartitionAppend(topic, index, acks);
        appends.add(append);
        return append;
    }

    @Override
    boolean readyNow(final long nowNs)
    {
        boolean ready = true;
        for (final PartitionAppend append : appends)
        {
            ready &= append.check();
        }
        if (ready)
        {
            return true;
        }
        if (nowNs - deadlineNs < 0 || acks == 0)
        {
            return false;
        }
        for (final PartitionAppend append : appends)
        {
            if (append.isHeldByWriter())
            {
                // The writer still holds the batch, which lives in the connection's buffer: wait for its answer.
                return false;
            }
        }
        for (final PartitionAppend append : appends)
        {
            append.timeOut();
        }
        return true;
    }

    /**
     * Once every batch is queued to its partition's writer (or answered without one), a later produce on the
     * connection cannot overtake any of them.
     */
    @Override
    public boolean admitsOverlap()
    {
        for (final PartitionAppend append : appends)
        {
            if (!append.isQueuedOrAnswered())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean closesConnection()
    {
        if (acks != 0)
        {
            return false;
        }
        for (final PartitionAppend append : appends)
        {
            if (append.error() != null)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    ApiMessage body()
    {
        if (acks == 0)
        {
            return null;
        }
        final ProduceResponseData response = new ProduceResponseData();
        for (final PartitionAppend append : appends)
        {
            ProduceResponseData.TopicProduceResponse topic = response.responses().find(append.topic(), Uuid.ZERO_UUID);
            if (topic == null)
            {
                topic = new ProduceResponseData.TopicProduceResponse().setName(append.topic());
                response.responses().add(topic);
            }
            final ProduceResponseData.PartitionProduceResponse answer =
                new ProduceResponseData.PartitionProduceResponse().setIndex(append.index()).setLogAppendTimeMs(-1);
            if (append.error() != null)
            {
                answer.setErrorCode(append.error().code()).setErrorMessage(append.message()).setBaseOffset(-1);
            }
            else
            {
                answer.setBaseOffset(append.baseOffset()).setLogStartOffset(append.logStartOffset());
            }
            topic.partitionResponses().add(answer);
        }
        return response;
    }
}
