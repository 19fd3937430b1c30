package io.loglab.engine.partition;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.record.RecordBatchValidator;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MpscArrayQueue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One partition: its log, its writer thread, and the lock-free queue producers hand batches to.
 * <p>
 * Any number of producer threads {@link #offer} requests; each batch is validated on the producer's own thread (so
 * the writer spends its time writing) and rejected there, with nothing written, if malformed or too large. Any
 * number of reader threads read through their own {@link #newReader()}.
 */
public final class Partition implements AutoCloseable
{
    /** {@link #offer} queued the request. */
    public static final int OFFERED = 0;
    /** {@link #offer} found the queue full: try again later. */
    public static final int BACK_PRESSURED = -1;
    /** {@link #offer} found the partition closed. */
    public static final int CLOSED = -2;

    private static final int WRITER_CLOSE_TIMEOUT_MS = 60_000;

    private static final ThreadLocal<RecordBatchValidator> VALIDATOR =
        ThreadLocal.withInitial(RecordBatchValidator::new);

    private final String topic;
    private final int id;
    private final PartitionLog log;
    private final MpscArrayQueue<AppendRequest> queue;
    private final AgentRunner runner;
    /** Null when the writer runs a caller's idle strategy, which then must not sleep long. */
    private final WakeableIdleStrategy wakeable;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the writer thread has exited: from then on the queue has no consumer but {@link #failLeftovers}. */
    private final AtomicBoolean writerStopped = new AtomicBoolean();

    /**
     * How the writer thread waits for work: by default {@link WakeableIdleStrategy} with these settings, which
     * producers wake; or, when {@code strategy} is set, that Agrona strategy (a busy spin, say, where cores are
     * spare), which producers do not wake.
     */
    public record WriterIdle(int spins, int yields, long maxParkNs, IdleStrategy strategy)
    {
        public static final WriterIdle DEFAULT = new WriterIdle(
            WakeableIdleStrategy.SPINS_DEFAULT, WakeableIdleStrategy.YIELDS_DEFAULT,
            WakeableIdleStrategy.MAX_PARK_NS_DEFAULT, null);
    }

    /**
     * Start the writer thread for an opened log.
     */
    public Partition(
        final String topic,
        final int id,
        final PartitionLog log,
        final int queueCapacity,
        final WriterIdle writerIdle,
        final EpochClock clock,
        final long retentionCheckIntervalMs,
        final ErrorHandler errorHandler)
    {
        this.topic = topic;
        this.id = id;
        this.log = log;
        this.queue = new MpscArrayQueue<>(queueCapacity);
        final PartitionWriter writer = new PartitionWriter(
            "loglab-writer-" + topic + "-" + id, log, queue, clock, retentionCheckIntervalMs);
        final IdleStrategy idleStrategy;
        if (writerIdle.strategy() != null)
        {
            idleStrategy = writerIdle.strategy();
            this.wakeable = null;
        }
        else
        {
            this.wakeable = new WakeableIdleStrategy(
                () -> !queue.isEmpty(), writerIdle.spins(), writerIdle.yields(), writerIdle.maxParkNs());
            idleStrategy = wakeable;
        }
        this.runner = new AgentRunner(idleStrategy, errorHandler, null, writer);
        AgentRunner.startOnThread(runner);
    }

    /**
     * Hand a batch to the writer. Validates it first, on this thread.
     *
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     * @throws io.loglab.engine.record.InvalidRecordBatchException if the batch is malformed.
     * @throws IllegalArgumentException if it is larger than {@code max.message.bytes}.
     */
    public int offer(final AppendRequest request)
    {
        final ByteBuffer batch = request.batch();
        final int maxMessageBytes = log.config().maxMessageBytes();
        if (batch.remaining() > maxMessageBytes)
        {
            throw new IllegalArgumentException(
                "batch of " + batch.remaining() + " bytes is larger than max.message.bytes=" + maxMessageBytes +
                " of " + topic + "-" + id);
        }
        VALIDATOR.get().validate(batch, batch.position(), batch.remaining(), true);
        if (closed.get())
        {
            return CLOSED;
        }
        request.reset();
        if (!queue.offer(request))
        {
            return BACK_PRESSURED;
        }
        if (wakeable != null)
        {
            wakeable.wake();
        }
        if (writerStopped.get())
        {
            // close() raced this offer: the writer may have drained for the last time before the request arrived.
            failLeftovers();
        }
        return OFFERED;
    }

    /**
     * Fail requests queued after the writer's last drain. Called only once the writer thread has exited, and
     * serialised, so the queue keeps a single consumer at a time.
     */
    private synchronized void failLeftovers()
    {
        AppendRequest leftover;
        while ((leftover = queue.poll()) != null)
        {
            leftover.fail(new IllegalStateException(this + " closed before the batch was appended"));
        }
    }

    public LogReader newReader()
    {
        return log.newReader();
    }

    public String topic()
    {
        return topic;
    }

    public int id()
    {
        return id;
    }

    /**
     * The log, for reading its offsets from any thread; its write side belongs to the writer thread.
     */
    public PartitionLog log()
    {
        return log;
    }

    public long logStartOffset()
    {
        return log.logStartOffset();
    }

    public long logEndOffset()
    {
        return log.logEndOffset();
    }

    public long durableEndOffset()
    {
        return log.durableEndOffset();
    }

    /**
     * Stop taking requests, let the writer append what is queued, and close the log cleanly.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            // Agrona interrupts a writer that outlasts the timeout, and an interrupt closes its FileChannels; give
            // the final drain and fsync time enough that only a wedged writer is interrupted.
            runner.close(WRITER_CLOSE_TIMEOUT_MS, thread -> { });
            writerStopped.set(true);
            failLeftovers();
        }
    }

    @Override
    public String toString()
    {
        return topic + "-" + id;
    }
}
