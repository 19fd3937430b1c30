package io.loglab.engine.topic;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;

import java.nio.file.Path;

/**
 * A named set of partitions sharing one {@link LogConfig}. The partition count may grow, never shrink.
 * <p>
 * Threading: {@link LogManager} replaces the partition array when the topic grows (a volatile store of a new array);
 * any thread may read it.
 */
public final class Topic
{
    static final String PROPERTIES_FILE = "topic.properties";
    static final String PARTITIONS_PROP = "partitions";

    private final String name;
    private final Path dir;
    private final LogConfig config;
    private volatile Partition[] partitions;

    Topic(final String name, final Path dir, final LogConfig config, final Partition[] partitions)
    {
        this.name = name;
        this.dir = dir;
        this.config = config;
        this.partitions = partitions;
    }

    static Path partitionDir(final Path topicDir, final int partition)
    {
        return topicDir.resolve("partition-" + partition);
    }

    public String name()
    {
        return name;
    }

    public Path dir()
    {
        return dir;
    }

    public LogConfig config()
    {
        return config;
    }

    public int partitionCount()
    {
        return partitions.length;
    }

    /**
     * @throws IllegalArgumentException naming the valid range when there is no such partition.
     */
    public Partition partition(final int partition)
    {
        final Partition[] current = partitions;
        if (partition < 0 || partition >= current.length)
        {
            throw new IllegalArgumentException(
                "topic " + name + " has partitions 0 to " + (current.length - 1) + ", not " + partition);
        }
        return current[partition];
    }

    Partition[] partitions()
    {
        return partitions;
    }

    void partitions(final Partition[] partitions)
    {
        this.partitions = partitions;
    }
}
