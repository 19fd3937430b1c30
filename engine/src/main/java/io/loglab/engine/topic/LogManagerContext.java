package io.loglab.engine.topic;

import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.RecoveryListener;
import io.loglab.engine.partition.WriterShards;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Settings of a {@link LogManager}, Aeron's way: set what differs from the defaults; {@link #conclude()} checks them.
 */
public final class LogManagerContext
{
    public static final int APPEND_QUEUE_CAPACITY_DEFAULT = 1024;
    public static final long RETENTION_CHECK_INTERVAL_MS_DEFAULT = 1000;

    Path dataDir;
    int writerThreads = Runtime.getRuntime().availableProcessors();
    int appendQueueCapacity = APPEND_QUEUE_CAPACITY_DEFAULT;
    long retentionCheckIntervalMs = RETENTION_CHECK_INTERVAL_MS_DEFAULT;
    Supplier<IdleStrategy> writerIdleStrategy;
    EpochClock clock = SystemEpochClock.INSTANCE;
    ErrorHandler errorHandler = Throwable::printStackTrace;
    RecoveryListener recoveryListener = RecoveryListener.STDERR;
    WriterShards.CleanerSettings cleaner = WriterShards.CleanerSettings.DEFAULT;
    PartitionLog.HighWatermarkPolicy highWatermarkPolicy = PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END;

    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LogManagerContext conclude()
    {
        if (dataDir == null)
        {
            throw new IllegalArgumentException("dataDir is not set");
        }
        if (writerThreads < 0)
        {
            throw new IllegalArgumentException("writerThreads=" + writerThreads + ": must not be negative");
        }
        if (appendQueueCapacity < 2)
        {
            throw new IllegalArgumentException(
                "appendQueueCapacity=" + appendQueueCapacity + ": must be at least 2");
        }
        if (retentionCheckIntervalMs <= 0)
        {
            throw new IllegalArgumentException(
                "retentionCheckIntervalMs=" + retentionCheckIntervalMs + ": must be positive");
        }
        if (recoveryListener == null)
        {
            throw new IllegalArgumentException("recoveryListener is not set");
        }
        if (cleaner == null)
        {
            throw new IllegalArgumentException("cleaner is not set");
        }
        if (highWatermarkPolicy == null)
        {
            throw new IllegalArgumentException("highWatermarkPolicy is not set");
        }
        return this;
    }

    public LogManagerContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * Writer threads the partitions are spread over, each partition owned by one of them for its lifetime;
     * 0 for one thread per partition, the layout to compare against. Default: the number of available cores.
     */
    public LogManagerContext writerThreads(final int writerThreads)
    {
        this.writerThreads = writerThreads;
        return this;
    }

    public int writerThreads()
    {
        return writerThreads;
    }

    /**
     * Requests each partition's queue holds before {@link io.loglab.engine.partition.Partition#offer} reports back
     * pressure.
     */
    public LogManagerContext appendQueueCapacity(final int appendQueueCapacity)
    {
        this.appendQueueCapacity = appendQueueCapacity;
        return this;
    }

    public LogManagerContext retentionCheckIntervalMs(final long retentionCheckIntervalMs)
    {
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        return this;
    }

    /**
     * How an idle writer thread waits; one instance per thread. Unset (the default), writers spin briefly and then
     * park until a producer wakes them or a timer is due ({@link io.loglab.engine.partition.WakeableIdleStrategy}),
     * which suits a machine with few cores. A supplied strategy is not woken, so it must not sleep long.
     */
    public LogManagerContext writerIdleStrategy(final Supplier<IdleStrategy> writerIdleStrategy)
    {
        this.writerIdleStrategy = writerIdleStrategy;
        return this;
    }

    public LogManagerContext clock(final EpochClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * Told of failures no request or command hears of: a failed interval flush or retention pass, a close that
     * could not flush, an exception thrown by a listener. Also told of failed appends, which fail their requests.
     */
    public LogManagerContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * Told what recovery found and did when each partition's log opened, and of partitions refused because their
     * log cannot be opened. Default: {@link RecoveryListener#STDERR}.
     */
    public LogManagerContext recoveryListener(final RecoveryListener recoveryListener)
    {
        this.recoveryListener = recoveryListener;
        return this;
    }

    /**
     * The cleaner thread's settings, for topics whose {@code cleanup.policy} compacts.
     */
    public LogManagerContext cleaner(final WriterShards.CleanerSettings cleaner)
    {
        this.cleaner = cleaner;
        return this;
    }

    /**
     * Who moves every partition's high watermark: the log end (the default, a log no one replicates), or a
     * replication node's replicas ({@link PartitionLog.HighWatermarkPolicy#SET_BY_REPLICATION}), whose consumers
     * then read only what the replicas have committed.
     */
    public LogManagerContext highWatermarkPolicy(final PartitionLog.HighWatermarkPolicy highWatermarkPolicy)
    {
        this.highWatermarkPolicy = highWatermarkPolicy;
        return this;
    }
}
