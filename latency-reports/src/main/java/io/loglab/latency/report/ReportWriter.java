package io.loglab.latency.report;

import io.loglab.latency.result.Environment;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a suite's report directory: report.html, summary.md, summary.json and environment.txt, beside the
 * .hlog and .hgrm files the harness left there.
 */
public final class ReportWriter
{
    private ReportWriter()
    {
    }

    public static void write(final SuiteResult result, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        Json.write(result, dir.resolve("summary.json"));
        MarkdownReport.write(result, dir.resolve("summary.md"));
        HtmlReport.write("loglab suite " + result.suite() + " — " + result.environment().date(),
            List.of(new HtmlReport.Source(dir.getFileName().toString(), result)), List.of(),
            dir.resolve("report.html"));
        Files.writeString(dir.resolve("environment.txt"), environment(result.environment()), StandardCharsets.UTF_8);
    }

    private static String environment(final Environment env)
    {
        final StringBuilder text = new StringBuilder();
        text.append("date=").append(env.date()).append('\n')
            .append("cpu=").append(env.cpuModel()).append('\n')
            .append("cores=").append(env.cores()).append('\n')
            .append("memory.bytes=").append(env.memoryBytes()).append('\n')
            .append("os=").append(env.os()).append('\n')
            .append("jvm=").append(env.jvm()).append('\n')
            .append("jvm.flags=").append(env.jvmFlags()).append('\n')
            .append("git.commit=").append(env.gitCommit()).append('\n');
        for (final Map.Entry<String, String> setting : env.settings().entrySet())
        {
            text.append(setting.getKey()).append('=').append(setting.getValue()).append('\n');
        }
        return text.toString();
    }
}
