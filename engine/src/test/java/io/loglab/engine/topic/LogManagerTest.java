package io.loglab.engine.topic;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class LogManagerTest
{
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path dataDir;

    private final Queue<LogFinding> findings = new ConcurrentLinkedQueue<>();

    private LogManager open() throws IOException
    {
        return LogManager.open(new LogManagerContext().dataDir(dataDir).errorHandler(Throwable::printStackTrace)
            .recoveryListener((partition, finding) -> findings.add(finding)));
    }

    /** Offer one batch and wait for the writer to complete it. */
    static AppendRequest appendAndWait(final Partition partition, final ByteBuffer batch)
    {
        final AppendRequest request = new AppendRequest().batch(batch);
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, 10_000, () -> "offer accepted");
        TestBatches.await(request::isDone, 10_000, () -> "append completed");
        return request;
    }

    static List<TestBatches.Batch> readAll(final Partition partition) throws IOException
    {
        final LogReader reader = partition.newReader();
        assertEquals(LogReader.OK, reader.read(partition.logStartOffset(), Integer.MAX_VALUE));
        final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
        reader.copyTo(bytes);
        return TestBatches.decode(bytes.array());
    }

    @Test
    void shouldPersistTopicWhenCreatedAndReopened() throws IOException
    {
        final LogConfig config = new LogConfig().segmentBytes(8192).retentionMs(1_234_567).retentionBytes(99_999)
            .flush("interval:250").indexIntervalBytes(512).maxMessageBytes(4096);
        try (LogManager manager = open())
        {
            final Topic topic = manager.createTopic("orders", 3, config);
            assertEquals(3, topic.partitionCount());
            assertTrue(manager.hasTopic("orders"));
            final AppendRequest request = appendAndWait(topic.partition(1), TestBatches.batch(5, NOW));
            assertEquals(AppendRequest.WRITTEN, request.status(), String.valueOf(request.failure()));
            assertEquals(0, request.baseOffset());
            assertEquals(4, request.lastOffset());
        }
        assertTrue(Files.exists(dataDir.resolve("orders").resolve(TopicMetadata.FILE_NAME)));

        try (LogManager manager = open())
        {
            assertEquals(List.of("orders"), manager.topics().stream().map(Topic::name).toList());
            final Topic topic = manager.topic("orders");
            assertEquals(3, topic.partitionCount());
            final LogConfig reopened = topic.config();
            assertEquals(8192, reopened.segmentBytes());
            assertEquals(1_234_567, reopened.retentionMs());
            assertEquals(99_999, reopened.retentionBytes());
            assertEquals(FlushPolicy.interval(250), reopened.flushPolicy());
            assertEquals(512, reopened.indexIntervalBytes());
            assertEquals(4096, reopened.maxMessageBytes());
            assertEquals(config.toProperties(), reopened.toProperties());

            assertEquals(5, topic.partition(1).logEndOffset());
            assertEquals(0, topic.partition(0).logEndOffset());
            assertEquals(List.of(), List.copyOf(findings), "a clean close leaves nothing to recover");
            final List<TestBatches.Batch> batches = readAll(topic.partition(1));
            assertEquals(1, batches.size());
            assertEquals("value-4", batches.get(0).records().get(4).value());
        }
    }

    @Test
    void shouldRejectTopicWhenNameAlreadyExists() throws IOException
    {
        try (LogManager manager = open())
        {
            manager.createTopic("t", 1, new LogConfig());
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("t", 2, new LogConfig()));
            assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
            assertEquals(1, manager.topic("t").partitionCount());
        }
        try (LogManager manager = open())
        {
            assertThrows(IllegalArgumentException.class, () -> manager.createTopic("t", 1, new LogConfig()),
                "still a duplicate after reopening");
        }
    }

    @Test
    void shouldRejectTopicWhenPartitionCountOrConfigIsInvalid() throws IOException
    {
        try (LogManager manager = open())
        {
            assertThrows(IllegalArgumentException.class, () -> manager.createTopic("zero", 0, new LogConfig()));
            final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> manager.createTopic("bad", 1, new LogConfig().segmentBytes(10)));
            assertTrue(bad.getMessage().contains(LogConfig.SEGMENT_BYTES_PROP), bad.getMessage());
            assertFalse(manager.hasTopic("zero"));
            assertFalse(manager.hasTopic("bad"));
        }
    }

    @Test
    void shouldGrowPartitionsAndPersistTheNewCount() throws IOException
    {
        try (LogManager manager = open())
        {
            manager.createTopic("t", 2, new LogConfig());
            final Topic grown = manager.growPartitions("t", 5);
            assertEquals(5, grown.partitionCount());
            assertSame(grown, manager.growPartitions("t", 5), "same count is a no-op");
            final AppendRequest request = appendAndWait(grown.partition(4), TestBatches.batch(2, NOW));
            assertEquals(AppendRequest.WRITTEN, request.status(), String.valueOf(request.failure()));
            assertEquals(4, grown.partition(4).id());
        }
        try (LogManager manager = open())
        {
            final Topic topic = manager.topic("t");
            assertEquals(5, topic.partitionCount());
            assertEquals(2, topic.partition(4).logEndOffset());
            assertTrue(Files.isDirectory(Topic.partitionDir(topic.dir(), 4)));
        }
    }

    @Test
    void shouldRefuseToShrinkPartitions() throws IOException
    {
        try (LogManager manager = open())
        {
            manager.createTopic("t", 3, new LogConfig());
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.growPartitions("t", 2));
            assertTrue(ex.getMessage().contains("never shrink"), ex.getMessage());
            assertTrue(ex.getMessage().contains("3 partitions"), ex.getMessage());
            assertTrue(ex.getMessage().contains("asked for 2"), ex.getMessage());
            assertEquals(3, manager.topic("t").partitionCount());
        }
        try (LogManager manager = open())
        {
            assertEquals(3, manager.topic("t").partitionCount());
        }
    }

    @Test
    void shouldRefuseSecondManagerWhenDataDirectoryIsInUse() throws IOException
    {
        try (LogManager first = open())
        {
            first.createTopic("t", 1, new LogConfig());
            final IOException ex = assertThrows(IOException.class, this::open);
            assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
            assertThrows(IOException.class, this::open, "a failed attempt must not release the first one's lock");
            assertTrue(first.hasTopic("t"));
        }
        try (LogManager again = open())
        {
            assertTrue(again.hasTopic("t"), "lock released on close");
        }
    }

    @Test
    void shouldWriteNothingWhenATopicIsCreatedOrGrownAfterClose() throws IOException
    {
        final LogManager manager = open();
        manager.createTopic("t", 1, new LogConfig());
        final byte[] metadata = Files.readAllBytes(TopicMetadata.file(dataDir.resolve("t")));
        manager.close();

        // The directory is no longer this manager's: another process may hold its lock by now.
        final IllegalStateException create = assertThrows(IllegalStateException.class,
            () -> manager.createTopic("late", 1, new LogConfig()));
        assertTrue(create.getMessage().contains("closed"), create.getMessage());
        assertFalse(Files.exists(dataDir.resolve("late")), "nothing written");
        assertThrows(IllegalStateException.class, () -> manager.growPartitions("t", 2));
        assertArrayEquals(metadata, Files.readAllBytes(TopicMetadata.file(dataDir.resolve("t"))));
        final IllegalStateException lookup = assertThrows(IllegalStateException.class, () -> manager.topic("t"));
        assertTrue(lookup.getMessage().contains("closed"), lookup.getMessage());
    }

    @Test
    void shouldRefuseToCloseFromAWriterThreadAndKeepTheDirectoryLockedAndWorking() throws IOException
    {
        try (LogManager manager = open())
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            final AtomicReference<Throwable> closeOnWriter = new AtomicReference<>();
            final AppendRequest request = new AppendRequest().batch(TestBatches.batch(1, NOW)).listener(done ->
            {
                try
                {
                    manager.close();
                }
                catch (final Throwable ex)
                {
                    closeOnWriter.set(ex);
                }
            });
            TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, 10_000, () -> "offer accepted");
            TestBatches.await(request::isDone, 10_000, () -> "append completed");

            assertInstanceOf(IllegalStateException.class, closeOnWriter.get());
            assertTrue(closeOnWriter.get().getMessage().contains("writer thread"), closeOnWriter.get().getMessage());
            final IOException second = assertThrows(IOException.class, this::open);
            assertTrue(second.getMessage().contains("in use"), "the directory stays locked: " + second.getMessage());
            assertEquals(AppendRequest.WRITTEN,
                appendAndWait(manager.topic("t").partition(0), TestBatches.batch(1, NOW)).status(),
                "and the manager works on");
        }
    }

    @Test
    void shouldKeepDirectoryLockedForOtherProcessesWhenSecondOpenFails() throws Exception
    {
        try (LogManager first = open())
        {
            assertEquals("locked", lockStateSeenByAnotherProcess());
            assertThrows(IOException.class, this::open);
            assertEquals("locked", lockStateSeenByAnotherProcess(),
                "the failed second open closed a channel on .lock and so dropped the first manager's OS lock");
        }
    }

    /** Ask another JVM whether it could lock {@code dataDir/.lock}. */
    private String lockStateSeenByAnotherProcess() throws Exception
    {
        final Path source = dataDir.resolveSibling(dataDir.getFileName() + "-LockProbe.java");
        Files.writeString(source, """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class LockProbe {
                public static void main(String[] args) throws Exception {
                    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                        var lock = ch.tryLock();
                        System.out.print(lock == null ? "locked" : "free");
                    }
                }
            }
            """);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(), source.toString(),
            dataDir.resolve(".lock").toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe finished");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void shouldListExistingTopicsWhenTopicIsUnknown() throws IOException
    {
        try (LogManager manager = open())
        {
            final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> manager.topic("missing"));
            assertTrue(none.getMessage().contains("missing"), none.getMessage());
            assertTrue(none.getMessage().contains("it has none"), none.getMessage());

            manager.createTopic("alpha", 1, new LogConfig());
            manager.createTopic("beta", 1, new LogConfig());
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.topic("gamma"));
            assertTrue(ex.getMessage().contains("gamma"), ex.getMessage());
            assertTrue(ex.getMessage().contains("alpha, beta"), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> manager.growPartitions("gamma", 3));
        }
    }

    @Test
    void shouldNameValidRangeWhenPartitionIsUnknown() throws IOException
    {
        try (LogManager manager = open())
        {
            final Topic topic = manager.createTopic("t", 2, new LogConfig());
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> topic.partition(2));
            assertTrue(ex.getMessage().contains("0 to 1"), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> topic.partition(-1));
        }
    }
}
