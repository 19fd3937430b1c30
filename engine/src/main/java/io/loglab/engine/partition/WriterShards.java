package io.loglab.engine.partition;

import io.loglab.engine.log.LogConfig;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The writer threads partitions are spread over: a fixed set of {@link WriterShard}s, each an Agrona agent on its
 * own thread, each partition owned by one shard for its lifetime (the one with the fewest partitions when the
 * partition is made). With {@code threads} 0 every partition gets a shard and a thread of its own instead: the
 * one-thread-per-partition layout, kept as the baseline that benchmarks compare against.
 * <p>
 * Threading: {@link #newPartition}, {@link #threadCount()} and {@link #close()} are serialised on this object; the
 * partitions it makes are used from any thread.
 */
public final class WriterShards implements AutoCloseable
{
    /** Every writer thread's name starts with this. */
    public static final String THREAD_NAME_PREFIX = "loglab-writer-";

    /** Agrona interrupts a writer that outlasts this; an interrupt closes its FileChannels. */
    private static final int RUNNER_CLOSE_TIMEOUT_MS = 60_000;

    private final Path dataDir;
    private final int threads;
    private final int appendQueueCapacity;
    private final Supplier<IdleStrategy> idleStrategy;
    private final EpochClock clock;
    private final long retentionCheckIntervalMs;
    private final ErrorHandler errorHandler;
    private final RecoveryListener recoveryListener;
    private final List<WriterShard> shards = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    /** Partitions each of the fixed shards owns; unused with one thread per partition. */
    private final int[] owned;
    private boolean closed;

    /**
     * Start the writer threads (none yet when {@code threads} is 0).
     *
     * @param dataDir      the data directory, named in the repair command of a refused partition.
     * @param idleStrategy how an idle writer waits, one instance per thread; null for a {@link WakeableIdleStrategy}
     *                     that producers wake.
     */
    public WriterShards(
        final Path dataDir,
        final int threads,
        final int appendQueueCapacity,
        final Supplier<IdleStrategy> idleStrategy,
        final EpochClock clock,
        final long retentionCheckIntervalMs,
        final ErrorHandler errorHandler,
        final RecoveryListener recoveryListener)
    {
        if (threads < 0)
        {
            throw new IllegalArgumentException("writer threads=" + threads + ": must not be negative");
        }
        this.dataDir = dataDir;
        this.threads = threads;
        this.appendQueueCapacity = appendQueueCapacity;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.errorHandler = errorHandler;
        this.recoveryListener = recoveryListener;
        this.owned = new int[threads];
        try
        {
            for (int i = 0; i < threads; i++)
            {
                startShard(THREAD_NAME_PREFIX + i);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // A thread that could not start (no memory for its stack, say): stop the ones that did, own nothing.
            for (final AgentRunner runner : runners)
            {
                try
                {
                    runner.close(RUNNER_CLOSE_TIMEOUT_MS, thread -> { });
                }
                catch (final RuntimeException closeFailure)
                {
                    ex.addSuppressed(closeFailure);
                }
            }
            throw ex;
        }
    }

    private WriterShard startShard(final String name)
    {
        final WriterShard shard = new WriterShard(
            name, clock, retentionCheckIntervalMs, errorHandler, recoveryListener, idleStrategy == null);
        final AgentRunner runner = new AgentRunner(
            idleStrategy == null ? shard.idleStrategy() : idleStrategy.get(), errorHandler, null, shard);
        AgentRunner.startOnThread(runner);
        shards.add(shard);
        runners.add(runner);
        return shard;
    }

    /**
     * A partition whose log lives in {@code dir}, owned by the shard with the fewest partitions. Its log is opened
     * on first use, not here.
     */
    public synchronized Partition newPartition(final String topic, final int id, final Path dir, final LogConfig config)
    {
        if (closed)
        {
            throw new IllegalStateException("the writer threads are closed");
        }
        final WriterShard shard;
        if (threads == 0)
        {
            shard = startShard(THREAD_NAME_PREFIX + topic + "-" + id);
        }
        else
        {
            int least = 0;
            for (int i = 1; i < threads; i++)
            {
                if (owned[i] < owned[least])
                {
                    least = i;
                }
            }
            owned[least]++;
            shard = shards.get(least);
        }
        final Partition partition = new Partition(topic, id, dir, dataDir, config, appendQueueCapacity, shard);
        partitions.add(partition);
        return partition;
    }

    /**
     * Whether the calling thread is a writer thread (of any {@code WriterShards}): one that must not close them, nor
     * the partitions.
     */
    public static boolean isWriterThread()
    {
        return WriterShard.isWriterThread();
    }

    /**
     * Writer threads started and not yet closed.
     */
    public synchronized int threadCount()
    {
        return closed ? 0 : runners.size();
    }

    /**
     * Close every partition (each shard appends what is queued and closes the logs cleanly), then stop the threads.
     * Requests and commands that race the close are failed, never left unanswered. Closing again does nothing.
     *
     * @throws IllegalStateException if a writer did not finish within a minute (its partitions are then left open),
     *                               or, changing nothing, if called from a writer thread.
     */
    @Override
    public synchronized void close()
    {
        if (isWriterThread())
        {
            throw new IllegalStateException("the writer threads cannot be closed from one of them");
        }
        if (closed)
        {
            return;
        }
        closed = true;
        // Send every close first, so the shards work through them side by side. A partition another thread is closing
        // is waited for too: its shard must not stop before that close has run.
        final List<CompletableFuture<Void>> closing = new ArrayList<>(partitions.size());
        for (final Partition partition : partitions)
        {
            closing.add(partition.beginClose());
        }
        RuntimeException failure = null;
        boolean wedged = false;
        for (int i = 0; i < partitions.size(); i++)
        {
            try
            {
                // Once one writer is wedged, the rest are only checked: a minute each would add up.
                if (!partitions.get(i).finishClose(closing.get(i), wedged ? 0 : Partition.CLOSE_TIMEOUT_MS))
                {
                    wedged = true;
                    failure = new IllegalStateException("the writer thread of " + partitions.get(i) +
                        " did not append what was queued and close the log within " + Partition.CLOSE_TIMEOUT_MS +
                        " ms");
                }
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }
        for (final AgentRunner runner : runners)
        {
            runner.close(RUNNER_CLOSE_TIMEOUT_MS, thread -> { });
        }
        for (final WriterShard shard : shards)
        {
            shard.onStopped();
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
