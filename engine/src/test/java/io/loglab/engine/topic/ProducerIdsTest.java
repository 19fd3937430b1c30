package io.loglab.engine.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ProducerIdsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNeverHandOutAnIdTwiceAcrossRestartsAndLeaveADamagedFileAlone() throws Exception
    {
        final Set<Long> seen = new HashSet<>();
        for (int restart = 0; restart < 3; restart++)
        {
            try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
            {
                for (int i = 0; i < 1_500; i++)
                {
                    assertTrue(seen.add(logs.allocateProducerId()), "handed out once");
                }
            }
        }
        try (ReadOnlyDataDir view = ReadOnlyDataDir.open(dir))
        {
            assertEquals(java.util.List.of(), view.foreignEntries(), "the ids file is the engine's own");
        }
        Files.writeString(dir.resolve(ProducerIds.FILE_NAME), "garbage");
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final IOException refused = assertThrows(IOException.class, logs::allocateProducerId);
            assertTrue(refused.getMessage().contains(ProducerIds.FILE_NAME), refused.getMessage());
        }
        assertEquals("garbage", Files.readString(dir.resolve(ProducerIds.FILE_NAME)), "left as it is");
    }
}
