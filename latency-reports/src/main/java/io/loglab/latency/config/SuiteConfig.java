package io.loglab.latency.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A named list of {@link RunConfig}s, read from a properties file:
 * <pre>
 *   suite=engine-sweep                 # the suite's name (default: the file name)
 *   repeat=3                           # run every configuration 3 times, interleaved (default 1)
 *   defaults.partitions=1              # applies to every run
 *   run.small.record-size=100          # a run named "small"
 *   run.large.record-size=1024
 *   sweep.batch-bytes=16384,65536      # every run above, once per value (names get "_batch-bytes=16384")
 *   sweep.flush=every,os
 * </pre>
 * With no {@code run.} keys, the defaults form one run named after the suite. A sweep over several keys is their
 * cartesian product. Runs and sweeps keep the order of the file.
 * <p>
 * With {@code repeat} N above 1 the suite runs every configuration N times, interleaved: all configurations once,
 * then all again (A B C A B C, not A A A B B B), so slow drift of the machine (page cache and writeback state, other
 * tenants, heat) falls on every configuration alike rather than on whichever ran last.
 */
public record SuiteConfig(String name, List<RunConfig> runs, List<String> notes, int repeat)
{
    public SuiteConfig
    {
        if (repeat < 1)
        {
            throw new IllegalArgumentException("repeat=" + repeat + ": must be at least 1");
        }
        if (runs.isEmpty())
        {
            throw new IllegalArgumentException("suite " + name + " has no runs");
        }
        final Set<String> names = new LinkedHashSet<>();
        for (final RunConfig run : runs)
        {
            if (!names.add(run.name()))
            {
                throw new IllegalArgumentException("suite " + name + " has two runs named " + run.name());
            }
        }
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
    }

    /**
     * This suite with every configuration run {@code times} times.
     *
     * @throws IllegalArgumentException if {@code times} is below 1.
     */
    public SuiteConfig withRepeat(final int times)
    {
        return new SuiteConfig(name, runs, notes, times);
    }

    public static SuiteConfig load(final Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String fileName = file.getFileName().toString();
            return parse(fileName.endsWith(".properties") ?
                fileName.substring(0, fileName.length() - ".properties".length()) : fileName, reader);
        }
    }

    /**
     * Read a suite in properties syntax, keeping the order of its keys.
     *
     * @throws IllegalArgumentException naming the key that is wrong.
     */
    public static SuiteConfig parse(final String defaultName, final Reader reader) throws IOException
    {
        final Map<String, String> ordered = new LinkedHashMap<>();
        final Properties properties = new Properties()
        {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(final Object key, final Object value)
            {
                ordered.put((String)key, (String)value);
                return super.put(key, value);
            }
        };
        properties.load(reader);
        return parse(defaultName, ordered);
    }

    private static SuiteConfig parse(final String defaultName, final Map<String, String> properties)
    {
        final String suiteName = properties.getOrDefault("suite", defaultName);
        final int repeat = parseRepeat(properties.getOrDefault("repeat", "1"));
        final Map<String, String> defaults = new LinkedHashMap<>();
        final Map<String, Map<String, String>> runs = new LinkedHashMap<>();
        final Map<String, List<String>> sweeps = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        for (final Map.Entry<String, String> property : properties.entrySet())
        {
            final String key = property.getKey();
            final String value = property.getValue();
            if (key.equals("suite") || key.equals("repeat"))
            {
                continue;
            }
            if (key.startsWith("note"))
            {
                notes.add(value);
            }
            else if (key.startsWith("defaults."))
            {
                defaults.put(key.substring("defaults.".length()), value);
            }
            else if (key.startsWith("run."))
            {
                final String rest = key.substring("run.".length());
                final int dot = rest.indexOf('.');
                if (dot <= 0)
                {
                    throw new IllegalArgumentException("'" + key + "': expected run.<name>.<setting>");
                }
                runs.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                    .put(rest.substring(dot + 1), value);
            }
            else if (key.startsWith("sweep."))
            {
                final List<String> values = new ArrayList<>();
                for (final String part : value.split(","))
                {
                    if (!part.isBlank())
                    {
                        values.add(part.trim());
                    }
                }
                if (values.isEmpty())
                {
                    throw new IllegalArgumentException("'" + key + "' lists no values");
                }
                sweeps.put(key.substring("sweep.".length()), values);
            }
            else
            {
                throw new IllegalArgumentException(
                    "'" + key + "': expected suite, repeat, note*, defaults.<setting>, run.<name>.<setting> or " +
                    "sweep.<setting>");
            }
        }

        final RunConfig base = RunConfig.DEFAULTS.with(defaults);
        List<RunConfig> configs = new ArrayList<>();
        if (runs.isEmpty())
        {
            configs.add(base.withName(suiteName));
        }
        for (final Map.Entry<String, Map<String, String>> run : runs.entrySet())
        {
            final Map<String, String> settings = new LinkedHashMap<>(run.getValue());
            settings.put("name", run.getKey());
            configs.add(base.with(settings));
        }
        for (final Map.Entry<String, List<String>> sweep : sweeps.entrySet())
        {
            final List<RunConfig> expanded = new ArrayList<>();
            for (final RunConfig config : configs)
            {
                for (final String value : sweep.getValue())
                {
                    final String name = config.name() + "_" + sweep.getKey() + "=" + value.replace(':', '-');
                    expanded.add(config.with(Map.of(sweep.getKey(), value, "name", name)));
                }
            }
            configs = expanded;
        }
        return new SuiteConfig(suiteName, configs, notes, repeat);
    }

    private static int parseRepeat(final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("repeat=" + value + ": not a whole number");
        }
    }
}
