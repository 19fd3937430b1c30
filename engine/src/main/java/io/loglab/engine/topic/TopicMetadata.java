package io.loglab.engine.topic;

import io.loglab.engine.log.FileSync;
import io.loglab.engine.log.LogConfig;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What {@code D/<topic>/topic.properties} holds, and the one place that reads, checks and writes it: the partition
 * count and the topic's log settings, under Kafka's names. Checked whole before anything is written, and written
 * atomically ({@link FileSync#writeAtomically}), so a crash leaves the old file or the new one, never a mix. Read
 * back, every field is checked again: an unknown key, a value that is not a number, one out of range, or a missing
 * one is an error naming the file and the field. Every setting {@link #write} writes must be there: a default taken
 * silently for a lost line could change what the engine keeps (a lost {@code retention.ms=-1} would become 7 days
 * and let retention delete data meant to be kept forever).
 * <p>
 * The topic id is the one exception: topics made before ids were kept have none in their file, and are given one
 * derived from their name ({@link #derivedTopicId}), so reading never needs to write. A topic made since has a random
 * one, so a topic deleted and made again under the same name is told apart, as Kafka's topic ids let clients do.
 *
 * @param partitionCount 1 to {@link #MAX_PARTITIONS}.
 * @param config         the topic's log settings, concluded.
 * @param topicId        the topic's id, for the life of the topic: never the zero UUID.
 */
public record TopicMetadata(int partitionCount, LogConfig config, UUID topicId)
{
    public static final String FILE_NAME = "topic.properties";
    public static final String PARTITIONS_PROP = "partitions";
    public static final String TOPIC_ID_PROP = "topic.id";
    /**
     * The most partitions a topic may have. Partitions cost nothing until used (each log opens on first use), but
     * each one in use holds open files and mapped indexes; the limit keeps a mistyped count from taking the process.
     */
    public static final int MAX_PARTITIONS = 10_000;
    /** A real file is a few hundred bytes: a larger one is not topic metadata, and is not read into memory. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /** The log settings a file must hold: every one {@link LogConfig#toProperties()} writes, but the optional ones. */
    private static final List<String> LOG_SETTINGS = new TreeSet<>(new LogConfig().toProperties()
        .stringPropertyNames()).stream().filter(name -> !LogConfig.OPTIONAL_PROPS.contains(name)).toList();

    /**
     * @throws IllegalArgumentException if the count is out of range or the config fails {@link LogConfig#conclude()}.
     */
    public TopicMetadata
    {
        checkPartitionCount(partitionCount);
        config = config.concludedIfNeeded();
        checkTopicId(topicId);
    }

    /**
     * A new topic's id: random, never zero, and never one whose text in Kafka's form (URL-safe base64 of the 16
     * bytes) starts with '-', which Kafka refuses to hand out so that an id on a command line is never taken for an
     * option.
     */
    public static UUID newTopicId()
    {
        while (true)
        {
            final UUID id = UUID.randomUUID();
            // The first base64 character is the top 6 bits; 62 is '-' in the URL-safe alphabet.
            if ((id.getMostSignificantBits() >>> 58) != 62 && isUsable(id))
            {
                return id;
            }
        }
    }

    /**
     * The id of a topic whose file has none (made before ids were kept): the same for the same name every time it
     * is read, without writing it down.
     */
    static UUID derivedTopicId(final String topicName)
    {
        return UUID.nameUUIDFromBytes(("loglab topic " + topicName).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isUsable(final UUID id)
    {
        // Kafka reserves 0 (no id) and 1 (its metadata log).
        return id.getMostSignificantBits() != 0 || (id.getLeastSignificantBits() & ~1L) != 0;
    }

    private static void checkTopicId(final UUID topicId)
    {
        if (topicId == null || !isUsable(topicId))
        {
            throw new IllegalArgumentException("a topic id may not be " + topicId);
        }
    }

    /**
     * @throws IllegalArgumentException naming the range when {@code partitionCount} is outside it.
     */
    public static void checkPartitionCount(final long partitionCount)
    {
        if (partitionCount < 1 || partitionCount > MAX_PARTITIONS)
        {
            throw new IllegalArgumentException(
                "a topic has 1 to " + MAX_PARTITIONS + " partitions, not " + partitionCount);
        }
    }

    public static Path file(final Path topicDir)
    {
        return topicDir.resolve(FILE_NAME);
    }

    /**
     * Read and check a topic's metadata: that it is a regular file of at most {@link #MAX_FILE_BYTES} (else it is
     * not read at all), the partition count, then each setting's name and value, then that no setting is missing (so
     * a mistyped name is reported as such, not as the setting it was meant to be).
     *
     * @throws IOException if the file cannot be read, or, naming the file and the field, if any field is wrong or
     *                     missing.
     */
    public static TopicMetadata read(final Path topicDir) throws IOException
    {
        final Path file = file(topicDir);
        if (!Files.isRegularFile(file))
        {
            // A directory cannot be read; a FIFO would block the read, and every command with it.
            throw new IOException(file + ": is not a regular file");
        }
        final long size = Files.size(file);
        if (size > MAX_FILE_BYTES)
        {
            throw new IOException(
                file + ": " + size + " bytes, too large for topic metadata (at most " + MAX_FILE_BYTES + ")");
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(Files.readString(file)));
        }
        catch (final CharacterCodingException ex)
        {
            throw new IOException(file + ": is not UTF-8 text");
        }
        catch (final IllegalArgumentException ex)
        {
            // Properties' own complaint: a malformed Unicode escape.
            throw new IOException(file + ": " + ex.getMessage());
        }
        final String count = (String)properties.remove(PARTITIONS_PROP);
        if (count == null)
        {
            throw new IOException(file + ": " + PARTITIONS_PROP + " is missing");
        }
        final long partitionCount;
        try
        {
            partitionCount = Long.parseLong(count.trim());
            checkPartitionCount(partitionCount);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": " + PARTITIONS_PROP + "=" + count + " is not a whole number from 1 to " +
                MAX_PARTITIONS);
        }
        final String idText = (String)properties.remove(TOPIC_ID_PROP);
        final UUID topicId;
        try
        {
            topicId = idText == null ? derivedTopicId(topicDir.getFileName().toString()) :
                UUID.fromString(idText.trim());
            checkTopicId(topicId);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": " + TOPIC_ID_PROP + "=" + idText + " is not a topic id");
        }
        final LogConfig config;
        try
        {
            config = LogConfig.fromProperties(properties);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": " + ex.getMessage());
        }
        final List<String> missing = LOG_SETTINGS.stream().filter(name -> !properties.containsKey(name)).toList();
        if (!missing.isEmpty())
        {
            throw new IOException(file + ": " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") +
                " missing");
        }
        return new TopicMetadata((int)partitionCount, config, topicId);
    }

    /**
     * Replace the topic's metadata file, atomically and durably.
     */
    public void write(final Path topicDir) throws IOException
    {
        final Properties properties = config.toProperties();
        properties.setProperty(PARTITIONS_PROP, Integer.toString(partitionCount));
        properties.setProperty(TOPIC_ID_PROP, topicId.toString());
        final StringWriter text = new StringWriter();
        properties.store(text, "loglab topic");
        FileSync.writeAtomically(file(topicDir), text.toString());
    }
}
