package io.loglab.broker.wire;

import io.loglab.engine.log.IdempotenceException;
import io.loglab.engine.log.ProducerStateTable;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.CorruptRecordBatchException;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
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
    /** One partition's part of the request. */
    final class PartitionAppend
    {
        private final String topic;
        private final int index;
        private Partition partition;
        private AppendRequest request;
        private Errors error;
        private String message;
        /** Taken by the partition's queue; false while it was full. */
        private boolean offered;
        private boolean done;

        private PartitionAppend(final String topic, final int index)
        {
            this.topic = topic;
            this.index = index;
        }

        void fail(final Errors error, final String message)
        {
            this.error = error;
            this.message = message;
            this.done = true;
        }

        void start(final Partition partition, final ByteBuffer batch, final AppendListener listener)
        {
            if (partition == null)
            {
                fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                return;
            }
            if (batch == null || batch.remaining() < RecordBatchDescriptor.HEADER_LENGTH ||
                batch.getInt(batch.position() + RecordBatchDescriptor.BATCH_LENGTH_OFFSET) +
                RecordBatchDescriptor.LOG_OVERHEAD != batch.remaining())
            {
                fail(Errors.INVALID_RECORD, "a produce request carries exactly one record batch per partition");
                return;
            }
            final short attributes = batch.getShort(batch.position() + RecordBatchDescriptor.ATTRIBUTES_OFFSET);
            if ((attributes & TRANSACTIONAL_OR_CONTROL) != 0)
            {
                fail(Errors.INVALID_RECORD, "transactional and control batches are not taken: transactions are not "
                    + "served");
                return;
            }
            if (batch.getLong(batch.position() + RecordBatchDescriptor.PRODUCER_ID_OFFSET) !=
                RecordBatchDescriptor.NO_PRODUCER_ID &&
                batch.getInt(batch.position() + RecordBatchDescriptor.BASE_SEQUENCE_OFFSET) < 0)
            {
                fail(Errors.INVALID_RECORD, "an idempotent producer's batch has a negative base sequence");
                return;
            }
            this.partition = partition;
            this.request = new AppendRequest().batch(batch).listener(listener);
            offer();
        }

        private void offer()
        {
            try
            {
                final int outcome = partition.offer(request);
                if (outcome == Partition.CLOSED)
                {
                    fail(Errors.NOT_LEADER_OR_FOLLOWER, partition + " is closing");
                }
                else
                {
                    offered = outcome == Partition.OFFERED;
                }
            }
            catch (final CorruptRecordBatchException ex)
            {
                fail(Errors.CORRUPT_MESSAGE, ex.getMessage());
            }
            catch (final InvalidRecordBatchException ex)
            {
                fail(Errors.INVALID_RECORD, ex.getMessage());
            }
            catch (final IllegalArgumentException ex)
            {
                fail(Errors.MESSAGE_TOO_LARGE, ex.getMessage());
            }
        }

        /**
         * Whether this part is answered, offering it again first if its queue was full.
         */
        private boolean check()
        {
            if (done)
            {
                return true;
            }
            if (!offered)
            {
                offer();
                if (!offered)
                {
                    return done;
                }
            }
            if (!request.isDone())
            {
                return false;
            }
            if (request.status() == AppendRequest.FAILED && request.failure() instanceof IdempotenceException refused)
            {
                fail(refused.verdict() == ProducerStateTable.FENCED ? Errors.INVALID_PRODUCER_EPOCH :
                    refused.verdict() == ProducerStateTable.OUT_OF_SEQUENCE ? Errors.OUT_OF_ORDER_SEQUENCE_NUMBER :
                    // A retry of a batch still being written: retriable, and answered properly once it is.
                    Errors.NOT_LEADER_OR_FOLLOWER, refused.getMessage());
                return true;
            }
            if (request.status() == AppendRequest.FAILED)
            {
                // A refused partition (damage awaiting repair), a full disk, a closed log: the log's storage failed.
                fail(Errors.KAFKA_STORAGE_ERROR, String.valueOf(request.failure().getMessage()));
                return true;
            }
            if (acks == -1 && partition.config().flushPolicy().onInterval() &&
                partition.durableEndOffset() <= request.lastOffset())
            {
                return false;
            }
            done = true;
            return true;
        }
    }

    private static final int TRANSACTIONAL_OR_CONTROL =
        RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK | RecordBatchDescriptor.CONTROL_FLAG_MASK;

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
        final PartitionAppend append = new PartitionAppend(topic, index);
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
            if (!append.done && append.offered && !append.request.isDone())
            {
                // The writer still holds the batch, which lives in the connection's buffer: wait for its answer.
                return false;
            }
        }
        for (final PartitionAppend append : appends)
        {
            if (!append.done)
            {
                append.fail(Errors.REQUEST_TIMED_OUT, "not " + (append.offered ? "durable" : "taken by the partition") +
                    " within the request's timeout");
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
            if (append.error != null)
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
            ProduceResponseData.TopicProduceResponse topic = response.responses().find(append.topic, Uuid.ZERO_UUID);
            if (topic == null)
            {
                topic = new ProduceResponseData.TopicProduceResponse().setName(append.topic);
                response.responses().add(topic);
            }
            final ProduceResponseData.PartitionProduceResponse answer =
                new ProduceResponseData.PartitionProduceResponse().setIndex(append.index).setLogAppendTimeMs(-1);
            if (append.error != null)
            {
                answer.setErrorCode(append.error.code()).setErrorMessage(append.message).setBaseOffset(-1);
            }
            else
            {
                answer.setBaseOffset(append.request.baseOffset()).setLogStartOffset(append.partition.logStartOffset());
            }
            topic.partitionResponses().add(answer);
        }
        return response;
    }
}
