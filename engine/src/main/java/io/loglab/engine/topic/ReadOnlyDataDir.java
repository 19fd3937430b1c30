package io.loglab.engine.topic;

import io.loglab.engine.log.ReadOnlyLog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A data directory opened only to read, for {@code consume}, {@code topic describe} and {@code verify}: it takes no
 * lock, needs no write permission, changes no byte, and may be opened while a {@link LogManager} in this or another
 * process writes the directory. Each partition is a {@link ReadOnlyLog}: the complete batches on disk when it is first
 * asked for, up to the first damage a writer would not keep. A partition never written has no directory yet and
 * reads as empty.
 * <p>
 * Threading: one thread, or callers' own synchronisation; the logs it hands out are safe to read from any thread.
 */
public final class ReadOnlyDataDir implements AutoCloseable
{
    private final Path dataDir;
    private final Map<String, TopicDirectories.Found> topics = new TreeMap<>();
    private final Map<String, String> topicErrors = new TreeMap<>();
    private final List<Path> foreign;
    private final Map<String, ReadOnlyLog> opened = new HashMap<>();

    private ReadOnlyDataDir(final Path dataDir, final TopicDirectories.Listing listing)
    {
        this.dataDir = dataDir;
        for (final TopicDirectories.Found found : listing.topics())
        {
            if (found.error() == null)
            {
                topics.put(found.name(), found);
            }
            else
            {
                topicErrors.put(found.name(), found.error());
            }
        }
        this.foreign = List.copyOf(listing.foreign());
    }

    /**
     * @throws IllegalArgumentException if there is no directory at {@code dataDir}.
     */
    public static ReadOnlyDataDir open(final Path dataDir) throws IOException
    {
        if (!Files.isDirectory(dataDir))
        {
            throw new IllegalArgumentException("no data directory at " + dataDir);
        }
        return new ReadOnlyDataDir(dataDir, TopicDirectories.list(dataDir));
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * Topics whose metadata is sound, sorted.
     */
    public List<String> topicNames()
    {
        return new ArrayList<>(topics.keySet());
    }

    /**
     * Damaged topics, each with what is wrong, naming the file and field.
     */
    public Map<String, String> topicErrors()
    {
        return topicErrors;
    }

    /**
     * Entries of the data directory that are not topics and not the engine's lock file: left alone.
     */
    public List<Path> foreignEntries()
    {
        return foreign;
    }

    /**
     * @throws IllegalArgumentException naming the topics there are, when there is no such topic.
     * @throws IllegalStateException    naming the damage, when its metadata cannot be read.
     */
    public TopicMetadata metadata(final String topic)
    {
        return found(topic).metadata();
    }

    /**
     * Where partition {@code partition}'s log lives, whether or not it was ever written.
     */
    public Path partitionDir(final String topic, final int partition)
    {
        return Topic.partitionDir(found(topic).dir(), partition);
    }

    /**
     * Entries of a topic's directory that are neither its metadata nor its partitions' directories: left alone.
     */
    public List<Path> foreignEntries(final String topic) throws IOException
    {
        final TopicDirectories.Found found = found(topic);
        final Set<Path> ours = new HashSet<>();
        ours.add(TopicMetadata.file(found.dir()));
        for (int p = 0; p < found.metadata().partitionCount(); p++)
        {
            ours.add(Topic.partitionDir(found.dir(), p));
        }
        final List<Path> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(found.dir()))
        {
            entries.forEach(entry ->
            {
                if (!ours.contains(entry))
                {
                    foreign.add(entry);
                }
            });
        }
        foreign.sort(null);
        return foreign;
    }

    /**
     * The read-only log of one partition, opened on first request and kept until {@link #close()}.
     *
     * @throws IllegalArgumentException naming the valid range when there is no such partition.
     */
    public ReadOnlyLog partition(final String topic, final int partition) throws IOException
    {
        final TopicDirectories.Found found = found(topic);
        final int count = found.metadata().partitionCount();
        if (partition < 0 || partition >= count)
        {
            throw new IllegalArgumentException(
                "topic " + topic + " has partitions 0 to " + (count - 1) + ", not " + partition);
        }
        final String key = topic + "-" + partition;
        ReadOnlyLog log = opened.get(key);
        if (log == null)
        {
            log = ReadOnlyLog.open(Topic.partitionDir(found.dir(), partition), found.metadata().config());
            opened.put(key, log);
        }
        return log;
    }

    private TopicDirectories.Found found(final String topic)
    {
        final TopicDirectories.Found found = topics.get(topic);
        if (found == null)
        {
            throw TopicDirectories.unusable(dataDir, topic, topics.keySet(), topicErrors);
        }
        return found;
    }

    @Override
    public void close()
    {
        opened.values().forEach(ReadOnlyLog::close);
        opened.clear();
    }
}
