package io.loglab.engine.crash;

import io.loglab.engine.ChildJvm;
import io.loglab.engine.TestBatches;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Producer ids are never handed out twice, even by a process killed with SIGKILL while it hands them out: a child
 * JVM allocates ids (past several blocks) and is killed; the next owner of the data directory gives only new ones.
 */
@Timeout(120)
class ProducerIdsSigkillTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNeverHandOutAnIdAKilledProcessHad() throws Exception
    {
        final Path dataDir = dir.resolve("data");
        final Path stdout = dir.resolve("ids.txt");
        final Set<Long> handedOut = new HashSet<>();
        for (int kill = 0; kill < 2; kill++)
        {
            final Process child = ChildJvm.start(IdAllocatingChild.class, stdout, dataDir.toString());
            try
            {
                TestBatches.await(() -> lines(stdout) > 2_500, 60_000, () -> "the child handed out ids");
            }
            finally
            {
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
            }
            assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL");
            for (final String line : Files.readAllLines(stdout))
            {
                if (!line.isBlank())
                {
                    assertTrue(handedOut.add(Long.parseLong(line.trim())), "handed out once: " + line);
                }
            }
        }
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            for (int i = 0; i < 2_000; i++)
            {
                final long id = logs.allocateProducerId();
                assertFalse(handedOut.contains(id), "id " + id + " was a killed process's");
            }
        }
    }

    private static long lines(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
