package io.loglab.engine.topic;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DeleteTopicTest
{
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path dir;

    private static void appendOne(final Partition partition)
    {
        final AppendRequest request = new AppendRequest().batch(TestBatches.batch(3, NOW));
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, 10_000, () -> "offer");
        TestBatches.await(request::isDone, 10_000, () -> "an answer");
        assertEquals(AppendRequest.WRITTEN, request.status());
    }

    @Test
    void shouldRemoveTheTopicAndItsFilesAndTakeTheNameAgainEmpty() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition old = logs.createTopic("t", 2, new LogConfig()).partition(1);
            appendOne(old);
            logs.createTopic("other", 1, new LogConfig());
            appendOne(logs.topic("other").partition(0));

            logs.deleteTopic("t");
            assertFalse(logs.hasTopic("t"));
            assertFalse(Files.exists(dir.resolve("t")), "its files are gone");
            assertEquals(Partition.CLOSED, old.offer(new AppendRequest().batch(TestBatches.batch(1, NOW))),
                "the old partition takes no more appends");
            assertThrows(IllegalArgumentException.class, () -> logs.deleteTopic("t"), "no such topic now");

            final Partition fresh = logs.createTopic("t", 1, new LogConfig()).partition(0);
            assertEquals(0, fresh.logEndOffset(), "the name is taken again, empty");
            assertEquals(3, logs.topic("other").partition(0).logEndOffset(), "other topics untouched");
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            assertEquals(1, logs.topic("t").partitionCount());
            assertEquals(3, logs.topic("other").partition(0).logEndOffset());
        }
    }

    @Test
    void shouldSetATopicAsideWholeAndNeverOpenOrDeleteItAgain() throws Exception
    {
        final Path aside;
        final byte[] stored;
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition old = logs.createTopic("t", 1, new LogConfig()).partition(0);
            appendOne(old);
            stored = TestBatches.stored(old);
            final String id = logs.topic("t").topicId().toString();

            aside = logs.quarantineTopic("t");
            assertEquals(dir.resolve("t~quarantined-" + id), aside);
            assertFalse(logs.hasTopic("t"));
            assertEquals(Partition.CLOSED, old.offer(new AppendRequest().batch(TestBatches.batch(1, NOW))));
            assertEquals(0, logs.createTopic("t", 1, new LogConfig()).partition(0).logEndOffset(),
                "the name is free for a new topic");
            assertThrows(IllegalArgumentException.class, () -> logs.quarantineTopic("none"));
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            assertEquals(List.of("t"), logs.topics().stream().map(Topic::name).toList(), "only the new topic");
            assertEquals(Map.of(), logs.topicErrors(), "the quarantined one is not taken for a damaged topic");
        }
        try (ReadOnlyDataDir view = ReadOnlyDataDir.open(dir))
        {
            assertTrue(view.foreignEntries().contains(aside), "listed with the entries left alone");
        }
        try (var files = Files.list(aside.resolve("partition-0")))
        {
            final Path segment = files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
            assertArrayEquals(stored, Files.readAllBytes(segment), "every byte kept, after two opens");
        }
    }

    @Test
    void shouldFinishADeletionACrashInterruptedAndLeaveReadOnlyViewsQuiet() throws Exception
    {
        final Path interrupted = dir.resolve("gone" + TopicDirectories.DELETED_MARK + "12345");
        Files.createDirectories(interrupted.resolve("partition-0"));
        Files.writeString(interrupted.resolve("partition-0").resolve("00000000000000000000.log"), "x");
        try (ReadOnlyDataDir view = ReadOnlyDataDir.open(dir))
        {
            assertEquals(java.util.List.of(), view.foreignEntries(), "the engine's own, not a stranger's");
            assertTrue(Files.exists(interrupted), "a read-only view deletes nothing");
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            assertFalse(Files.exists(interrupted), "a writer's open finishes the deletion");
            assertFalse(logs.hasTopic("gone"));
        }
    }
}
