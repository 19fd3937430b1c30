package io.loglab.engine.topic;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.AppendSignal;
import io.loglab.engine.partition.WriterShards;
import io.loglab.engine.stat.CountersFile;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's entry point: owns a data directory (its lock and its settings), the topics in it
 * ({@link TopicRegistry}), and the writer threads their partitions are spread over ({@link WriterShards}).
 * <pre>
 *   D/.lock                           held while a LogManager has D open, so two processes never write one log
 *   D/&lt;topic&gt;/topic.properties        partition count and log settings ({@link TopicMetadata})
 *   D/&lt;topic&gt;/partition-&lt;P&gt;/         one {@link PartitionLog}: segments, indexes, checkpoints; made lazily
 * </pre>
 * Opening a directory or creating a topic costs no per-partition file work: each partition's log is opened on its
 * writer thread the first time it is used. A topic whose metadata is damaged is left as it is and listed in
 * {@link #topicErrors()}; the others work. Directories without a {@code topic.properties} are not topics and are
 * left alone.
 * <p>
 * Threading: topic creation and growth are serialised on this object; partitions are used from any thread.
 */
public final class LogManager implements AutoCloseable
{
    private final LogManagerContext ctx;
    private final DataDirLock lock;
    private final CountersFile counters;
    private final WriterShards writers;
    private final TopicRegistry topics;
    private final ProducerIds producerIds;

    private LogManager(final LogManagerContext ctx, final DataDirLock lock) throws IOException
    {
        this.ctx = ctx;
        this.lock = lock;
        this.counters = CountersFile.create(ctx.dataDir, CountersFile.MAX_COUNTERS_DEFAULT);
        this.writers = new WriterShards(
            ctx.dataDir, ctx.writerThreads, ctx.appendQueueCapacity, ctx.writerIdleStrategy, ctx.clock,
            ctx.retentionCheckIntervalMs, ctx.errorHandler, ctx.recoveryListener, ctx.cleaner, ctx.highWatermarkPolicy,
            counters.manager());
        this.topics = new TopicRegistry(ctx.dataDir, writers);
        this.producerIds = new ProducerIds(ctx.dataDir);
    }

    /**
     * Open (creating if needed) a data directory, lock it, and load every topic's metadata. Logs open on first use.
     *
     * @throws IOException if the directory is locked by another LogManager or cannot be read.
     */
    public static LogManager open(final LogManagerContext ctx) throws IOException
    {
        ctx.conclude();
        Files.createDirectories(ctx.dataDir());
        final DataDirLock lock = DataDirLock.acquire(ctx.dataDir());
        final LogManager manager;
        try
        {
            manager = new LogManager(ctx, lock);
        }
        catch (final IOException | RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
        try
        {
            manager.topics.load();
        }
        catch (final IOException | RuntimeException ex)
        {
            manager.close();
            throw ex;
        }
        return manager;
    }

    /**
     * Create a topic: check everything, then write its directory and metadata. Its partitions' logs open on first
     * use. Nothing is written when a check fails.
     *
     * @throws IllegalArgumentException if the name breaks Kafka's rules, the topic exists (damaged or not), a
     *                                  directory of that name that is not a topic is in the way, the count is not 1
     *                                  to {@link TopicMetadata#MAX_PARTITIONS}, or the config is invalid.
     * @throws IllegalStateException    if this manager is closed.
     */
    public synchronized Topic createTopic(final String name, final int partitionCount, final LogConfig config)
        throws IOException
    {
        return createTopic(name, partitionCount, config, TopicMetadata.newTopicId());
    }

    /**
     * As {@link #createTopic(String, int, LogConfig)}, with the id the topic is known by elsewhere: every replica of
     * a replicated topic holds it under the one id its controller gave it.
     */
    public synchronized Topic createTopic(final String name, final int partitionCount, final LogConfig config,
        final UUID topicId) throws IOException
    {
        ensureOpen();
        return topics.create(name, partitionCount, config, topicId);
    }

    /**
     * Delete a topic: its partitions stop taking appends, append what is queued and close, and its directory is
     * removed (renamed first, in one atomic step, so a crash part-way leaves nothing the next open would take for a
     * topic). Readers holding its segments finish on their open files.
     *
     * @throws IllegalArgumentException if there is no such topic (a damaged one is not deleted: it is left alone).
     * @throws IllegalStateException    if this manager is closed, or called from a writer thread.
     */
    public synchronized void deleteTopic(final String name) throws IOException
    {
        ensureOpen();
        topics.delete(name);
    }

    /**
     * Set a topic aside whole instead of deleting it: its partitions close as on deletion, and its directory is
     * renamed, in one atomic step, to {@code <name>~quarantined-<topic id>} in the data directory, which no open takes
     * for a topic and nothing deletes. The name is free for a new topic at once.
     *
     * @return where its directory went.
     * @throws IllegalArgumentException if there is no such topic.
     * @throws IllegalStateException    if this manager is closed, called from a writer thread, or the target exists.
     */
    public synchronized Path quarantineTopic(final String name) throws IOException
    {
        ensureOpen();
        return topics.quarantine(name);
    }

    /**
     * Grow a topic to {@code partitionCount} partitions. Keys hash to new partitions from then on, as in Kafka.
     *
     * @throws IllegalArgumentException if that would shrink the topic (never allowed), pass
     *                                  {@link TopicMetadata#MAX_PARTITIONS}, or it does not exist.
     * @throws IllegalStateException    if its metadata is damaged, or this manager is closed.
     */
    public synchronized Topic growPartitions(final String name, final int partitionCount) throws IOException
    {
        ensureOpen();
        return topics.grow(name, partitionCount);
    }

    /**
     * @throws IllegalArgumentException naming the topics there are when there is no such topic.
     * @throws IllegalStateException    naming the damage when the topic's metadata is damaged; if this manager is
     *                                  closed.
     */
    public synchronized Topic topic(final String name)
    {
        ensureOpen();
        return topics.get(name);
    }

    /**
     * Once closed, the directory is no longer this manager's (another process may hold its lock): nothing may be
     * written there, nor a closed partition handed out.
     */
    private void ensureOpen()
    {
        if (!lock.isHeld())
        {
            throw new IllegalStateException("the LogManager of " + ctx.dataDir() + " is closed");
        }
    }

    /**
     * A producer id no idempotent producer of this data directory has had, nor will have.
     *
     * @throws IOException if the block of ids it comes from cannot be recorded first.
     */
    public synchronized long allocateProducerId() throws IOException
    {
        ensureOpen();
        return producerIds.allocate();
    }

    /**
     * True for a usable topic; false for none and for a damaged one.
     */
    public synchronized boolean hasTopic(final String name)
    {
        return topics.contains(name);
    }

    /**
     * The usable topics, by name.
     */
    public synchronized List<Topic> topics()
    {
        return topics.all();
    }

    /**
     * Topics whose metadata could not be read or failed its checks, by name, each with what is wrong (naming the
     * file and the field). They are left as they are.
     */
    public synchronized Map<String, String> topicErrors()
    {
        return topics.errors();
    }

    public Path dataDir()
    {
        return ctx.dataDir();
    }

    /**
     * Who moves the partitions' high watermarks: the log end, or replication.
     */
    public PartitionLog.HighWatermarkPolicy highWatermarkPolicy()
    {
        return ctx.highWatermarkPolicy;
    }

    /**
     * Writer threads running, for those who count them.
     */
    public int writerThreadCount()
    {
        return writers.threadCount();
    }

    /**
     * Told after each write to any of these logs, on the writer's thread: a replicator wakes on it.
     */
    public AppendSignal appendSignal()
    {
        return writers.appendSignal();
    }

    /**
     * The counters file of the data directory ({@link CountersFile}): the engine's counters are in it, and the broker
     * allocates its own there.
     */
    public CountersManager counters()
    {
        return counters.manager();
    }

    /**
     * Compaction passes the cleaner thread has swapped in since the open.
     */
    public long cleanerPasses()
    {
        return writers.cleanerPasses();
    }

    /**
     * Let every writer append what is queued, close every log cleanly, stop the writer threads and release the
     * directory. Closing again does nothing.
     *
     * @throws IllegalStateException changing nothing, if called from a writer thread (from an append listener or the
     *                               recovery listener, say): it would wait on the writer it runs on, and the
     *                               directory must never be released while its writers run.
     */
    @Override
    public void close()
    {
        // Checked before taking this manager's monitor, which a closing thread may hold while it waits for this one.
        if (WriterShards.isWriterThread())
        {
            throw new IllegalStateException("the LogManager of " + ctx.dataDir() + " cannot be closed from a writer " +
                "thread");
        }
        closeOnce();
    }

    private synchronized void closeOnce()
    {
        if (!lock.isHeld())
        {
            return;
        }
        RuntimeException failure = null;
        try
        {
            writers.close();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        topics.clear();
        counters.close();
        try
        {
            lock.close();
        }
        catch (final IOException ex)
        {
            failure = new UncheckedIOException(ex);
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
