package io.loglab.engine.partition;

import io.loglab.engine.log.CompactedSegments;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.record.RecordBatchValidator;
import org.agrona.concurrent.status.CountersManager;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One partition, as other threads use it: its bounded request queue ({@link AppendQueue}), its log as its shard holds
 * it ({@link LazyLog}), and the writer shard that owns the log for the partition's lifetime (an actor's mailbox, its
 * state, and the dispatcher that runs it).
 * <p>
 * <b>Appends.</b> Any number of producer threads {@link #offer} requests. Each batch is validated on the producer's
 * own thread (so the writer spends its time writing) and rejected there, with nothing written, if malformed or too
 * large. The request goes into this partition's {@link AppendQueue}, whose bound is the back pressure; the producer
 * then schedules the partition on its shard (see {@link WriterShard}), which appends what is queued with one gathering
 * write.
 * <p>
 * <b>Commands.</b> The log's write side belongs to the shard thread, but for the high watermark replication raises
 * ({@link #highWatermark(long)}, by compare-and-set). {@link #roll()}, {@link #flush()}, {@link #leaderEpoch(int)},
 * the truncations and {@link #repair()} go to the shard's command queue ({@link ShardCommands}) and return a future
 * the shard thread completes with the result (so a dependent action chained without an executor runs on that thread: keep it short).
 * A command's effect is seen by every append offered after its future completes; requests offered before it was sent
 * may be appended before or after it.
 * <p>
 * <b>Lazy open.</b> Creating or loading a topic costs nothing per partition but this object: the log is opened (its
 * directory created, recovered if need be) on the shard thread the first time the partition is used, by an offer, a
 * command, or a reader. {@link #newReader()}, {@link #log()} and the offset getters wait for that open, at most
 * {@link #OPEN_TIMEOUT_MS}; from the owning shard thread itself they open inline.
 * <p>
 * <b>Refusal.</b> A log that cannot be opened ({@link io.loglab.engine.log.LogNeedsRepairException}, any I/O error)
 * refuses this partition alone, until the directory is opened again: its requests and commands fail with a
 * {@link PartitionRefusedException} naming the failure and the repair command, its getters throw it (wrapped in an
 * {@link UncheckedIOException}), and other partitions keep working.
 */
public final class Partition implements AutoCloseable
{
    /** {@link #offer} queued the request. */
    public static final int OFFERED = 0;
    /** {@link #offer} found the queue full: try again later. */
    public static final int BACK_PRESSURED = -1;
    /** {@link #offer} found the partition closed. */
    public static final int CLOSED = -2;

    /**
     * How long a reader waits for the first open of the log: after a crash, recovery validates every batch from the
     * recovery point, and the shard may be opening other partitions first.
     */
    public static final long OPEN_TIMEOUT_MS = 120_000;
    /** How long a close waits for the shard to append what is queued and close the log. */
    static final long CLOSE_TIMEOUT_MS = 60_000;

    private static final ThreadLocal<RecordBatchValidator> VALIDATOR =
        ThreadLocal.withInitial(RecordBatchValidator::new);

    private final String topic;
    private final int id;
    private final LogConfig config;
    private final WriterShard shard;
    private final AppendQueue queue;
    private final LazyLog lazyLog;
    /**
     * Completed by the shard thread once the close's last drain and the log's close are done (or failed); every close
     * waits for it, whichever thread began it.
     */
    private final CompletableFuture<Void> closeDone = new CompletableFuture<>();

    // Shard thread only: the timers ShardTimers keeps.
    long nextFlushMs;
    long nextRetentionMs;
    long timerDeadlineMs;

    Partition(
        final String topic,
        final int id,
        final Path dir,
        final Path dataDir,
        final LogConfig config,
        final int queueCapacity,
        final PartitionLog.HighWatermarkPolicy highWatermarkPolicy,
        final WriterShard shard,
        final CountersManager counters)
    {
        this.topic = topic;
        this.id = id;
        this.config = config.concludedIfNeeded();
        this.shard = shard;
        this.queue = new AppendQueue(this, shard, queueCapacity);
        this.lazyLog = new LazyLog(this, dir, dataDir, this.config, highWatermarkPolicy, counters);
    }

    /**
     * Hand a batch to the writer. Validates it first, on this thread: a producer's batch record by record, a
     * follower's ({@link AppendRequest#asFollower}) by header and CRC. Allocates nothing.
     *
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     * @throws io.loglab.engine.record.InvalidRecordBatchException if the batch is malformed, or, for a log that
     *                                                             compacts, holds a record without a key.
     * @throws IllegalArgumentException if it is larger than {@code max.message.bytes}.
     */
    public int offer(final AppendRequest request)
    {
        final ByteBuffer batch = request.batch();
        final int maxMessageBytes = config.maxMessageBytes();
        if (batch.remaining() > maxMessageBytes)
        {
            throw new IllegalArgumentException(
                "batch of " + batch.remaining() + " bytes is larger than max.message.bytes=" + maxMessageBytes +
                " of " + this);
        }
        // A follower's batch is checked by its header and CRC alone, as Kafka's follower append does: its leader
        // walked every record when it took the batch, and the CRC shows these are the leader's bytes.
        final boolean fromProducer = !request.isFollower();
        VALIDATOR.get().validate(batch, batch.position(), batch.remaining(), fromProducer,
            fromProducer && config.cleanupPolicy().compacts());
        return queue.offer(request);
    }

    /**
     * Roll the active segment (the shard's {@link PartitionLog#roll()}).
     */
    public CompletableFuture<Void> roll()
    {
        return command((log, nowMs) -> log.roll());
    }

    /**
     * fsync what is written and move the durable end offset (the shard's {@link PartitionLog#flush()}).
     */
    public CompletableFuture<Void> flush()
    {
        return command((log, nowMs) -> log.flush());
    }

    /**
     * The leader epoch stamped into every batch appended after the future completes; a log replication owns takes
     * leader appends from then on ({@link io.loglab.engine.log.LeaderAppends#stamp}).
     */
    public CompletableFuture<Void> leaderEpoch(final int leaderEpoch)
    {
        return command((log, nowMs) -> log.leaderAppends().stamp(leaderEpoch));
    }

    /**
     * A log replication owns takes no leader append queued after this ({@link io.loglab.engine.log.LeaderAppends#resign}).
     */
    public CompletableFuture<Void> resign()
    {
        return command((log, nowMs) -> log.leaderAppends().resign());
    }

    /**
     * Cut the log from the batch holding {@code offset} on (the shard's {@link PartitionLog#truncateTo}); the future
     * gives the new log end offset.
     */
    public CompletableFuture<Long> truncateTo(final long offset)
    {
        return send(nowMs -> openedOnShard(nowMs).truncateTo(offset, nowMs));
    }

    /**
     * Empty the log and start it at {@code offset} (the shard's {@link PartitionLog#truncateFullyAndStartAt}).
     */
    public CompletableFuture<Void> truncateFullyAndStartAt(final long offset)
    {
        return command((log, nowMs) -> log.truncateFullyAndStartAt(offset, nowMs));
    }

    /**
     * Raise the high watermark of a log replication owns, from the caller's thread: no command, so consumers see it
     * at once ({@link PartitionLog#highWatermark(long)}). Opens the log first if need be.
     *
     * @throws IllegalStateException if the high watermark follows the log end offset.
     */
    public void highWatermark(final long offset)
    {
        openLog().highWatermark(offset);
    }

    /**
     * {@code loglab repair} on the shard thread ({@link PartitionLog#repair}): only for a partition whose log has not
     * been opened since its directory was, or that was refused; the next use opens the repaired log.
     *
     * @return a future of what repair found and did.
     */
    public CompletableFuture<List<LogFinding>> repair()
    {
        return send(nowMs -> lazyLog.repair());
    }

    /**
     * Swap the cleaner's compacted copies in (the shard's {@link PartitionLog#swapCompacted}); the future gives the
     * number of groups swapped.
     */
    CompletableFuture<Integer> swapCompacted(final CompactedSegments compacted)
    {
        return send(nowMs -> openedOnShard(nowMs).swapCompacted(compacted, nowMs));
    }

    /**
     * Send {@code action} to the shard thread, which runs it on the log (opening it first if need be) and completes
     * the future: normally, or with the action's exception, the refusal, or the close. The public commands above are
     * one line over this or {@link #send}.
     */
    CompletableFuture<Void> command(final LogCommand action)
    {
        return send(nowMs ->
        {
            action.apply(openedOnShard(nowMs), nowMs);
            return null;
        });
    }

    /**
     * Send {@code action} to the shard thread, unless the partition is closed; the future completes with its result.
     */
    private <T> CompletableFuture<T> send(final ShardCommands.Action<T> action)
    {
        return queue.isClosed() ? CompletableFuture.failedFuture(closedException()) : shard.submit(this, action);
    }

    /**
     * Shard thread: the log, opened now if this is its first use.
     *
     * @throws Exception the refusal, or the close, if there is none.
     */
    private PartitionLog openedOnShard(final long nowMs) throws Exception
    {
        final PartitionLog opened = shard.openOnShard(this, nowMs);
        if (opened == null)
        {
            throw unavailable();
        }
        return opened;
    }

    /**
     * Whether the log is on disk: open, or stored by an earlier use. A partition never used has nothing stored, and a
     * reader that only replays what is stored skips it rather than open it (which would create its files).
     */
    public boolean isStored()
    {
        return lazyLog.isStored();
    }

    /**
     * The log opened on its shard without waiting for it, for a thread that must not block (the broker's network
     * thread): done once the log is open, or refused or closed, when reading it no longer waits. Done at once when the
     * log is open already.
     */
    public CompletableFuture<Void> openAsync()
    {
        return lazyLog.logVolatile() != null ? CompletableFuture.completedFuture(null) : command((opened, nowMs) -> { });
    }

    /**
     * A reader for one thread, each reading thread its own. Opens the log first if need be.
     */
    public LogReader newReader()
    {
        return openLog().newReader();
    }

    /**
     * The log's read side, for its offsets and sizes from any thread. Opens the log first if need be.
     */
    public ReadableLog log()
    {
        return openLog();
    }

    public long logStartOffset()
    {
        return openLog().logStartOffset();
    }

    public long logEndOffset()
    {
        return openLog().logEndOffset();
    }

    public long durableEndOffset()
    {
        return openLog().durableEndOffset();
    }

    public String topic()
    {
        return topic;
    }

    public int id()
    {
        return id;
    }

    public LogConfig config()
    {
        return config;
    }

    private PartitionLog openLog()
    {
        final PartitionLog opened = lazyLog.logVolatile();
        return opened != null ? opened : awaitOpen();
    }

    private PartitionLog awaitOpen()
    {
        if (shard.isOwnerThread())
        {
            shard.openOnShard(this);
        }
        else
        {
            if (!BoundedWait.await(command((opened, nowMs) -> { }), OPEN_TIMEOUT_MS, this))
            {
                throw BoundedWait.timedOut(this, "open the log", OPEN_TIMEOUT_MS);
            }
        }
        final PartitionLog opened = lazyLog.logVolatile();
        if (opened == null)
        {
            throw BoundedWait.unchecked(unavailable());
        }
        return opened;
    }

    /**
     * Stop taking requests, let the shard append what is queued, and close the log cleanly. Requests offered while
     * the partition closes are appended or failed, never left unanswered. Not from a writer thread. Closing again,
     * from any thread, waits for the first close to finish.
     */
    @Override
    public void close()
    {
        if (!finishClose(beginClose(), CLOSE_TIMEOUT_MS))
        {
            throw BoundedWait.timedOut(this, "append what was queued and close the log", CLOSE_TIMEOUT_MS);
        }
        // This partition alone goes (a topic deleted): its counter goes with it.
        lazyLog.freeCounter();
    }

    /**
     * Stop taking requests and, the first time, send the shard the close.
     *
     * @return the close's future, the same for every caller.
     */
    CompletableFuture<Void> beginClose()
    {
        if (WriterShard.isWriterThread())
        {
            // Its own shard would wait on itself; another would stop serving its partitions while it waits.
            throw new IllegalStateException(this + " cannot be closed from a writer thread");
        }
        if (queue.close())
        {
            shard.submitClose(this, closeDone);
        }
        return closeDone;
    }

    /**
     * Wait for the shard's last drain, then fail whatever was queued after it.
     *
     * @return false if the shard did not finish within {@code timeoutMs}; the queue is then left to it.
     */
    boolean finishClose(final CompletableFuture<Void> done, final long timeoutMs)
    {
        if (!BoundedWait.await(done, timeoutMs, this))
        {
            return false;
        }
        queue.onWriterStopped();
        return true;
    }

    IllegalStateException closedException()
    {
        return new IllegalStateException(this + " closed before the request was served");
    }

    /**
     * Why a request or command cannot be served: the refusal, or the close.
     */
    Exception unavailable()
    {
        final PartitionRefusedException refused = lazyLog.refusalVolatile();
        return refused != null ? refused : closedException();
    }

    LazyLog lazyLog()
    {
        return lazyLog;
    }

    AppendQueue queue()
    {
        return queue;
    }

    @Override
    public String toString()
    {
        return topic + "-" + id;
    }
}
