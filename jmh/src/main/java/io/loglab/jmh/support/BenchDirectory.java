package io.loglab.jmh.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory per trial under {@code -Dloglab.bench.dir} (default {@code java.io.tmpdir}), so a run can be
 * pointed at the device being measured, and deleted with everything in it when the trial ends.
 */
public final class BenchDirectory
{
    public static final String BASE_DIR_PROP = "loglab.bench.dir";

    private BenchDirectory()
    {
    }

    public static Path create(final String prefix) throws IOException
    {
        final Path base = Path.of(System.getProperty(BASE_DIR_PROP, System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    public static void delete(final Path dir) throws IOException
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }
}
