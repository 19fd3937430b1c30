package io.loglab.latency;

import io.loglab.latency.config.SuiteConfig;
import io.loglab.latency.report.Json;
import io.loglab.latency.report.ReportWriter;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SuiteRunnerTest
{
    @Test
    void shouldRunATinySuiteAndWriteAReportWithItsChartsAndFiles(@TempDir final Path dir) throws Exception
    {
        final SuiteConfig suite = SuiteConfig.parse("tiny", new StringReader("""
            suite=tiny
            defaults.warmup-seconds=0
            defaults.duration-seconds=2
            run.open.rate=2000
            run.open.partitions=2
            run.open.consumers=1
            """));
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final SuiteResult result = new SuiteRunner(
            new PrintStream(progress, true, StandardCharsets.UTF_8),
            ignored -> new Baselines(1e9, 1e9, 1 << 20, "fixed for the test"))
            .run(suite, dir, 1e6, List.of());
        ReportWriter.write(result, dir);

        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[1/1] open:"), progress.toString());
        final RunResult run = result.runs().get(0);
        assertEquals(RunResult.PASS, run.status(), run.problems().toString());
        assertTrue(run.latency().get(RunResult.ACK_WRITTEN).count() > 3000);
        assertTrue(run.latency().get(RunResult.END_TO_END).count() > 3000);

        for (final String file : List.of("report.html", "summary.md", "summary.json", "environment.txt",
            "open.ack-written.hlog", "open.ack-written.hgrm", "open.end-to-end.hlog"))
        {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        final Document html = Jsoup.parse(dir.resolve("report.html").toFile(), "UTF-8");
        final String data = html.getElementById("data").data();
        assertTrue(data.contains("\"ack-written\""), "the run's latencies are embedded");
        assertTrue(html.select("script:not([type])").html().contains("new uPlot("), "charts are drawn");
        assertEquals(result.runs().get(0).records(), Json.read(dir.resolve("summary.json")).runs().get(0).records());
        assertTrue(Files.readString(dir.resolve("environment.txt")).contains("cores="));
    }
}
