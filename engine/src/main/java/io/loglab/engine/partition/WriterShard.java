package io.loglab.engine.partition;

import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.PartitionLog;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.jctools.queues.MpscGrowableArrayQueue;

import java.util.concurrent.CompletableFuture;

/**
 * The single writer of the partitions it owns, run as an Agrona {@link Agent} on one thread. Each duty cycle it
 * <ol>
 *     <li>runs the commands other threads sent ({@link Partition#roll()}, first opens, closes, ...);</li>
 *     <li>takes ready partitions off its ready queue in turn: for each, it clears the partition's scheduled flag,
 *     drains up to {@link #MAX_DRAIN} of its requests, all of one kind, leader or follower appends
 *     ({@link DrainedBatches}), appends them with one gathering write (natural batching:
 *     the more that waits, the more one write carries; under {@code flush=every} one fsync per drain: group
 *     commit), completes them, tells the {@link AppendSignal}, and puts the partition back at the tail if more
 *     are queued. A flooded partition gets one drain per turn, so it cannot starve a quiet one;</li>
 *     <li>runs the timers that are due (interval flush, retention), kept in a heap by deadline, so an idle shard
 *     with a thousand partitions looks at one of them per cycle, and parks until the next deadline at most.</li>
 * </ol>
 * A failure in one partition's log fails that partition's requests and goes to the error handler; the shard and its
 * other partitions carry on.
 * <p>
 * Threading: this agent's thread owns the write side of each owned partition's log, the partitions' shard-only
 * fields and every field here not marked otherwise. Any thread adds to {@link #ready} (only a partition's scheduling
 * winner, so each partition is on it at most once and it never holds more than the partitions the shard owns; it
 * grows, allocating, only to a new high-water mark of ready partitions) and sends commands ({@link ShardCommands}).
 */
final class WriterShard implements Agent
{
    static final int MAX_DRAIN = 256;
    static final int MAX_PARTITIONS_PER_CYCLE = 64;
    private static final int READY_QUEUE_INITIAL_CAPACITY = 64;
    private static final int READY_QUEUE_MAX_CAPACITY = 1 << 30;
    /** Each writer thread's shard, set in {@link #onStart()}: which thread is a writer, asked without a lock. */
    private static final ThreadLocal<WriterShard> CURRENT = new ThreadLocal<>();

    private final String roleName;
    private final EpochClock clock;
    private final ErrorHandler errorHandler;
    private final RecoveryListener recoveryListener;
    private final AppendSignal appendSignal;
    private final MpscGrowableArrayQueue<Partition> ready =
        new MpscGrowableArrayQueue<>(READY_QUEUE_INITIAL_CAPACITY, READY_QUEUE_MAX_CAPACITY);
    private final ShardCommands commands = new ShardCommands(this::wake);
    /** Null when the shard runs a caller's idle strategy, which producers do not wake. */
    private final WakeableIdleStrategy wakeable;
    private final ShardTimers timers;
    private final DrainedBatches drained;
    /** Written (volatile) in {@link #onStart()} on the shard thread; read by any thread in {@link #isOwnerThread}. */
    private volatile Thread thread;

    /**
     * @param wakeable true to make the {@link WakeableIdleStrategy} (default settings) that {@link #idleStrategy()}
     *                 returns and producers wake; false when the shard runs a caller's idle strategy.
     */
    WriterShard(
        final String roleName,
        final EpochClock clock,
        final long retentionCheckIntervalMs,
        final ErrorHandler errorHandler,
        final RecoveryListener recoveryListener,
        final AppendSignal appendSignal,
        final boolean wakeable)
    {
        this.roleName = roleName;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.recoveryListener = recoveryListener;
        this.appendSignal = appendSignal;
        this.timers = new ShardTimers(retentionCheckIntervalMs, errorHandler);
        this.drained = new DrainedBatches(MAX_DRAIN, errorHandler);
        this.wakeable = wakeable ? new WakeableIdleStrategy(
            () -> !ready.isEmpty() || !commands.isEmpty(), WakeableIdleStrategy.SPINS_DEFAULT,
            WakeableIdleStrategy.YIELDS_DEFAULT, WakeableIdleStrategy.MAX_PARK_NS_DEFAULT) : null;
    }

    /**
     * The idle strategy producers wake, or null if this shard was made for a caller's.
     */
    WakeableIdleStrategy idleStrategy()
    {
        return wakeable;
    }

    /**
     * Told of what a listener throws, among the failures no request hears of.
     */
    ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    boolean isOwnerThread()
    {
        return Thread.currentThread() == thread;
    }

