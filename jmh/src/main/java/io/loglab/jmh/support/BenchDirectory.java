package io.loglab.jmh.support;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    public static void delete(final Path dir)
    {
        if (dir != null)
        {
            IoUtil.delete(dir.toFile(), false);
        }
    }
}
