package io.loglab.engine.topic;

import io.loglab.engine.log.FileSync;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.partition.WriterShards;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The topics of a data directory a {@link LogManager} holds: loaded from their metadata, created, grown and looked up
 * by name, their partitions made on the writer shards (logs open on first use). A topic whose metadata is damaged is
 * kept apart with its error: never loaded, never replaced.
 * <p>
 * Threading: none of its own; {@link LogManager} serialises every call on itself.
 */
final class TopicRegistry
{
    private final Path dataDir;
    private final WriterShards writers;
    private final Map<String, Topic> topics = new TreeMap<>();
    private final Map<String, String> topicErrors = new TreeMap<>();

    TopicRegistry(final Path dataDir, final WriterShards writers)
    {
        this.dataDir = dataDir;
        this.writers = writers;
    }

    /**
     * Load every topic's metadata, keeping the damaged ones apart.
     */
    void load() throws IOException
    {
        final TopicDirectories.Listing listing = TopicDirectories.list(dataDir);
        for (final Path interrupted : listing.deleted())
        {
            // A deletion a crash interrupted after the rename: finish it.
            IoUtil.delete(interrupted.toFile(), false);
        }
        for (final TopicDirectories.Found found : listing.topics())
        {
            if (found.error() != null)
            {
                topicErrors.put(found.name(), found.error());
                continue;
            }
            final TopicMetadata metadata = found.metadata();
            topics.put(found.name(), new Topic(found.name(), found.dir(), metadata.config(), metadata.topicId(),
                newPartitions(found.name(), found.dir(), metadata.config(), 0, metadata.partitionCount())));
        }
    }

    private Partition[] newPartitions(
        final String name, final Path topicDir, final LogConfig config, final int from, final int to)
    {
        final Partition[] partitions = new Partition[to - from];
        for (int p = from; p < to; p++)
        {
            partitions[p - from] = writers.newPartition(name, p, Topic.partitionDir(topicDir, p), config);
        }
        return partitions;
    }

    /**
     * See {@link LogManager#createTopic}.
     */
    Topic create(final String name, final int partitionCount, final LogConfig config, final UUID topicId)
        throws IOException
    {
        TopicName.validate(name);
        final TopicMetadata metadata = new TopicMetadata(partitionCount, config, topicId);
        if (topics.containsKey(name) || topicErrors.containsKey(name))
        {
            throw new IllegalArgumentException("topic " + name + " already exists in " + dataDir +
                (topicErrors.containsKey(name) ? " (damaged: " + topicErrors.get(name) + ")" : ""));
        }
        final Path topicDir = Topic.createDirectory(dataDir, name);
        metadata.write(topicDir);
        final Topic topic = new Topic(name, topicDir, metadata.config(), metadata.topicId(),
            newPartitions(name, topicDir, metadata.config(), 0, partitionCount));
        topics.put(name, topic);
        return topic;
    }

    /**
     * See {@link LogManager#growPartitions}.
     */
    Topic grow(final String name, final int partitionCount) throws IOException
    {
        final Topic topic = get(name);
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
        new TopicMetadata(partitionCount, topic.config(), topic.topicId()).write(topic.dir());
        final Partition[] grown = Arrays.copyOf(topic.partitions(), partitionCount);
        System.arraycopy(newPartitions(name, topic.dir(), topic.config(), current, partitionCount), 0,
            grown, current, partitionCount - current);
        topic.partitions(grown);
        return topic;
    }

    /**
     * See {@link LogManager#deleteTopic}.
     */
    void delete(final String name) throws IOException
    {
        // Out of the way in one atomic rename (a crash after it leaves a directory the next open deletes), then gone.
        final Path doomed = dataDir.resolve(name + TopicDirectories.DELETED_MARK + System.nanoTime());
        moveAway(get(name), doomed);
        IoUtil.delete(doomed.toFile(), false);
    }

    /**
     * See {@link LogManager#quarantineTopic}.
     */
    Path quarantine(final String name) throws IOException
    {
        final Topic topic = get(name);
        final Path target = dataDir.resolve(name + TopicDirectories.QUARANTINED_MARK + topic.topicId());
        if (Files.exists(target))
        {
            throw new IllegalStateException("topic " + name + " cannot be quarantined: " + target + " is in the way");
        }
        moveAway(topic, target);
        return target;
    }

    /**
     * Forget the topic, close its partitions (what is queued is appended) and rename its directory to
     * {@code target} in one atomic, durable step.
     */
    private void moveAway(final Topic topic, final Path target) throws IOException
    {
        topics.remove(topic.name());
        for (final Partition partition : topic.partitions())
        {
            partition.close();
        }
        Files.move(topic.dir(), target, StandardCopyOption.ATOMIC_MOVE);
        FileSync.syncDirectory(dataDir);
    }

    /**
     * See {@link LogManager#topic}.
     */
    Topic get(final String name)
    {
        final Topic topic = topics.get(name);
        if (topic == null)
        {
            throw TopicDirectories.unusable(dataDir, name, topics.keySet(), topicErrors);
        }
        return topic;
    }

    boolean contains(final String name)
    {
        return topics.containsKey(name);
    }

    List<Topic> all()
    {
        return new ArrayList<>(topics.values());
    }

    Map<String, String> errors()
    {
        return new TreeMap<>(topicErrors);
    }

    /**
     * Forget the topics, once their partitions are closed.
     */
    void clear()
    {
        topics.clear();
    }
}
