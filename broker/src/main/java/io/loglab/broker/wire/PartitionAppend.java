package io.loglab.broker.wire;

import io.loglab.engine.log.IdempotenceException;
import io.loglab.engine.log.NotLeaderException;
import io.loglab.engine.log.ProducerStateTable;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.CorruptRecordBatchException;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.topic.Topic;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * One batch appended to one partition on a request's behalf (a produced batch, or a commit to the offsets topic),
 * and its outcome as Kafka's error, if any: the batch is checked, offered to the partition's writer (again on the
 * next pass while its queue is full), and answered once written, or for acks=-1 once durable, and on a replicated
 * partition once committed ({@link #committedBy}).
 * <p>
 * Threading: the network thread; the append's outcome is published by the writer thread through its
 * {@link AppendRequest}'s status, the commit's by whichever thread learns it through {@link #commitOutcome}.
 */
final class PartitionAppend
{
    private static final int TRANSACTIONAL_OR_CONTROL =
        RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK | RecordBatchDescriptor.CONTROL_FLAG_MASK;

    private final String topic;
    private final int index;
    private final short acks;
    /** The id of the topic's log the batch went to: its commit is awaited there and nowhere else. */
    private UUID topicId;
    private Partition partition;
    private AppendRequest request;
    private Errors error;
    private String message;
    /** Taken by the partition's queue; false while it was full. */
    private boolean offered;
    private boolean done;
    /** Set for an acks=-1 append to a replicated partition: answered once committed. */
    private Placement placement;
    private Runnable wakeup;
    private boolean awaitingCommit;
    /** Written by the thread that learns the commit's outcome (volatile), read by the network thread. */
    private volatile Errors commitOutcome;

    PartitionAppend(final String topic, final int index, final short acks)
    {
        this.topic = topic;
        this.index = index;
        this.acks = acks;
    }

    void fail(final Errors error, final String message)
    {
        this.error = error;
        this.message = message;
        this.done = true;
    }

    /**
     * Answer this acks=-1 append only once {@code placement} says the replicas committed it, waking the network
     * thread with {@code wakeup} when it hears.
     */
    void committedBy(final Placement placement, final Runnable wakeup)
    {
        this.placement = placement;
        this.wakeup = wakeup;
    }

    /**
     * Check {@code batch} and offer it to this append's partition of {@code log} (null: there is no such topic).
     */
    void start(final Topic log, final ByteBuffer batch, final AppendListener listener)
    {
        final Partition partition = Partitions.partition(log, index);
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
            fail(Errors.INVALID_RECORD, "transactional and control batches are not taken: transactions are not " +
                "served");
            return;
        }
        if (batch.getLong(batch.position() + RecordBatchDescriptor.PRODUCER_ID_OFFSET) !=
            RecordBatchDescriptor.NO_PRODUCER_ID &&
            batch.getInt(batch.position() + RecordBatchDescriptor.BASE_SEQUENCE_OFFSET) < 0)
        {
            fail(Errors.INVALID_RECORD, "an idempotent producer's batch has a negative base sequence");
            return;
        }
        this.topicId = log.topicId();
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
     * Whether this append is answered, offering it again first if its queue was full.
     */
    boolean check()
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
        if (request.status() == AppendRequest.FAILED && request.failure() instanceof NotLeaderException moved)
        {
            // The leadership moved between the check and the write: the producer asks where it went.
            fail(Errors.NOT_LEADER_OR_FOLLOWER, moved.getMessage());
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
        if (placement != null)
        {
            return checkCommit();
        }
        done = true;
        return true;
    }

    private boolean checkCommit()
    {
        if (!awaitingCommit)
        {
            awaitingCommit = true;
            placement.awaitCommit(topicId, index, request.lastOffset() + 1, request.leaderEpoch(), outcome ->
            {
                commitOutcome = outcome;
                wakeup.run();
            });
        }
        final Errors outcome = commitOutcome;
        if (outcome == null)
        {
            return false;
        }
        if (outcome != Errors.NONE)
        {
            fail(outcome, "written on the leader at offsets " + request.baseOffset() + " to " + request.lastOffset() +
                " but not committed: " + outcome.message());
            return true;
        }
        done = true;
        return true;
    }

    /**
     * Whether the batch is in its partition's queue, or answered without it: nothing offered after it can be
     * appended before it.
     */
    boolean isQueuedOrAnswered()
    {
        return done || offered;
    }

    /**
     * Whether the writer holds the batch and has not answered yet: its bytes must stay as they are until it does.
     */
    boolean isHeldByWriter()
    {
        return !done && offered && !request.isDone();
    }

    /**
     * The request's time ran out: answered REQUEST_TIMED_OUT unless already answered.
     */
    void timeOut()
    {
        if (!done)
        {
            fail(Errors.REQUEST_TIMED_OUT, "not " + (awaitingCommit ? "committed by the in-sync replicas" :
                offered ? "durable" : "taken by the partition") + " within the request's timeout");
        }
    }

    String topic()
    {
        return topic;
    }

    int index()
    {
        return index;
    }

    /** Null when the append succeeded (once {@link #check()} says it is answered). */
    Errors error()
    {
        return error;
    }

    String message()
    {
        return message;
    }

    long baseOffset()
    {
        return request.baseOffset();
    }

    long logStartOffset()
    {
        return partition.logStartOffset();
    }
}
