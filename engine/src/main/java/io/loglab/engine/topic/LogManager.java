package io.loglab.engine.topic;

import io.loglab.engine.log.FileSync;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.Partition;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The engine's entry point: owns a data directory, the topics in it and their partitions' writer threads.
 * <pre>
 *   D/.lock                           held while a LogManager has D open, so two processes never write one log
 *   D/&lt;topic&gt;/topic.properties        partition count and log settings, replaced atomically
 *   D/&lt;topic&gt;/partition-&lt;P&gt;/         one {@link PartitionLog}: segments, indexes, recovery point
 * </pre>
 * Threading: topic creation and growth are serialised on this object; partitions run their own writer threads.
 */
public final class LogManager implements AutoCloseable
{
    private static final String LOCK_FILE = ".lock";

    /**
     * Data directories a LogManager in this JVM holds. A second open in the same JVM must fail without opening its
     * own channel on the lock file: closing any channel on that file drops the process's OS lock (POSIX record-lock
     * semantics), which would let another process open the directory while the first LogManager still writes it.
     */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    /**
     * Settings of a {@link LogManager}: the Aeron-style Context.
     */
    public static final class Context
    {
        public static final int APPEND_QUEUE_CAPACITY_DEFAULT = 1024;
        public static final long RETENTION_CHECK_INTERVAL_MS_DEFAULT = 1000;

        private Path dataDir;
        private int writerThreads = Runtime.getRuntime().availableProcessors();
        private int appendQueueCapacity = APPEND_QUEUE_CAPACITY_DEFAULT;
        private long retentionCheckIntervalMs = RETENTION_CHECK_INTERVAL_MS_DEFAULT;
        private Supplier<IdleStrategy> writerIdleStrategy;
        private EpochClock clock = SystemEpochClock.INSTANCE;
        private ErrorHandler errorHandler = Throwable::printStackTrace;

        /**
         * @throws IllegalArgumentException naming the bad setting.
         */
        public Context conclude()
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
            return this;
        }

        public Context dataDir(final Path dataDir)
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
        public Context writerThreads(final int writerThreads)
        {
            this.writerThreads = writerThreads;
            return this;
        }

        public int writerThreads()
        {
            return writerThreads;
        }

        /**
         * Requests each partition's queue holds before {@link Partition#offer} reports back pressure.
         */
        public Context appendQueueCapacity(final int appendQueueCapacity)
        {
            this.appendQueueCapacity = appendQueueCapacity;
            return this;
        }

        public Context retentionCheckIntervalMs(final long retentionCheckIntervalMs)
        {
            this.retentionCheckIntervalMs = retentionCheckIntervalMs;
            return this;
        }

        /**
         * How an idle writer thread waits; one instance per writer. Unset (the default), writers spin briefly and then
         * park until a producer wakes them ({@link io.loglab.engine.partition.WakeableIdleStrategy}), which suits a
         * machine with few cores. A supplied strategy is not woken, so it must not sleep long.
         */
        public Context writerIdleStrategy(final Supplier<IdleStrategy> writerIdleStrategy)
        {
            this.writerIdleStrategy = writerIdleStrategy;
            return this;
        }

