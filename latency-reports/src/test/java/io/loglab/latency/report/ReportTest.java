package io.loglab.latency.report;

import io.loglab.latency.config.RunConfig;
import io.loglab.latency.formula.FormulaChecks;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.PercentilePoint;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;
import io.loglab.latency.result.TimePoint;
import org.HdrHistogram.Histogram;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ReportTest
{
    @TempDir
    Path dir;

    static SuiteResult tinySuite()
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 1; i <= 1000; i++)
        {
            histogram.recordValue(i * 1000L);
        }
        final List<PercentilePoint> curve = new ArrayList<>();
        for (final double p : new double[]{ 0, 50, 90, 99, 99.9, 100 })
        {
            curve.add(new PercentilePoint(p, histogram.getValueAtPercentile(p) / 1000.0));
        }
        final RunConfig closed = RunConfig.DEFAULTS.with(Map.of("name", "max", "rate", "0", "consumers", "0"));
        final RunConfig lagged = RunConfig.DEFAULTS.with(Map.of("name", "lag", "rate", "1000", "consumer-rate", "500",
            "retention-bytes", "100000", "segment-bytes", "10000", "warmup-seconds", "0"));
        final Baselines baselines = new Baselines(500e6, 1.5e9, 1 << 20, "test");
        final List<TimePoint> lag = new ArrayList<>();
        final List<TimePoint> throughput = new ArrayList<>();
        for (int t = 0; t < 10; t++)
        {
            lag.add(new TimePoint(t, 500.0 * t));
            throughput.add(new TimePoint(t, 1000));
        }
        final RunResult max = new RunResult(closed, RunResult.PASS, List.of(), 0, 2e6, 20_000_000, 2_000_000_000,
            10, 2, 190, Map.of(RunResult.ACK_WRITTEN, LatencySummary.of(histogram)), Map.of(RunResult.ACK_WRITTEN, curve),
            throughput, Map.of(), -1, 0.5, baselines, 0.45, List.of(), Map.of());
        final RunResult lagRun = new RunResult(lagged, RunResult.FAIL, List.of("achieved 900 of 1000 records/s"), 1000,
            900, 9000, 900_000, 10, 0, 0.09, Map.of(RunResult.ACK_WRITTEN, LatencySummary.of(histogram),
            RunResult.END_TO_END, LatencySummary.of(histogram)),
            Map.of(RunResult.ACK_WRITTEN, curve, RunResult.END_TO_END, curve), throughput, Map.of("0", lag), 8.5, 12,
            baselines, 0.001, List.of(), Map.of("ack-written.hlog", "lag.ack-written.hlog"));
        final List<RunResult> runs = new ArrayList<>();
        for (final RunResult run : List.of(max, lagRun))
        {
            runs.add(run.withFormulas(FormulaChecks.forRun(run, 1e6)));
        }
        return new SuiteResult(SuiteResult.SCHEMA_VERSION, "tiny", EnvironmentProbe.probe(Map.of("out", "test")),
            runs, List.of(Map.of("benchmark", "X.y", "mode", "thrpt", "score", 1.5, "unit", "ops/s")),
            List.of("a note </script> that must not end the script", "nor <!--<script confuse it /*DATA*/"));
    }

    @Test
    void shouldWriteOneOfflineHtmlFileWithChartLibraryAndData() throws Exception
    {
        final SuiteResult suite = tinySuite();
        final Path html = dir.resolve("report.html");
        HtmlReport.write("tiny suite", List.of(new HtmlReport.Source("run-a", suite)), html);

        final String text = Files.readString(html, StandardCharsets.UTF_8);
        final Document document = Jsoup.parse(text);
        assertEquals("tiny suite", document.title());
        assertTrue(document.select("script[src], link[href]").isEmpty(), "no external resources: the file is offline");
        final Element data = document.getElementById("data");
        assertNotNull(data, "embedded results");
        final String json = data.data();
        assertFalse(json.contains("<"), "no '<' left in the embedded data");
        final SuiteResult embedded = Json.toSuiteResult(Json.fromJson(json).get("sources").get(0).get("suite"));
        assertEquals(suite.runs().size(), embedded.runs().size());
        assertEquals("a note </script> that must not end the script", embedded.notes().get(0));
        final String scripts = String.join("\n", document.select("script:not([type])").eachAttr("data-none")) +
            document.select("script:not([type])").stream().map(Element::data).reduce("", String::concat);
        assertTrue(scripts.contains("uPlot"), "uPlot inlined");
        assertTrue(scripts.contains("new uPlot("), "charts drawn");
        assertTrue(scripts.contains("latency by percentile"), "percentile distribution chart");
        assertTrue(scripts.contains("acknowledged records/s"), "throughput over time chart");
        assertTrue(scripts.contains("lag (records) per partition"), "lag over time chart");
        assertTrue(text.contains("uPlot.min.css") || text.contains(".uplot"), "uPlot styles inlined");
    }

    @Test
    void shouldRoundTripSummaryJsonAndWriteMarkdownTables() throws Exception
    {
        final SuiteResult suite = tinySuite();
        final Path json = dir.resolve("summary.json");
        Json.write(suite, json);
        final SuiteResult read = Json.read(json);
        assertEquals(suite.runs().get(1).config(), read.runs().get(1).config());
        assertEquals(suite.runs().get(1).latency(), read.runs().get(1).latency());
        assertEquals(suite.runs().get(1).formulas().size(), read.runs().get(1).formulas().size());

        final String md = MarkdownReport.render(suite);
        assertTrue(md.contains("| max | PASS | max | 2,000,000 |"), md);
        assertTrue(md.contains("| lag | FAIL | 1,000 | 900 |"), md);
        assertTrue(md.contains("throughput") || md.contains("min(B*D/(R*s), B*N/s)"), md);
        assertTrue(md.contains("Lag(p) * s >= retention.bytes"), md);
        assertTrue(md.contains("achieved 900 of 1000 records/s"), md);
    }
}
