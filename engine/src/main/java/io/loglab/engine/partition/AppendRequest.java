package io.loglab.engine.partition;

import io.loglab.engine.record.RecordBatchDescriptor;
import org.agrona.ErrorHandler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One batch handed to a partition's writer, and the answer it gets back. Reusable: the producer fills it, offers it,
 * and may fill it again once {@link #isDone()}; a producer that keeps a few of them in flight allocates nothing.
 * <p>
 * Threading: the producer thread writes {@link #batch(ByteBuffer)} and {@link #listener(AppendListener)} before
 * {@link Partition#offer}; from then until completion the partition's writer thread (its shard's) owns the request
 * and the batch buffer (it stamps the base offset into it), or, for a request queued after the writer's last drain
 * of a closing partition, the closing thread does ({@link AppendQueue}). Whichever answers publishes the outcome with
 * a release store of {@link #status()}; a producer that sees {@link #isDone()} (acquire) sees the offsets and failure
 * too.
 */
public final class AppendRequest
{
    /** Offered and not yet answered. */
    public static final int PENDING = 0;
    /** Written to the log (the page cache): readable, survives a process crash, not yet a power loss. */
    public static final int WRITTEN = 1;
    /** Written and fsynced. */
    public static final int DURABLE = 2;
    /** Not appended; {@link #failure()} says why. */
    public static final int FAILED = 3;

    private static final VarHandle STATUS;

    static
    {
        try
        {
            STATUS = MethodHandles.lookup().findVarHandle(AppendRequest.class, "status", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private ByteBuffer batch;
    private boolean asFollower;
    private AppendListener listener;
    private Object attachment;
    private long baseOffset = -1;
    private long lastOffset = -1;
    private Throwable failure;
    /** Writer: release store on completion. Producer: acquire load. */
    @SuppressWarnings("unused")
    private volatile int status;

    /**
     * The batch to append: exactly one RecordBatch v2 between the buffer's position and limit.
     */
    public AppendRequest batch(final ByteBuffer batch)
    {
        this.batch = batch;
        return this;
    }

    public ByteBuffer batch()
    {
        return batch;
    }

    /**
     * Append the batch as a follower ({@code true}): it keeps the offsets and leader epoch its leader gave it and
     * must continue the log; otherwise (the default) the log gives it the next offsets and its own epoch. Like the
     * batch, set before offering.
     */
    public AppendRequest asFollower(final boolean asFollower)
    {
        this.asFollower = asFollower;
        return this;
    }

    public boolean isFollower()
    {
        return asFollower;
    }

    /**
     * Told on completion, on the writer thread; null for none (then poll {@link #isDone()}).
     */
    public AppendRequest listener(final AppendListener listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * Anything the producer wants back with the completion, such as its own correlation state.
     */
    public AppendRequest attachment(final Object attachment)
    {
        this.attachment = attachment;
        return this;
    }

    public Object attachment()
    {
        return attachment;
    }

    /**
     * Producer thread, before offering: forget the last outcome.
     */
    void reset()
    {
        baseOffset = -1;
        lastOffset = -1;
        failure = null;
        STATUS.setRelease(this, PENDING);
    }

    /**
     * {@link #PENDING}, {@link #WRITTEN}, {@link #DURABLE} or {@link #FAILED}; acquire load.
     */
    public int status()
    {
        return (int)STATUS.getAcquire(this);
    }

    public boolean isDone()
    {
        return status() != PENDING;
    }

    /**
     * Offset the log gave the batch's first record, once appended.
     */
    public long baseOffset()
    {
        return baseOffset;
    }

    /**
     * Offset of the batch's last record, once appended.
     */
    public long lastOffset()
    {
        return lastOffset;
    }

    /**
     * After a successful append as leader: the leader epoch the batch was written in, which the writer stamped into
     * it; for a retry of a batch stored before (an idempotent producer's), whatever the producer sent, -1 from
     * Kafka's clients.
     */
    public int leaderEpoch()
    {
        return RecordBatchDescriptor.getInt(batch,
            batch.position() + RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET);
    }

    public Throwable failure()
    {
        return failure;
    }

    /**
     * Writer: answer the request as appended, once its offsets are known. A listener that throws is reported to
     * {@code errorHandler}; the request is answered all the same.
     */
    void complete(final long baseOffset, final long lastOffset, final boolean durable, final ErrorHandler errorHandler)
    {
        this.baseOffset = baseOffset;
        this.lastOffset = lastOffset;
        // The listener runs before the status is released: once a producer sees isDone() it may reuse the request,
        // and the listener must not read a request that is being refilled.
        try
        {
            notifyListener(errorHandler);
        }
        finally
        {
            STATUS.setRelease(this, durable ? DURABLE : WRITTEN);
        }
    }

    /**
     * The writer, or the closing thread once the writer is done with the partition: answer the request as not
     * appended. A listener that throws is reported to {@code errorHandler}; the request is answered all the same.
     */
    void fail(final Throwable failure, final ErrorHandler errorHandler)
    {
        this.failure = failure;
        try
        {
            notifyListener(errorHandler);
        }
        finally
        {
            STATUS.setRelease(this, FAILED);
        }
    }

    private void notifyListener(final ErrorHandler errorHandler)
    {
        final AppendListener listener = this.listener;
        if (listener != null)
        {
            try
            {
                listener.onAppendComplete(this);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    @Override
    public String toString()
    {
        return "AppendRequest(status=" + status() + ", baseOffset=" + baseOffset + ", lastOffset=" + lastOffset +
            (failure == null ? "" : ", failure=" + failure) + ")";
    }
}