    /**
     * Whether the calling thread is a writer thread, any shard's.
     */
    static boolean isWriterThread()
    {
        return CURRENT.get() != null;
    }

    /**
     * Any thread, after enqueueing a request: put the partition on the ready queue unless it is there already.
     */
    void schedule(final Partition partition)
    {
        if (partition.queue().trySchedule())
        {
            ready.offer(partition);
            wake();
        }
    }

    /**
     * Any thread: have this shard's thread run {@code action} for {@code partition} (see {@link ShardCommands}).
     */
    <T> CompletableFuture<T> submit(final Partition partition, final ShardCommands.Action<T> action)
    {
        return commands.submit(partition, action);
    }

    /**
     * Any thread: send the shard the last drain and clean close of {@code partition}, completing {@code done}.
     */
    void submitClose(final Partition partition, final CompletableFuture<Void> done)
    {
        commands.submit(partition, nowMs ->
        {
            closeOnShard(partition, nowMs);
            return null;
        }, done);
    }

    private void wake()
    {
        if (wakeable != null)
        {
            wakeable.wake();
        }
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
        CURRENT.set(this);
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        int workCount = commands.run(nowMs);
        workCount += writeReadyPartitions(nowMs);
        workCount += timers.runDue(nowMs);
        if (wakeable != null)
        {
            wakeable.parkNoLongerThan(timers.nanosUntilNext(nowMs));
        }
        return workCount;
    }

    private int writeReadyPartitions(final long nowMs)
    {
        int workCount = 0;
        Partition partition;
        for (int i = 0; i < MAX_PARTITIONS_PER_CYCLE && (partition = ready.relaxedPoll()) != null; i++)
        {
            // Cleared before the drain: an offer from here on schedules the partition again.
            partition.queue().unschedule();
            if (partition.lazyLog().isStopped())
            {
                // Past its last drain its queue belongs to the closing thread.
                continue;
            }
            workCount += drainAndAppend(partition, nowMs);
            if (!partition.queue().isEmpty())
            {
                schedule(partition);
            }
        }
        return workCount;
    }

    private int drainAndAppend(final Partition partition, final long nowMs)
    {
        final int count = drained.drain(partition.queue());
        if (count > 0)
        {
            final PartitionLog log = openOnShard(partition, nowMs);
            if (log == null)
            {
                drained.failAll(partition.unavailable());
            }
            else
            {
                drained.append(partition, log, nowMs);
                tell(appendSignal.target());
            }
        }
        return count;
    }

    /**
     * Shard thread, outside a duty cycle's own calls (a getter called from a listener or a command): as below, at the
     * clock's time now.
     */
    PartitionLog openOnShard(final Partition partition)
    {
        return openOnShard(partition, clock.time());
    }

    /**
     * Shard thread: the partition's log, opened now if this is its first use (starting its timers and telling the
     * recovery listener what the open found); null if it is refused or closed.
     */
    PartitionLog openOnShard(final Partition partition, final long nowMs)
    {
        final LazyLog lazyLog = partition.lazyLog();
        if (lazyLog.isNew())
        {
            lazyLog.open();
            final PartitionLog opened = lazyLog.ifOpen();
            if (opened != null)
            {
                timers.start(partition, nowMs);
                for (final LogFinding finding : opened.recoveryReport())
                {
                    tell(() -> recoveryListener.onRecovered(partition.toString(), finding));
                }
            }
            else
            {
                tell(() -> recoveryListener.onRefused(partition.toString(), lazyLog.refusalVolatile()));
            }
        }
        return lazyLog.ifOpen();
    }

    /**
     * One call to a listener (the recovery listener, the append signal's target): if it throws, the error handler
     * hears of it and the writer carries on (the next finding is still told).
     */
    private void tell(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Shard thread: append what was queued before the partition stopped taking requests (opening the log for it if
     * need be), then close the log cleanly. The partition's queue is the closing thread's from here on.
     */
    private void closeOnShard(final Partition partition, final long nowMs)
    {
        if (partition.lazyLog().isStopped())
        {
            return;
        }
        while (!partition.queue().isEmpty())
        {
            drainAndAppend(partition, nowMs);
        }
        final PartitionLog log = partition.lazyLog().stop();
        if (log != null)
        {
            try
            {
                log.close();
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    /**
     * The thread that stopped the shard, once its thread has exited: fail the commands sent after its last cycle.
     */
    void onStopped()
    {
        commands.onStopped();
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
