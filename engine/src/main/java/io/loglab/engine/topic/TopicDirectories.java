package io.loglab.engine.topic;

import io.loglab.engine.stat.CountersFile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topics a data directory holds, found without changing anything: the one place that tells a topic's directory
 * (a directory holding {@link TopicMetadata#FILE_NAME}) and reads its metadata, for a writer's {@link LogManager} and
 * a {@link ReadOnlyDataDir} alike. A damaged topic is listed with its error, never skipped silently, and never stops
 * the others; other entries, quarantined topics among them, are only listed.
 */
final class TopicDirectories
{
    /**
     * One topic directory: its metadata, or why it could not be read.
     *
     * @param metadata null when damaged.
     * @param error    null when sound; else names the file and field.
     */
    record Found(String name, Path dir, TopicMetadata metadata, String error)
    {
    }

    /**
     * @param topics  every topic directory, sorted by name.
     * @param foreign every other entry, sorted: left alone.
     */
    record Listing(List<Found> topics, List<Path> foreign, List<Path> deleted)
    {
    }

    /**
     * A deleted topic's directory is renamed with this in its name (a character no topic name has) before its files
     * go; one found on open is a deletion a crash interrupted.
     */
    static final String DELETED_MARK = "~deleted-";

    /**
     * A topic set aside whole ({@link LogManager#quarantineTopic}) is renamed with this and its id in its name: never
     * opened as a topic again and never deleted, listed with the entries left alone.
     */
    static final String QUARANTINED_MARK = "~quarantined-";

    private TopicDirectories()
    {
    }

    static Listing list(final Path dataDir) throws IOException
    {
        final List<Found> topics = new ArrayList<>();
        final List<Path> foreign = new ArrayList<>();
        final List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir))
        {
            for (final Path entry : entries)
            {
                if (entry.getFileName().toString().contains(DELETED_MARK) && Files.isDirectory(entry))
                {
                    deleted.add(entry);
                }
                else if (Files.isDirectory(entry) && Files.exists(TopicMetadata.file(entry)) &&
                    !entry.getFileName().toString().contains(QUARANTINED_MARK))
                {
                    topics.add(read(entry));
                }
                else if (!entry.getFileName().toString().equals(DataDirLock.FILE_NAME) &&
                    !entry.getFileName().toString().equals(ProducerIds.FILE_NAME) &&
                    !entry.getFileName().toString().equals(CountersFile.FILE_NAME))
                {
                    foreign.add(entry);
                }
            }
        }
        topics.sort((a, b) -> a.name().compareTo(b.name()));
        foreign.sort(null);
        return new Listing(topics, foreign, deleted);
    }

    /**
     * Why {@code name} is not a usable topic of {@code dataDir}: the damage, or the topics there are.
     *
     * @param usable  the usable topics' names.
     * @param damaged the damaged topics, each with its error.
     * @return an {@link IllegalStateException} naming the damage, or an {@link IllegalArgumentException} naming the
     *         topics there are.
     */
    static RuntimeException unusable(
        final Path dataDir, final String name, final Set<String> usable, final Map<String, String> damaged)
    {
        final String error = damaged.get(name);
        if (error != null)
        {
            return new IllegalStateException("topic " + name + " is damaged: " + error);
        }
        return new IllegalArgumentException("no topic " + name + " in " + dataDir + (usable.isEmpty() ?
            " (it has none)" : " (it has: " + String.join(", ", usable) + ")"));
    }

    private static Found read(final Path dir)
    {
        final String name = dir.getFileName().toString();
        try
        {
            TopicName.validate(name);
            return new Found(name, dir, TopicMetadata.read(dir), null);
        }
        catch (final IOException ex)
        {
            return new Found(name, dir, null, ex.getMessage());
        }
        catch (final IllegalArgumentException ex)
        {
            return new Found(name, dir, null, dir + ": " + ex.getMessage());
        }
    }
}
