package io.loglab.engine.log;

import io.loglab.engine.ChildJvm;
import io.loglab.engine.TestBatches;
import io.loglab.engine.TestBatches.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.loglab.engine.log.PartitionLogTest.readAll;
import static io.loglab.engine.log.PartitionLogTest.records;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A process appending and compacting one log is killed with SIGKILL, wherever it is (appending, writing a compacted
 * copy, swapping it in), several times over the same directory. Each time the next writer opens the log without a
 * repair, every record it serves is the one written at that offset, and the latest record of every key written
 * durably is there: compaction removed only records a later one of the same key replaced.
 */
@Timeout(180)
class CompactionSigkillTest
{
    @TempDir
    Path dir;

    @Test
    void shouldOpenEveryTimeWithTheLatestRecordOfEachKeyAfterAKillAnywhere() throws Exception
    {
        final Path logDir = dir.resolve("log");
        long durable = 0;
        for (int kill = 0; kill < 8; kill++)
        {
            final Path stdout = dir.resolve("durable-" + kill + ".txt");
            final Process child = ChildJvm.start(CompactingChild.class, stdout, logDir.toString());
            final long target = durable + 1_500 + 370L * (kill % 5);
            try
            {
                // Past a few compaction passes, then a kill at whatever the child is doing.
                TestBatches.await(() -> lastLine(stdout) > target, 60_000,
                    () -> "the child appended and compacted");
            }
            finally
            {
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
            }
            assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL");
            durable = lastLine(stdout);
            check(logDir, durable);
        }
    }

    private static void check(final Path logDir, final long durable) throws IOException
    {
        try (PartitionLog log = PartitionLog.open(logDir, CompactingChild.config(), Runnable::run,
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END))
        {
            assertTrue(log.logEndOffset() >= durable, "the log end " + log.logEndOffset() + " is at least " + durable);
            final List<Rec> served = records(TestBatches.decodeCompacted(readAll(log, log.logStartOffset(), 4096)));
            final Map<String, Long> latestServed = new HashMap<>();
            long previous = -1;
            for (final Rec rec : served)
            {
                assertTrue(rec.offset() > previous, "offsets ascend at " + rec.offset());
                previous = rec.offset();
                assertEquals(CompactingChild.key(rec.offset()), rec.key(), "key at " + rec.offset());
                assertEquals(CompactingChild.value(rec.offset()), rec.value(), "value at " + rec.offset());
                latestServed.put(rec.key(), rec.offset());
            }
            for (long offset = Math.max(0, durable - CompactingChild.KEYS); offset < durable; offset++)
            {
                final String key = CompactingChild.key(offset);
                assertTrue(latestServed.getOrDefault(key, -1L) >= offset,
                    "the latest durable record of " + key + " (offset " + offset + ") is kept");
            }
            assertTrue(served.size() < log.logEndOffset() / 2, served.size() + " records kept of " +
                log.logEndOffset() + ": compaction ran");
        }
    }

    private static long lastLine(final Path file)
    {
        try
        {
            if (!Files.exists(file))
            {
                return 0;
            }
            final List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--)
            {
                if (!lines.get(i).isBlank())
                {
                    try
                    {
                        return Long.parseLong(lines.get(i).trim());
                    }
                    catch (final NumberFormatException partialLine)
                    {
                        // The child was writing it.
                    }
                }
            }
            return 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
