package io.loglab.latency.report;

import io.loglab.latency.config.RunConfig;
import io.loglab.latency.formula.FormulaChecks;
import io.loglab.latency.result.ConfigurationResult;
import io.loglab.latency.result.Latencies;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;
import io.loglab.latency.result.TestResults;
import io.loglab.latency.result.TimePoint;
import io.loglab.latency.result.TimeSeries;
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
    static final RunConfig CLOSED = RunConfig.DEFAULTS.with(Map.of("name", "max", "rate", "0", "consumers", "0"));
    static final RunConfig LAGGED = RunConfig.DEFAULTS.with(Map.of("name", "lag", "rate", "1000",
        "consumer-rate", "500", "retention-bytes", "100000", "segment-bytes", "10000", "warmup-seconds", "0"));

    @TempDir
    Path dir;

    /**
     * Two configurations: "max" closed-loop, run twice (2.0M and 2.2M records/s, each with its own D), and "lag"
     * at a fixed rate, run once, failed, with consumer lag and the platform's hiccups.
     */
    static SuiteResult tinySuite(final RunConfig closed, final RunConfig lagged)
    {
        final List<TimePoint> lag = new ArrayList<>();
        for (int t = 0; t < 10; t++)
        {
            lag.add(new TimePoint(t, 500.0 * t));
        }
        final List<RunResult> max = new ArrayList<>();
        max.add(TestResults.run(closed, 1, RunResult.PASS, List.of(), 2e6, 500e6,
            Map.of(Latencies.ACK_WRITTEN, TestResults.latency(100)), TestResults.flat(2e6, 10)));
        max.add(TestResults.run(closed, 2, RunResult.PASS, List.of(), 2.2e6, 550e6,
            Map.of(Latencies.ACK_WRITTEN, TestResults.latency(200)), TestResults.flat(2.2e6, 10)));
        final RunResult lagRun = TestResults.run(lagged, 1, RunResult.FAIL, List.of("achieved 900 of 1000 records/s"),
            900, Double.NaN, Map.of(Latencies.ACK_WRITTEN, TestResults.latency(50),
                Latencies.END_TO_END, TestResults.latency(60), Latencies.HICCUP, TestResults.latency(7)),
            new TimeSeries(TestResults.flat(900, 10).throughput(), Map.of("0", lag), 8.5));
        final List<ConfigurationResult> configurations = new ArrayList<>();
        for (final List<RunResult> runs : List.of(max, List.of(lagRun)))
        {
            configurations.add(ConfigurationResult.of(
                runs.stream().map(run -> run.withFormulas(FormulaChecks.forRun(run, 1e6))).toList()));
        }
        return new SuiteResult(SuiteResult.SCHEMA_VERSION, "tiny", 2, EnvironmentProbe.probe(Map.of("out", "test")),
            configurations, List.of(Map.of("benchmark", "X.y", "mode", "thrpt", "score", 1.5, "unit", "ops/s")),
            List.of("a note </script> that must not end the script", "nor <!--<script confuse it /*DATA*/"));
    }

    static SuiteResult tinySuite()
    {
        return tinySuite(CLOSED, LAGGED);
    }

    @Test
    void shouldWriteOneOfflineHtmlFileWithChartLibraryAndData() throws Exception
    {
        final SuiteResult suite = tinySuite();
        final Path html = dir.resolve("report.html");
        HtmlReport.write("tiny suite", List.of(new HtmlReport.Source("run-a", suite)), List.of("look </script>"), html);

        final String text = Files.readString(html, StandardCharsets.UTF_8);
        final Document document = Jsoup.parse(text);
        assertEquals("tiny suite", document.title());
        assertTrue(document.select("script[src], link[href]").isEmpty(), "no external resources: the file is offline");
        final Element data = document.getElementById("data");
        assertNotNull(data, "embedded results");
        final String json = data.data();
        assertFalse(json.contains("<"), "no '<' left in the embedded data");
        final SuiteResult embedded = Json.toSuiteResult(Json.fromJson(json).get("sources").get(0).get("suite"));
        assertEquals(suite, embedded, "the report embeds the whole result");
        assertEquals("look </script>", Json.fromJson(json).get("warnings").get(0).asText());
        final String scripts = document.select("script:not([type])").stream().map(Element::data)
            .reduce("", String::concat);
        assertTrue(scripts.contains("uPlot"), "uPlot inlined");
        assertTrue(scripts.contains("new uPlot("), "charts drawn");
        assertTrue(scripts.contains("latency by percentile"), "percentile distribution chart");
        assertTrue(scripts.contains("' platform hiccup'"), "hiccup line on the percentile charts");
        assertTrue(scripts.contains("'hiccup p99 µs'"), "hiccup column in the runs table");
        assertTrue(scripts.contains("acknowledged records/s"), "throughput over time chart");
        assertTrue(scripts.contains("lag (records) per partition"), "lag over time chart");
        assertTrue(scripts.contains("Baselines used, per run"), "each run's baseline shown");
        assertTrue(text.contains("uPlot.min.css") || text.contains(".uplot"), "uPlot styles inlined");
    }

    @Test
    void shouldReadBackEveryFieldWhenSummaryJsonIsWritten() throws Exception
    {
        final SuiteResult suite = tinySuite();
        final Path json = dir.resolve("summary.json");
        Json.write(suite, json);

        assertEquals(suite, Json.read(json));
        final String text = Files.readString(json);
        assertTrue(text.contains("\"record-size\" : \"100\""), "configurations are written as their settings");
        assertTrue(text.contains("\"configHash\" : \"" + CLOSED.hash() + "\""), text);
        assertTrue(text.contains("\"repetitions\""));
        assertTrue(text.contains("\"headline\""));
        assertTrue(text.contains("\"hiccup\""));
    }

    @Test
    void shouldRefuseASummaryOfAnotherSchemaVersionNamingIt() throws Exception
    {
        final Path json = dir.resolve("summary.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"suite\": \"old\", \"runs\": []}");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.read(json)).getMessage()
            .contains("schema version 1"));
    }

    @Test
    void shouldShowTheMedianWithItsRangeAndTheHiccupsBesideEachPercentileWhenWritingMarkdown()
    {
        final String md = MarkdownReport.render(tinySuite());

        assertTrue(md.contains("| max | " + CLOSED.hash() + " | PASS | max | 2,100,000 (2,000,000–2,200,000) |"), md);
        assertTrue(md.contains("| lag | " + LAGGED.hash() + " | FAIL | 1,000 | 900 |"), md);
        // D per run (500 and 550 MB/s), the ack p99 median of 300 and 600 µs, hiccup p99 of the lag run (21 µs).
        assertTrue(md.contains("| 525 (500–550) |"), md);
        assertTrue(md.contains("| 450 (300–600) |"), md);
        assertTrue(md.contains("| lag | *platform hiccup* | 1,000 | 7.00 | 14.0 | 21.0 | 28.0 | 35.0 | 70.0 |"), md);
        assertTrue(md.contains("| max #2 | PASS | 2,200,000 | 550 |"), "every repetition listed: " + md);
        assertTrue(md.contains("min(B*D/(R*s), B*N/s)"), md);
        assertTrue(md.contains("Lag(p) * s >= retention.bytes"), md);
        assertTrue(md.contains("achieved 900 of 1000 records/s"), md);
        assertTrue(md.contains("`max` (sha=" + CLOSED.hash() + ")"), md);
    }

    @Test
    void shouldWarnNamingTheChangedSettingWhenAComparedNameStandsForOtherSettings() throws Exception
    {
        final RunConfig fasterMax = CLOSED.with(Map.of("batch-bytes", "262144"));
        final RunConfig renamedLag = LAGGED.withName("lag-renamed");
        final Path a = dir.resolve("a");
        final Path b = dir.resolve("b");
        ReportWriter.write(tinySuite(), a);
        ReportWriter.write(tinySuite(fasterMax, renamedLag), b);

        final ComparisonReport.Written written = ComparisonReport.write(List.of(a, b), dir.resolve("compare"));

        assertEquals(1, written.warnings().size(), written.warnings().toString());
        final String warning = written.warnings().get(0);
        assertTrue(warning.contains("'max'") && warning.contains("batch-bytes=65536 vs 262144"), warning);
        assertTrue(warning.contains(CLOSED.hash()) && warning.contains(fasterMax.hash()), warning);
        final Document html = Jsoup.parse(written.html().toFile(), "UTF-8");
        assertTrue(html.getElementById("data").data().contains("batch-bytes=65536 vs 262144"));
        assertEquals(renamedLag.hash(), LAGGED.hash(), "a renamed run keeps its hash, so compare still matches it");
    }
}
