package io.loglab.cli;

import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A topic's partition logs for a command that only reads: the one place {@code consume} gets its data. It opens the
 * data directory through a {@link LogManager} (which locks it, and recovers logs as a writer does); a read-only,
 * lock-free view of the directory is meant to take its place here, and nowhere else needs to change.
 */
final class TopicLogs implements AutoCloseable
{
    private final LogManager manager;
    private final Topic topic;

    private TopicLogs(final LogManager manager, final Topic topic)
    {
        this.manager = manager;
        this.topic = topic;
    }

    /**
     * @throws IllegalArgumentException if there is no such data directory or topic.
     */
    static TopicLogs open(final Path dir, final String topic) throws IOException
    {
        final LogManager manager = CliSupport.openExisting(dir);
        try
        {
            return new TopicLogs(manager, manager.topic(topic));
        }
        catch (final RuntimeException ex)
        {
            manager.close();
            throw ex;
        }
    }

    int partitionCount()
    {
        return topic.partitionCount();
    }

    /**
     * @throws IllegalArgumentException naming the valid range when there is no such partition.
     */
    ReadableLog log(final int partition)
    {
        return topic.partition(partition).log();
    }

    /**
     * The partition as messages name it: {@code topic-partition}.
     */
    String name(final int partition)
    {
        return topic.name() + "-" + partition;
    }

    @Override
    public void close()
    {
        manager.close();
    }
}
