package io.loglab.latency.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.DiskRate;
import io.loglab.latency.result.Spread;
import io.loglab.replication.replica.CommitRule;
import io.loglab.transport.aeron.DriverProfile;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The replication report, from made-up measurements: the article's bound beside each closed-loop run, computed from
 * its inputs, in summary.md and in report.html, which is one offline file embedding each configuration's summary.
 */
class ReplicationReportTest
{
    private static final ReplicationWorkload FIXED = new ReplicationWorkload("rf3-acksall-rate", 3, true,
        CommitRule.ISR, 100, 100, 50_000, false, DriverProfile.SHARED);
    private static final ReplicationWorkload MAX = new ReplicationWorkload("rf3-acksall-max", 3, true,
        CommitRule.ISR, 100, 500, 0, false, DriverProfile.SHARED);

    @TempDir
    Path dir;

    private static ReplicationMeasurement run(final ReplicationWorkload workload, final double rate)
    {
        return new ReplicationMeasurement(workload, rate, 1_000, 300, 400, 900, 2_000, 3_000, 4_000,
            Map.of(), List.of(new StageLatency("wire to follower", 10, 50, 700, 900)), 125.0, 10_000, null);
    }

    /**
     * D 600 MB/s and N 2,000 MB/s: min(1 * 600e6 / (3 * 125), 1 * 2000e6 / 125) = 1.6 M records/s.
     */
    private static ReplicationMeasurement bounded(final double rate)
    {
        final Baselines baselines = Baselines.loopbackOnly(2_000e6, "N: test")
            .withDisk(new DiskRate(600e6, 1 << 20, "D: test"));
        final ReplicationMeasurement run = run(MAX, rate);
        return run.withBound(ThroughputBound.of(run, baselines));
    }

    @Test
    void shouldPutTheArticlesBoundBesideEachClosedLoopRun()
    {
        final ReplicationMeasurement run = bounded(400_000);
        assertEquals(1_600_000, run.bound().recordsPerSecond(), 1e-6);
        assertEquals(0.25, run.bound().fraction(), 1e-9);

        final String md = ReplicationReport.markdown(ReplicationSummary.of(List.of(FIXED, MAX),
            List.of(run(FIXED, 50_000), run, bounded(600_000))), 5, 20, 2);
        assertTrue(md.contains("## Closed loop against the article's bound"), md);
        assertTrue(md.contains("| rf3-acksall-max | 3 | 500000 (400000–600000) | 1600000 | 31 (25–38) | 600 | " +
            "2000 | 125.0 |"), md);
        assertFalse(md.contains("| rf3-acksall-rate | 3 | 50000 |"), "no bound for a fixed-rate run: " + md);
        assertTrue(md.contains("| wire to follower | 10 | 50 | 700 | 900 |"), md);
    }

    @Test
    void shouldSummariseEachConfigurationOverItsRepetitionsOnce()
    {
        final List<ReplicationSummary> summaries = ReplicationSummary.of(List.of(FIXED, MAX),
            List.of(run(FIXED, 40_000), run(FIXED, 50_000), run(FIXED, 60_000), bounded(400_000)));
        final ReplicationSummary fixed = summaries.get(0);
        assertEquals(3, fixed.repetitions());
        assertEquals(new Spread(50_000, 40_000, 60_000, 3), fixed.recordsPerSecond());
        assertNull(fixed.bound());
        final ReplicationSummary max = summaries.get(1);
        assertEquals(1, max.repetitions());
        assertEquals(25, max.bound().percentOfBound().median(), 1e-9);
        assertEquals("50000 (40000–60000)", fixed.recordsPerSecond().text(v -> String.format("%.0f", v)));
        assertEquals("-", ReplicationSummary.of(List.of(FIXED), List.of()).get(0).p99Micros().text(String::valueOf));
    }

    @Test
    void shouldWriteOneOfflineHtmlFileEmbeddingEachConfigurationsSummary() throws Exception
    {
        final List<ReplicationMeasurement> measured = List.of(run(FIXED, 50_000), bounded(400_000));
        final Path file = dir.resolve("report.html");
        ReplicationReport.html(ReplicationSummary.of(List.of(FIXED, MAX), measured), 5, 20, 1, file);

        final Document document = Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(ReplicationReport.TITLE, document.title());
        assertTrue(document.select("script[src], link[href]").isEmpty(), "no external resources: the file is offline");
        final Element data = document.getElementById("data");
        assertNotNull(data, "embedded measurements");
        final JsonNode json = new ObjectMapper().readTree(data.data());
        final JsonNode configurations = json.get("configurations");
        assertEquals(2, configurations.size());
        assertEquals("rf3-acksall-rate", configurations.get(0).get("workload").get("name").asText());
        assertTrue(configurations.get(0).get("bound").isNull(), "no bound for a fixed-rate run");
        assertEquals(1_600_000, configurations.get(1).get("bound").get("boundRecordsPerSecond").get("median")
            .asDouble(), 1e-6);
        assertEquals("wire to follower", configurations.get(0).get("stages").get(0).get("stage").asText());
        assertTrue(json.get("setup").asText().contains("5 s warm-up, 20 s measured"));
        final String scripts = document.select("script:not([type])").stream().map(Element::data)
            .reduce("", String::concat);
        assertTrue(scripts.contains("new uPlot("), "uPlot inlined and the percentile chart drawn");
        assertTrue(scripts.contains("Closed loop against the article"), "the bound section");
        assertTrue(scripts.contains("Where acks=all time goes"), "the stages section");
    }
}
