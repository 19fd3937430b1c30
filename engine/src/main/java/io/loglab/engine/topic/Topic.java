package io.loglab.engine.topic;

import io.loglab.engine.log.FileSync;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A named set of partitions sharing one {@link LogConfig}; its metadata is a {@link TopicMetadata}. The partition count
 * may grow, never shrink.
 * <p>
 * Threading: {@link LogManager} replaces the partition array when the topic grows (a volatile store of a new array);
 * any thread may read it.
 */
public final class Topic
{
    private final String name;
    private final Path dir;
    private final LogConfig config;
    private final UUID topicId;
    private volatile Partition[] partitions;

    Topic(final String name, final Path dir, final LogConfig config, final UUID topicId, final Partition[] partitions)
    {
        this.name = name;
        this.dir = dir;
        this.config = config;
        this.topicId = topicId;
        this.partitions = partitions;
    }

    static Path partitionDir(final Path topicDir, final int partition)
    {
        return topicDir.resolve("partition-" + partition);
    }

    /**
     * Make a new topic's directory, durably. It may already exist only empty, left by a create that a crash
     * interrupted; anything else there is not the engine's, and stays as it is.
     *
     * @throws IllegalArgumentException if something other than an empty directory is in the way.
     */
    static Path createDirectory(final Path dataDir, final String name) throws IOException
    {
        final Path topicDir = dataDir.resolve(name);
        if (Files.exists(topicDir, LinkOption.NOFOLLOW_LINKS))
        {
            boolean empty = false;
            if (Files.isDirectory(topicDir, LinkOption.NOFOLLOW_LINKS))
            {
                try (Stream<Path> entries = Files.list(topicDir))
                {
                    empty = entries.findAny().isEmpty();
                }
            }
            if (!empty)
            {
                throw new IllegalArgumentException(topicDir + " exists and is not a topic (it has no " +
                    TopicMetadata.FILE_NAME + "); it is left as it is");
            }
        }
        Files.createDirectories(topicDir);
        FileSync.syncDirectory(dataDir);
        return topicDir;
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

    /**
     * The topic's id ({@link TopicMetadata#topicId}), for the life of the topic.
     */
    public UUID topicId()
    {
        return topicId;
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
