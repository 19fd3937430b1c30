package io.loglab.engine.stat;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The counters file: what its owner writes another mapping reads, labels and values, with the owner's pid and
 * whether it still runs; a stopped owner leaves its last values; the next owner starts a new file; the engine counts
 * each open partition's log end offset there.
 */
class CountersFileTest
{
    @TempDir
    Path dir;

    private static Map<String, Long> values(final CountersFile.Snapshot snapshot)
    {
        final Map<String, Long> values = new HashMap<>();
        snapshot.counters().forEach((id, label) -> values.put(label, snapshot.counters().getCounterValue(id)));
        return values;
    }

    @Test
    void shouldShowAnotherMappingWhatTheOwnerCountsAndThatItStopped() throws Exception
    {
        try (CountersFile counters = CountersFile.create(dir, 16))
        {
            final AtomicCounter requests = counters.manager().newCounter("requests", CountersFile.BROKER_TYPE_ID);
            requests.setOrdered(42);
            CountersFile.read(dir, snapshot ->
            {
                assertTrue(snapshot.running());
                assertEquals(ProcessHandle.current().pid(), snapshot.pid());
                assertEquals(Map.of("requests", 42L), values(snapshot));
                return null;
            });
        }
        assertEquals(Map.of("requests", 42L), CountersFile.read(dir, snapshot ->
        {
            assertFalse(snapshot.running(), "closed");
            return values(snapshot);
        }), "the last values stay");
        try (CountersFile next = CountersFile.create(dir, 16))
        {
            assertEquals(Map.of(), CountersFile.read(dir, CountersFileTest::values), "a new owner starts afresh");
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotOneAndSayWhenThereIsNone() throws Exception
    {
        assertThrows(NoSuchFileException.class, () -> CountersFile.read(dir, snapshot -> null));
        Files.write(dir.resolve(CountersFile.FILE_NAME), new byte[4096]);
        final IOException ex = assertThrows(IOException.class, () -> CountersFile.read(dir, snapshot -> null));
        assertTrue(ex.getMessage().contains("is not a loglab counters file"), ex.getMessage());
    }

    @Test
    void shouldCountEachOpenPartitionsLogEndOffset() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            logs.createTopic("t", 2, new LogConfig());
            final io.loglab.engine.partition.Partition partition = logs.topic("t").partition(1);
            for (int i = 0; i < 3; i++)
            {
                final ByteBuffer batch = io.loglab.engine.TestBatches.batch(5, 1_000);
                final io.loglab.engine.partition.AppendRequest request =
                    new io.loglab.engine.partition.AppendRequest().batch(batch);
                assertEquals(io.loglab.engine.partition.Partition.OFFERED, partition.offer(request));
                io.loglab.engine.TestBatches.await(request::isDone, 10_000, () -> "the append");
            }
            assertEquals(15, partition.logEndOffset());
            final Map<String, Long> values = CountersFile.read(dir, CountersFileTest::values);
            assertEquals(15L, values.get("log end offset: t-1"), values.toString());
            assertFalse(values.containsKey("log end offset: t-0"), "a partition never opened has none");
        }
    }
}
