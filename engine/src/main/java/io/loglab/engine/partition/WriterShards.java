package io.loglab.engine.partition;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.CountersManager;

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

    /** The cleaner thread's name. */
    public static final String CLEANER_THREAD_NAME = "loglab-cleaner";

    /** Agrona interrupts a writer that outlasts this; an interrupt closes its FileChannels. */
    private static final int RUNNER_CLOSE_TIMEOUT_MS = 60_000;
    /** The cleaner thread sleeps at most this long between looks at its backoff deadline. */
    private static final long CLEANER_IDLE_MS = 100;

    /**
     * The cleaner's settings (Kafka's {@code log.cleaner.backoff.ms} and {@code log.cleaner.dedupe.buffer.size}).
     *
     * @param backoffMs         how often the cleaner looks for a log to compact when it found none.
     * @param dedupeBufferBytes memory for its map of keys to latest offsets.
     */
    public record CleanerSettings(long backoffMs, int dedupeBufferBytes)
    {
        public static final long BACKOFF_MS_DEFAULT = 15_000;
        public static final int DEDUPE_BUFFER_BYTES_DEFAULT = 32 * 1024 * 1024;
        public static final CleanerSettings DEFAULT = new CleanerSettings(BACKOFF_MS_DEFAULT,
            DEDUPE_BUFFER_BYTES_DEFAULT);

        /**
         * @throws IllegalArgumentException naming the bad setting.
         */
        public CleanerSettings
        {
            if (backoffMs <= 0)
            {
                throw new IllegalArgumentException("cleaner backoffMs=" + backoffMs + ": must be positive");
            }
            if (dedupeBufferBytes < 1024)
            {
                throw new IllegalArgumentException(
                    "cleaner dedupeBufferBytes=" + dedupeBufferBytes + ": must be at least 1024");
            }
        }
    }

    private final Path dataDir;
    private final int threads;
    private final int appendQueueCapacity;
    private final Supplier<IdleStrategy> idleStrategy;
    private final EpochClock clock;
    private final long retentionCheckIntervalMs;
    private final ErrorHandler errorHandler;
    private final RecoveryListener recoveryListener;
    private final CleanerSettings cleanerSettings;
    private final PartitionLog.HighWatermarkPolicy highWatermarkPolicy;
    /** Where each open log's counter goes; null for none. */
    private final CountersManager counters;
    private final AppendSignal appendSignal = new AppendSignal();
    private final List<WriterShard> shards = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    /** Partitions each of the fixed shards owns; unused with one thread per partition. */
    private final int[] owned;
    /** Started with the first partition whose log compacts; null until then. */
    private LogCleaner cleaner;
    private AgentRunner cleanerRunner;
    private boolean closed;

    /**
     * Start the writer threads (none yet when {@code threads} is 0).
     *
     * @param dataDir      the data directory, named in the repair command of a refused partition.
     * @param idleStrategy how an idle writer waits, one instance per thread; null for a {@link WakeableIdleStrategy}
     *                     that producers wake.
     * @param highWatermarkPolicy who moves every partition's high watermark: the log end, or replication.
     * @param counters     where each open log's counter (its log end offset) goes; null for none.
     */
    public WriterShards(
        final Path dataDir,
        final int threads,
        final int appendQueueCapacity,
        final Supplier<IdleStrategy> idleStrategy,
        final EpochClock clock,
        final long retentionCheckIntervalMs,
        final ErrorHandler errorHandler,
        final RecoveryListener recoveryListener,
        final CleanerSettings cleanerSettings,
        final PartitionLog.HighWatermarkPolicy highWatermarkPolicy,
        final CountersManager counters)
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
        this.cleanerSettings = cleanerSettings;
        this.highWatermarkPolicy = highWatermarkPolicy;
        this.counters = counters;
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
            name, clock, retentionCheckIntervalMs, errorHandler, recoveryListener, appendSignal, idleStrategy == null);
        final AgentRunner runner = new AgentRunner(
            idleStrategy == null ? shard.idleStrategy() : idleStrategy.get(), errorHandler, null, shard);
        AgentRunner.startOnThread(runner);
        shards.add(shard);
        runners.add(runner);
        return shard;
    }

    /**
     * Told after every drain any of these writers wrote.
     */
    public AppendSignal appendSignal()
    {
        return appendSignal;
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
        final Partition partition = new Partition(topic, id, dir, dataDir, config, appendQueueCapacity,
            highWatermarkPolicy, shard, counters);
        partitions.add(partition);
        if (partition.config().cleanupPolicy().compacts())
        {
            startCleanerIfNeeded().add(partition);
        }
        return partition;
    }

    private LogCleaner startCleanerIfNeeded()
    {
        if (cleaner == null)
        {
            cleaner = new LogCleaner(cleanerSettings.dedupeBufferBytes(), clock, cleanerSettings.backoffMs(),
                errorHandler);
            cleanerRunner = new AgentRunner(new SleepingMillisIdleStrategy(
                Math.min(CLEANER_IDLE_MS, cleanerSettings.backoffMs())), errorHandler, null, cleaner);
            AgentRunner.startOnThread(cleanerRunner);
        }
        return cleaner;
    }

    /**
     * Compaction passes swapped in since the start, 0 while no log compacts.
     */
    public synchronized long cleanerPasses()
    {
        return cleaner == null ? 0 : cleaner.passes();
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
        if (cleaner != null)
        {
            // Stopped first: a pass gives up at its next batch, and a swap it waits for still runs on its shard.
            cleaner.cancel();
            cleanerRunner.close(RUNNER_CLOSE_TIMEOUT_MS, thread -> { });
        }
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
