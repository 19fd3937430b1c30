package io.loglab.latency.report;

import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several runs' reports in one: the same configurations side by side with ratios to the first, and overlaid
 * percentile curves.
 */
public final class ComparisonReport
{
    private ComparisonReport()
    {
    }

    /**
     * @param runDirs report directories, each holding a summary.json; the first is the reference for ratios.
     * @return the report.html written.
     * @throws IllegalArgumentException naming a directory without a summary.json.
     */
    public static Path write(final List<Path> runDirs, final Path outDir) throws IOException
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
            if (suite.schemaVersion() != SuiteResult.SCHEMA_VERSION)
            {
                throw new IllegalArgumentException(summary + " has schema version " + suite.schemaVersion() +
                    "; this build reads " + SuiteResult.SCHEMA_VERSION);
            }
            final String label = dir.toAbsolutePath().normalize().getFileName().toString();
            sources.add(new HtmlReport.Source(label, suite));
            labels.add(label);
        }
        Files.createDirectories(outDir);
        final Path html = outDir.resolve("report.html");
        HtmlReport.write("loglab comparison: " + String.join(" vs ", labels), sources, html);
        return html;
    }
}
