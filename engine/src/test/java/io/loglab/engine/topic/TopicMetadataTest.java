package io.loglab.engine.topic;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.AppendRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class TopicMetadataTest
{
    @TempDir
    Path dataDir;

    private String readError(final String content) throws IOException
    {
        final Path topicDir = Files.createDirectories(dataDir.resolve("t"));
        Files.writeString(TopicMetadata.file(topicDir), content);
        final IOException ex = assertThrows(IOException.class, () -> TopicMetadata.read(topicDir));
        assertTrue(ex.getMessage().startsWith(TopicMetadata.file(topicDir) + ": "), ex.getMessage());
        return ex.getMessage().substring((TopicMetadata.file(topicDir) + ": ").length());
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException
    {
        final LogConfig config = new LogConfig().segmentBytes(4096).retentionMs(-1).flush("interval:5");
        new TopicMetadata(7, config, TopicMetadata.newTopicId()).write(dataDir);
        final TopicMetadata read = TopicMetadata.read(dataDir);
        assertEquals(7, read.partitionCount());
        assertEquals(config.toProperties(), read.config().toProperties());
    }

    @Test
    void shouldKeepTheTopicIdItWasGivenAndRefuseOneThatIsNot() throws IOException
    {
        final java.util.UUID id = TopicMetadata.newTopicId();
        new TopicMetadata(1, new LogConfig(), id).write(dataDir);
        assertEquals(id, TopicMetadata.read(dataDir).topicId());
        assertNotEquals(TopicMetadata.newTopicId(), TopicMetadata.newTopicId(), "new ids are random");
        assertEquals("topic.id=not-a-uuid is not a topic id", readError("partitions=1\ntopic.id=not-a-uuid\n"));
        assertEquals("topic.id=00000000-0000-0000-0000-000000000000 is not a topic id",
            readError("partitions=1\ntopic.id=00000000-0000-0000-0000-000000000000\n"));
    }

    @Test
    void shouldNameTheFileAndTheFieldWhenAFieldIsWrong() throws IOException
    {
        assertEquals("partitions=abc is not a whole number from 1 to 10000",
            readError("partitions=abc\n"));
        assertEquals("partitions=2147483647 is not a whole number from 1 to 10000",
            readError("partitions=2147483647\n"));
        assertEquals("partitions=0 is not a whole number from 1 to 10000", readError("partitions=0\n"));
        assertEquals("partitions is missing", readError("segment.bytes=4096\n"));
        assertEquals("unknown log setting colour=blue", readError("partitions=1\ncolour=blue\n"));
        assertEquals("segment.bytes=lots: not a whole number", readError("partitions=1\nsegment.bytes=lots\n"));
        assertEquals("segment.bytes=10: must be at least 1024", readError("partitions=1\nsegment.bytes=10\n"));
        assertEquals("retention.ms=-5: must be positive, or -1", readError("partitions=1\nretention.ms=-5\n"));
        assertTrue(readError("partitions=1\nflush.policy=sometimes\n").startsWith("flush.policy=sometimes: "));
    }

    @Test
    void shouldNameTheFileAndTheFieldWhenAnyFieldItWritesIsMissing() throws IOException
    {
        final Path topicDir = Files.createDirectories(dataDir.resolve("t"));
        new TopicMetadata(3, new LogConfig().retentionMs(-1), TopicMetadata.newTopicId()).write(topicDir);
        final List<String> lines = Files.readAllLines(TopicMetadata.file(topicDir));
        final Set<String> fields = new TreeSet<>(new LogConfig().toProperties().stringPropertyNames());
        fields.add(TopicMetadata.PARTITIONS_PROP);
        fields.add(TopicMetadata.TOPIC_ID_PROP);
        int checked = 0;
        for (final String line : lines)
        {
            if (line.startsWith("#"))
            {
                continue;
            }
            final String field = line.substring(0, line.indexOf('='));
            assertTrue(fields.contains(field), "every line written is a field the engine knows: " + line);
            final List<String> without = lines.stream().filter(other -> !other.equals(line)).toList();
            if (field.equals(TopicMetadata.TOPIC_ID_PROP))
            {
                // A topic made before ids were kept: it gets one from its name, the same at every read.
                Files.writeString(TopicMetadata.file(topicDir), String.join("\n", without) + "\n");
                assertEquals(TopicMetadata.derivedTopicId("t"), TopicMetadata.read(topicDir).topicId());
                assertEquals(TopicMetadata.read(topicDir).topicId(), TopicMetadata.read(topicDir).topicId());
                checked++;
                continue;
            }
            if (LogConfig.OPTIONAL_PROPS.contains(field))
            {
                // Written since compaction came; a file from before lacks it and the log takes the default.
                Files.writeString(TopicMetadata.file(topicDir), String.join("\n", without) + "\n");
                assertEquals(new LogConfig().retentionMs(-1).toProperties().getProperty(field),
                    TopicMetadata.read(topicDir).config().toProperties().getProperty(field), field);
                checked++;
                continue;
            }
            assertEquals(field + " is missing", readError(String.join("\n", without) + "\n"), "without " + line);
            checked++;
        }
        assertEquals(fields.size(), checked, "each field required is written, and checked missing: " + fields);
        assertEquals("retention.ms, segment.bytes are missing",
            readError(lines.stream().filter(line -> !line.startsWith("retention.ms=") &&
                !line.startsWith("segment.bytes=")).reduce("", (text, line) -> text + line + "\n")));
    }

    @Test
    void shouldRefuseGarbageAndPartialFiles() throws IOException
    {
        assertTrue(readError("\u0000\u0001\u0002 garbage\n").startsWith("partitions is missing"));
        // A file cut short in the middle of its last line: the key it was writing is unknown.
        assertEquals("unknown log setting segment.by=", readError("partitions=3\nsegment.by"));
        assertTrue(readError("partitions=1\nx=\\u12").contains("Malformed"));

        final Path topicDir = dataDir.resolve("t");
        Files.write(TopicMetadata.file(topicDir), new byte[] {'p', '=', (byte)0xC3, (byte)0x28});
        final IOException notText = assertThrows(IOException.class, () -> TopicMetadata.read(topicDir));
        assertTrue(notText.getMessage().endsWith("is not UTF-8 text"), notText.getMessage());
    }

    @Test
    void shouldRefuseAMetadataFileTooLargeToBeOneAndKeepOtherTopicsWorking() throws IOException
    {
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            manager.createTopic("good", 1, new LogConfig());
            manager.createTopic("huge", 1, new LogConfig());
        }
        // Sparse: 2 GiB that take no room, more than a String can hold.
        final Path huge = TopicMetadata.file(dataDir.resolve("huge"));
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw"))
        {
            file.setLength(1L << 31);
        }

        final IOException ex = assertThrows(IOException.class, () -> TopicMetadata.read(dataDir.resolve("huge")));
        assertEquals(huge + ": 2147483648 bytes, too large for topic metadata (at most 65536)", ex.getMessage());
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            assertEquals(List.of("good"), manager.topics().stream().map(Topic::name).toList());
            assertEquals(Map.of("huge", ex.getMessage()), manager.topicErrors());
        }
        assertEquals(1L << 31, Files.size(huge), "left as it is");
    }

    @Test
    void shouldRefuseAMetadataFileThatIsNotARegularFileWithoutReadingIt() throws Exception
    {
        final Path directory = Files.createDirectories(TopicMetadata.file(dataDir.resolve("d")));
        assertEquals(directory + ": is not a regular file",
            assertThrows(IOException.class, () -> TopicMetadata.read(dataDir.resolve("d"))).getMessage());

        final Path fifo = TopicMetadata.file(Files.createDirectories(dataDir.resolve("f")));
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "no mkfifo here");
        // Opening a FIFO to read blocks until a writer comes: the check must not open it.
        final IOException ex = assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> assertThrows(IOException.class, () -> TopicMetadata.read(dataDir.resolve("f"))));
        assertEquals(fifo + ": is not a regular file", ex.getMessage());
    }

    @Test
    void shouldRefuseAHugePartitionCountAndLeaveNoTraceWhenCreating() throws IOException
    {
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("huge", Integer.MAX_VALUE, new LogConfig()));
            assertEquals("a topic has 1 to 10000 partitions, not 2147483647", ex.getMessage());
            assertFalse(Files.exists(dataDir.resolve("huge")), "nothing written");
            assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("bad", 1, new LogConfig().segmentBytes(10)));
            assertFalse(Files.exists(dataDir.resolve("bad")), "nothing written");

            manager.createTopic("t", 2, new LogConfig());
            final byte[] before = Files.readAllBytes(TopicMetadata.file(dataDir.resolve("t")));
            assertThrows(IllegalArgumentException.class,
                () -> manager.growPartitions("t", TopicMetadata.MAX_PARTITIONS + 1));
            assertArrayEquals(before, Files.readAllBytes(TopicMetadata.file(dataDir.resolve("t"))));
            assertEquals(2, manager.topic("t").partitionCount());
        }
    }

    @Test
    void shouldKeepOtherTopicsWorkingAndLeaveTheDamagedOneAsItIsWhenItsMetadataIsDamaged() throws IOException
    {
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            manager.createTopic("good", 1, new LogConfig());
            manager.createTopic("bad", 2, new LogConfig());
        }
        final Path badFile = TopicMetadata.file(dataDir.resolve("bad"));
        Files.writeString(badFile, "partitions=abc\n");
        final byte[] damaged = Files.readAllBytes(badFile);
        // Not topics: a directory without metadata and a stray file, both the user's.
        Files.createDirectories(dataDir.resolve("notes"));
        Files.writeString(dataDir.resolve("notes").resolve("todo.txt"), "mine");
        Files.writeString(dataDir.resolve("README"), "mine too");

        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            assertEquals(List.of("good"), manager.topics().stream().map(Topic::name).toList());
            assertEquals(Map.of("bad", badFile + ": partitions=abc is not a whole number from 1 to 10000"),
                manager.topicErrors());
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> manager.topic("bad"));
            assertTrue(ex.getMessage().contains(badFile + ": partitions=abc"), ex.getMessage());
            assertFalse(manager.hasTopic("bad"));
            final IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("bad", 1, new LogConfig()));
            assertTrue(exists.getMessage().contains("damaged"), exists.getMessage());
            final IllegalArgumentException inTheWay = assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("notes", 1, new LogConfig()));
            assertTrue(inTheWay.getMessage().contains("is not a topic"), inTheWay.getMessage());

            final AppendRequest request =
                LogManagerTest.appendAndWait(manager.topic("good").partition(0), TestBatches.batch(2, 0));
            assertEquals(AppendRequest.WRITTEN, request.status(), String.valueOf(request.failure()));
        }
        assertArrayEquals(damaged, Files.readAllBytes(badFile), "the damaged metadata is left as it is");
        assertEquals("mine", Files.readString(dataDir.resolve("notes").resolve("todo.txt")));
        assertEquals("mine too", Files.readString(dataDir.resolve("README")));
        try (Stream<Path> entries = Files.list(dataDir.resolve("notes")))
        {
            assertEquals(1, entries.count(), "nothing added to a directory that is not a topic");
        }
    }
}
