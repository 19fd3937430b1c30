package io.loglab.latency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchMainTest
{
    @Test
    void shouldExitWithTwoAndRunNothingWhenRepeatIsBelowOne(@TempDir final Path out) throws Exception
    {
        assertEquals(2, BenchMain.run("run", "quick", "--repeat", "0", "--out", out.toString()));

        try (Stream<Path> left = Files.list(out))
        {
            assertEquals(0, left.count(), "no report directory was made");
        }
    }
}
