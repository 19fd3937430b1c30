package io.loglab.latency.report;

import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.ConfigurationResult;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several runs' reports in one: the same configurations side by side with ratios to the first, and overlaid
 * percentile curves. Configurations are matched by their config hash, not their name: a run renamed between two
 * suites still lines up, and two runs of one name whose settings differ are not put side by side, with a warning
 * that names the settings that changed.
 */
public final class ComparisonReport
{
    /**
     * The report written and what a reader must be warned of.
     */
    public record Written(Path html, List<String> warnings)
    {
    }

    private ComparisonReport()
    {
    }

    /**
     * @param runDirs report directories, each holding a summary.json; the first is the reference for ratios.
     * @throws IllegalArgumentException naming a directory without a summary.json, or of another schema version.
     */
    public static Written write(final List<Path> runDirs, final Path outDir) throws IOException
    {
        if (runDirs.size() < 2)
        {
            throw new IllegalArgumentException("compare needs at least two report directories, got " + runDirs.size());
        }
        final List<HtmlReport.Source> sources = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        for (final Path dir : runDirs)
        {
            final Path summary = dir.resolve("summary.json");
            if (!Files.isRegularFile(summary))
            {
                throw new IllegalArgumentException("no summary.json in " + dir + " (is it a report directory?)");
            }
            final SuiteResult suite = Json.read(summary);
            final String label = dir.toAbsolutePath().normalize().getFileName().toString();
            sources.add(new HtmlReport.Source(label, suite));
            labels.add(label);
        }
        final List<String> warnings = warnings(sources);
        Files.createDirectories(outDir);
        final Path html = outDir.resolve("report.html");
        HtmlReport.write("loglab comparison: " + String.join(" vs ", labels), sources, warnings, html);
        return new Written(html, warnings);
    }

    /**
     * One warning per configuration name that stands for other settings in a later source than in the first that
     * has it, naming the settings that differ.
     */
    static List<String> warnings(final List<HtmlReport.Source> sources)
    {
        final Map<String, Map<String, Seen>> byName = new LinkedHashMap<>();
        for (final HtmlReport.Source source : sources)
        {
            for (final ConfigurationResult configuration : source.suite().configurations())
            {
                byName.computeIfAbsent(configuration.name(), name -> new LinkedHashMap<>())
                    .putIfAbsent(configuration.configHash(), new Seen(source.label(), configuration.config()));
            }
        }
        final List<String> warnings = new ArrayList<>();
        byName.forEach((name, hashes) ->
        {
            final List<Map.Entry<String, Seen>> seen = new ArrayList<>(hashes.entrySet());
            for (int i = 1; i < seen.size(); i++)
            {
                final Seen first = seen.get(0).getValue();
                final Seen other = seen.get(i).getValue();
                warnings.add(String.format("'%s' has other settings in %s (sha=%s) than in %s (sha=%s): %s; " +
                    "compared by hash, so they are not put side by side", name, other.label, seen.get(i).getKey(),
                    first.label, seen.get(0).getKey(), differences(first.config, other.config)));
            }
        });
        return warnings;
    }

    private static String differences(final RunConfig first, final RunConfig other)
    {
        final List<String> changed = new ArrayList<>();
        final Map<String, String> a = first.toMap();
        final Map<String, String> b = other.toMap();
        for (final Map.Entry<String, String> setting : a.entrySet())
        {
            if (!Objects.equals(setting.getValue(), b.get(setting.getKey())))
            {
                changed.add(setting.getKey() + "=" + setting.getValue() + " vs " + b.get(setting.getKey()));
            }
        }
        return String.join(", ", changed);
    }

    private record Seen(String label, RunConfig config)
    {
    }
}