        public Context clock(final EpochClock clock)
        {
            this.clock = clock;
            return this;
        }

        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }
    }

    private final Context ctx;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path lockKey;
    private final Map<String, Topic> topics = new TreeMap<>();

    private LogManager(final Context ctx, final FileChannel lockChannel, final FileLock lock, final Path lockKey)
    {
        this.lockKey = lockKey;
        this.ctx = ctx;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Open (creating if needed) a data directory, lock it, and open every topic in it, recovering their logs.
     *
     * @throws IOException if the directory is locked by another process or cannot be read.
     */
    public static LogManager open(final Context ctx) throws IOException
    {
        ctx.conclude();
        final Path dataDir = ctx.dataDir();
        Files.createDirectories(dataDir);
        final Path lockKey = dataDir.toRealPath();
        if (!LOCKED_IN_THIS_JVM.add(lockKey))
        {
            throw new IOException("data directory " + dataDir + " is in use by another LogManager in this process");
        }
        final FileChannel lockChannel;
        try
        {
            lockChannel = FileChannel.open(
                dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOCKED_IN_THIS_JVM.remove(lockKey);
            throw ex;
        }
        FileLock lock = null;
        try
        {
            lock = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // Another LogManager in this JVM: handled below like another process.
        }
        catch (final IOException ex)
        {
            lockChannel.close();
            LOCKED_IN_THIS_JVM.remove(lockKey);
            throw ex;
        }
        if (lock == null)
        {
            lockChannel.close();
            LOCKED_IN_THIS_JVM.remove(lockKey);
            throw new IOException("data directory " + dataDir + " is in use by another loglab process");
        }
        final LogManager manager = new LogManager(ctx, lockChannel, lock, lockKey);
        try
        {
            manager.loadTopics();
        }
        catch (final IOException | RuntimeException ex)
        {
            manager.close();
            throw ex;
        }
        return manager;
    }

    private void loadTopics() throws IOException
    {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ctx.dataDir(), Files::isDirectory))
        {
            for (final Path dir : dirs)
            {
                if (Files.exists(dir.resolve(Topic.PROPERTIES_FILE)))
                {
                    final Properties properties = readProperties(dir);
                    final int count = partitionCount(dir, properties);
                    final String name = dir.getFileName().toString();
                    final LogConfig config = LogConfig.fromProperties(properties);
                    topics.put(name, new Topic(name, dir, config, openPartitions(name, dir, config, 0, count)));
                }
            }
        }
    }

    private static Properties readProperties(final Path topicDir) throws IOException
    {
        final Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(topicDir.resolve(Topic.PROPERTIES_FILE))));
        return properties;
    }

    private static int partitionCount(final Path topicDir, final Properties properties)
    {
        final String value = (String)properties.remove(Topic.PARTITIONS_PROP);
        try
        {
            return Integer.parseInt(value == null ? "" : value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                topicDir.resolve(Topic.PROPERTIES_FILE) + ": partitions=" + value + " is not a whole number");
        }
    }

    private Partition[] openPartitions(
        final String name, final Path topicDir, final LogConfig config, final int from, final int to)
        throws IOException
    {
        final Partition[] partitions = new Partition[to - from];
        try
        {
            for (int p = from; p < to; p++)
            {
                final PartitionLog log = PartitionLog.open(Topic.partitionDir(topicDir, p), config);
                partitions[p - from] = new Partition(
                    name, p, log, ctx.appendQueueCapacity, writerIdle(), ctx.clock,
                    ctx.retentionCheckIntervalMs, ctx.errorHandler);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final Partition partition : partitions)
            {
                if (partition != null)
                {
                    partition.close();
                }
            }
            throw ex;
        }
        return partitions;
    }

    private Partition.WriterIdle writerIdle()
    {
        return ctx.writerIdleStrategy == null ? Partition.WriterIdle.DEFAULT :
            new Partition.WriterIdle(0, 0, 0, ctx.writerIdleStrategy.get());
    }

    /**
     * Create a topic and its partitions' logs.
     *
     * @throws IllegalArgumentException if the name breaks Kafka's rules, the topic exists, the count is below one,
     *                                  or the config is invalid.
     */
    public synchronized Topic createTopic(final String name, final int partitionCount, final LogConfig config)
        throws IOException
    {
        TopicName.validate(name);
        config.concludedIfNeeded();
        if (topics.containsKey(name))
        {
            throw new IllegalArgumentException("topic " + name + " already exists in " + ctx.dataDir());
        }
        if (partitionCount < 1)
        {
            throw new IllegalArgumentException("a topic needs at least one partition, asked for " + partitionCount);
        }
        final Path topicDir = ctx.dataDir().resolve(name);
        Files.createDirectories(topicDir);
        writeTopicProperties(topicDir, partitionCount, config);
        FileSync.syncDirectory(ctx.dataDir());
        final Topic topic = new Topic(name, topicDir, config, openPartitions(name, topicDir, config, 0, partitionCount));
        // The partition directories must survive a power loss as surely as the properties that count them.
        FileSync.syncDirectory(topicDir);
        topics.put(name, topic);
        return topic;
    }

    /**
     * Grow a topic to {@code partitionCount} partitions. Keys hash to new partitions from then on, as in Kafka.
     *
     * @throws IllegalArgumentException if that would shrink the topic (never allowed) or it does not exist.
     */
    public synchronized Topic growPartitions(final String name, final int partitionCount) throws IOException
    {
        final Topic topic = topic(name);
        final int current = topic.partitionCount();
        if (partitionCount < current)
        {
            throw new IllegalArgumentException(
                "topic " + name + " has " + current + " partitions; the count can grow but never shrink (asked for " +
                partitionCount + ")");
        }
        if (partitionCount == current)
        {
            return topic;
        }
        final Partition[] added = openPartitions(name, topic.dir(), topic.config(), current, partitionCount);
        FileSync.syncDirectory(topic.dir());
        writeTopicProperties(topic.dir(), partitionCount, topic.config());
        final Partition[] grown = Arrays.copyOf(topic.partitions(), partitionCount);
        System.arraycopy(added, 0, grown, current, added.length);
        topic.partitions(grown);
        return topic;
    }

    private static void writeTopicProperties(final Path topicDir, final int partitionCount, final LogConfig config)
        throws IOException
    {
        final Properties properties = config.toProperties();
        properties.setProperty(Topic.PARTITIONS_PROP, Integer.toString(partitionCount));
        final StringWriter text = new StringWriter();
        properties.store(text, "loglab topic");
        FileSync.writeAtomically(topicDir.resolve(Topic.PROPERTIES_FILE), text.toString());
    }

    /**
     * @throws IllegalArgumentException naming the topics there are when there is no such topic.
     */
    public synchronized Topic topic(final String name)
    {
        final Topic topic = topics.get(name);
        if (topic == null)
        {
            throw new IllegalArgumentException(
                "no topic " + name + " in " + ctx.dataDir() + (topics.isEmpty() ? " (it has none)" :
                " (it has: " + String.join(", ", topics.keySet()) + ")"));
        }
        return topic;
    }

    public synchronized boolean hasTopic(final String name)
    {
        return topics.containsKey(name);
    }

    public synchronized List<Topic> topics()
    {
        return new ArrayList<>(topics.values());
    }

    public Path dataDir()
    {
        return ctx.dataDir();
    }

    /**
     * Stop every writer after it appends what is queued, close every log cleanly, and release the directory.
     * Closing again does nothing.
     */
    @Override
    public synchronized void close()
    {
        if (!lockChannel.isOpen())
        {
            return;
        }
        RuntimeException failure = null;
        for (final Topic topic : topics.values())
        {
            for (final Partition partition : topic.partitions())
            {
                try
                {
                    partition.close();
                }
                catch (final RuntimeException ex)
                {
                    failure = ex;
                }
            }
        }
        topics.clear();
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            failure = new UncheckedIOException(ex);
        }
        finally
        {
            LOCKED_IN_THIS_JVM.remove(lockKey);
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
