package io.loglab.cli;

import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.ReadOnlyLog;
import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.topic.ReadOnlyDataDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A topic's partition logs for a command that only reads: the one place {@code consume} gets its data. A
 * {@link ReadOnlyDataDir}: no lock, no write, so it runs beside a writer and on a read-only disk. A partition with
 * damage a writer would not keep is served up to the damage, and the damage is named on stderr.
 */
final class TopicLogs implements AutoCloseable
{
    private final ReadOnlyDataDir dataDir;
    private final String topic;
    private final int partitionCount;
    private final PrintStream warnings;

    private TopicLogs(final ReadOnlyDataDir dataDir, final String topic, final PrintStream warnings)
    {
        this.dataDir = dataDir;
        this.topic = topic;
        this.partitionCount = dataDir.metadata(topic).partitionCount();
        this.warnings = warnings;
    }

    /**
     * @throws IllegalArgumentException if there is no such data directory or topic.
     * @throws IllegalStateException    if the topic's metadata is damaged.
     */
    static TopicLogs open(final Path dir, final String topic) throws IOException
    {
        final ReadOnlyDataDir dataDir = ReadOnlyDataDir.open(dir);
        try
        {
            return new TopicLogs(dataDir, topic, System.err);
        }
        catch (final RuntimeException ex)
        {
            dataDir.close();
            throw ex;
        }
    }

    int partitionCount()
    {
        return partitionCount;
    }

    /**
     * @throws IllegalArgumentException naming the valid range when there is no such partition.
     */
    ReadableLog log(final int partition) throws IOException
    {
        final ReadOnlyLog log = dataDir.partition(topic, partition);
        for (final LogFinding finding : log.findings())
        {
            if (finding.kind().isDamage())
            {
                warnings.println("warning: " + name(partition) + ": " + finding);
            }
        }
        return log;
    }

    /**
     * The partition as messages name it: {@code topic-partition}.
     */
    String name(final int partition)
    {
        return topic + "-" + partition;
    }

    @Override
    public void close()
    {
        dataDir.close();
    }
}
