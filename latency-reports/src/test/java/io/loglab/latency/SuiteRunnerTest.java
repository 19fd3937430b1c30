package io.loglab.latency;

import io.loglab.latency.baseline.DiskProbe;
import io.loglab.latency.baseline.WriteShape;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.config.SuiteConfig;
import io.loglab.latency.config.Suites;
import io.loglab.latency.report.Json;
import io.loglab.latency.report.ReportWriter;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.ConfigurationResult;
import io.loglab.latency.result.DiskRate;
import io.loglab.latency.result.Latencies;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class SuiteRunnerTest
{
    private static final Baselines FIXED_LOOPBACK = Baselines.loopbackOnly(1e9, "N fixed for the test");

    /**
     * A disk baseline that measures nothing and gives each closed-loop run its own figure: 1, 2, 3 GB/s, ...
     */
    private static final class CountingDiskProbe implements DiskProbe
    {
        int calls;

        @Override
        public DiskRate measure(final Path dir, final WriteShape shape)
        {
            calls++;
            return new DiskRate(calls * 1e9, 4096, "D fixed for the test, call " + calls);
        }
    }

    private static SuiteResult run(final SuiteConfig suite, final Path dir, final ByteArrayOutputStream progress,
        final DiskProbe probe) throws Exception
    {
        return new SuiteRunner(new PrintStream(progress, true, StandardCharsets.UTF_8), () -> FIXED_LOOPBACK, probe)
            .run(suite, dir, 1e6, List.of());
    }

    @Test
    @Timeout(120)
    void shouldRunEveryConfigurationTwiceInterleavedAndReportEachRepetitionWhenRepeatIsTwo(@TempDir final Path dir)
        throws Exception
    {
        final SuiteConfig suite = SuiteConfig.parse("tiny", new StringReader("""
            suite=tiny
            repeat=2
            defaults.warmup-seconds=0
            defaults.duration-seconds=1
            defaults.segment-bytes=1048576
            defaults.retention-bytes=4194304
            defaults.retention-check-ms=50
            run.open.rate=2000
            run.open.partitions=2
            run.open.consumers=1
            run.closed.rate=0
            run.closed.consumers=0
            """));
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final CountingDiskProbe probe = new CountingDiskProbe();

        final SuiteResult result = run(suite, dir, progress, probe);
        ReportWriter.write(result, dir);

        final String text = progress.toString(StandardCharsets.UTF_8);
        final Matcher started = Pattern.compile("\\[(\\d)/4] (\\w+) \\(repetition (\\d)/2\\): .*sha=").matcher(text);
        final List<String> order = new ArrayList<>();
        while (started.find())
        {
            order.add(started.group(2) + "#" + started.group(3));
        }
        assertEquals(List.of("open#1", "closed#1", "open#2", "closed#2"), order, "interleaved: " + text);
        assertEquals(2, probe.calls, "one disk baseline after each closed-loop run");

        assertEquals(2, result.repeat());
        assertEquals(List.of("open", "closed"),
            result.configurations().stream().map(ConfigurationResult::name).toList());
        final ConfigurationResult open = result.configurations().get(0);
        final ConfigurationResult closed = result.configurations().get(1);
        assertEquals(RunResult.PASS, open.status(), open.repetitions().toString());
        assertEquals(List.of(1, 2), open.repetitions().stream().map(RunResult::repetition).toList());
        assertEquals(2, open.headline().achievedRate().count());
        assertTrue(open.headline().achievedRate().min() <= open.headline().achievedRate().median());
        assertTrue(open.headline().hiccupP99().count() == 2, "both fixed-rate repetitions measured hiccups");
        assertEquals(List.of(1e9, 2e9), closed.repetitions().stream()
            .map(run -> run.platform().baseline().diskWriteBytesPerSecond()).toList(), "each run its own D");
        assertEquals(2, closed.headline().diskRatio().count());

        final String openName = RunResult.resultName(open.config(), 2);
        for (final String file : List.of("report.html", "summary.md", "summary.json", "environment.txt",
            openName + ".ack-written.hlog", openName + ".ack-written.hgrm", openName + ".end-to-end.hlog",
            openName + ".hiccup.hlog", RunResult.resultName(closed.config(), 1) + ".ack-written.hlog"))
        {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertTrue(openName.contains("_sha=" + open.configHash()), openName);
        final Document html = Jsoup.parse(dir.resolve("report.html").toFile(), "UTF-8");
        final String data = html.getElementById("data").data();
        assertTrue(data.contains("\"ack-written\""), "the run's latencies are embedded");
        assertTrue(html.select("script:not([type])").html().contains("new uPlot("), "charts are drawn");
        assertEquals(result, Json.read(dir.resolve("summary.json")));
        final String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("## Repetitions") && md.contains("| open #2 |"), md);
        assertTrue(Files.readString(dir.resolve("environment.txt")).contains("repeat.order=interleaved"));
    }

    @Test
    @Timeout(180)
    void shouldRunTheShardsSuiteAndReportItsThreadsWhenShrunkToTinyValues(@TempDir final Path dir) throws Exception
    {
        final SuiteConfig shards = Suites.load("shards");
        final List<RunConfig> tiny = new ArrayList<>();
        for (final RunConfig config : shards.runs())
        {
            if (config.partitions() <= 3)
            {
                tiny.add(config.with(Map.of("warmup-seconds", "0", "duration-seconds", "1",
                    "rate", config.isOpenLoop() ? "1000" : "0",
                    "segment-bytes", "1048576", "retention-bytes", "4194304", "retention-check-ms", "50")));
            }
        }
        final SuiteConfig suite = new SuiteConfig(shards.name(), tiny, shards.notes(), 1);
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();

        final SuiteResult result = run(suite, dir, progress, new CountingDiskProbe());
        ReportWriter.write(result, dir);

        assertEquals(8, result.configurations().size());
        for (final ConfigurationResult configuration : result.configurations())
        {
            final RunResult run = configuration.repetitions().get(0);
            assertEquals(RunResult.PASS, run.status(), configuration.name() + ": " + run.problems());
            assertEquals(configuration.config().toMap().get("writer-threads"),
                run.platform().threads().writerThreadsSetting());
            assertTrue(run.platform().threads().liveWriterThreads() >= 1, run.platform().threads().toString());
            assertEquals(configuration.config().isOpenLoop(),
                run.latency().summaries().containsKey(Latencies.HICCUP), configuration.name());
        }
        final Document html = Jsoup.parse(dir.resolve("report.html").toFile(), "UTF-8");
        assertNotNull(html.getElementById("data"));
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("max_3p_per-partition"));
    }
}
