package io.loglab.latency.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a suite by name among the built-in ones, or as a properties file.
 */
public final class Suites
{
    /** Built-in suites, in the order {@code --help} lists them. */
    public static final List<String> BUILT_IN = List.of("quick", "engine", "latency", "lag", "shards");

    private Suites()
    {
    }

    /**
     * @param nameOrFile a built-in suite's name or the path of a suite file.
     * @throws IllegalArgumentException naming the suites there are when neither exists.
     */
    public static SuiteConfig load(final String nameOrFile) throws IOException
    {
        final Path file = Path.of(nameOrFile);
        if (Files.isRegularFile(file))
        {
            return SuiteConfig.load(file);
        }
        try (InputStream in = Suites.class.getResourceAsStream("/io/loglab/latency/suites/" + nameOrFile + ".properties"))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no suite '" + nameOrFile + "': built-in suites are " +
                    String.join(", ", BUILT_IN) + ", or give a suite file");
            }
            return SuiteConfig.parse(nameOrFile, new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }
}
