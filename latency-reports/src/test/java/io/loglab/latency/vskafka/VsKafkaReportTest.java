package io.loglab.latency.vskafka;

import io.loglab.latency.result.Environment;
import io.loglab.latency.result.LatencySummary;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The comparison's figures: medians per system, loglab/Kafka ratios, and each target met or missed by the issue's
 * rule (throughput at least Kafka's, fixed-rate p99 at most half).
 */
class VsKafkaReportTest
{
    @TempDir
    Path dir;

    private static LatencySummary latency(final double p99)
    {
        return new LatencySummary(100, p99 / 2, p99 / 2, p99 / 1.5, p99, p99 * 2, p99 * 3, p99 * 4);
    }

    private static Measurement measured(final String system, final String workload, final int repetition,
        final double rate, final double p99, final double consume, final List<String> problems)
    {
        return new Measurement(system, workload, repetition, (long)rate, rate, rate * 100 / 1048576, latency(p99),
            latency(p99 * 2), consume, new Measurement.ProduceRequests(10, 500, 100), problems);
    }

    private static VsKafkaResult result()
    {
        final Workload max = new Workload("max-100B", 100, 0, 1, "1", 65536, 5, "none", 15, 5);
        final Workload rate = new Workload("rate-20k", 100, 20_000, 3, "all", 16384, 0, "none", 15, 5);
        return new VsKafkaResult(
            new Environment("cpu", 2, 1L << 34, "Linux", "jvm", "", "abc", "2026-12-01", Map.of()),
            Map.of("loglab", "127.0.0.1:29092: loglab", "kafka", "127.0.0.1:39092: Kafka 4.4"),
            List.of(max, rate), 3,
            List.of(
                measured("loglab", "max-100B", 1, 300_000, 900, 1_000_000, List.of()),
                measured("loglab", "max-100B", 2, 200_000, 900, 1_000_000, List.of()),
                measured("loglab", "max-100B", 3, 250_000, 900, 1_000_000, List.of()),
                measured("kafka", "max-100B", 1, 200_000, 800, 500_000, List.of()),
                measured("kafka", "max-100B", 2, 210_000, 800, 500_000, List.of()),
                measured("kafka", "max-100B", 3, 190_000, 800, 500_000, List.of()),
                measured("loglab", "rate-20k", 1, 20_000, 400, 900_000, List.of()),
                measured("kafka", "rate-20k", 1, 20_000, 1000, 800_000, List.of("achieved 19000 of 20000"))),
            List.of(new KafkaTools.ToolRun("loglab", "EndToEndLatency", Map.of("p99 ms", 3.0), null)));
    }

    @Test
    void shouldPrintARatioWithTheDecimalsItsVerdictNeeds()
    {
        assertEquals("0.998", VsKafkaReport.ratioText(0.998, 1.0, true), "missed: not printed as 1.00");
        assertEquals("1.00", VsKafkaReport.ratioText(1.0, 1.0, true));
        assertEquals("1.25", VsKafkaReport.ratioText(1.25, 2.0, true));
        assertEquals("0.5004", VsKafkaReport.ratioText(0.5004, 0.5, false), "over a ceiling by 0.0004");
        assertEquals("0.67", VsKafkaReport.ratioText(2.0 / 3, null, true), "no target: two decimals");
        assertEquals("-", VsKafkaReport.ratioText(Double.NaN, 1.0, true));
    }

    @Test
    void shouldCompareMediansAndJudgeEachTargetByTheIssuesRule() throws Exception
    {
        final List<VsKafkaReport.Row> rows = VsKafkaReport.rows(result());
        final VsKafkaReport.Row throughput = find(rows, "max-100B", "produce records/s");
        assertEquals("250,000 (200,000–300,000)", throughput.loglab());
        assertEquals(250_000 / 200_000.0, throughput.ratio(), 1e-9);
        assertEquals("MET", throughput.verdict());
        assertEquals("", find(rows, "max-100B", "ack p99 us").verdict(), "no latency target at max throughput");

        final VsKafkaReport.Row p99 = find(rows, "rate-20k", "ack p99 us");
        assertEquals(0.4, p99.ratio(), 1e-9);
        assertEquals("MET (runs had problems)", p99.verdict(), "a run with problems is flagged");
        final VsKafkaReport.Row e2e = find(rows, "rate-20k", "end-to-end p99 us");
        assertEquals(0.4, e2e.ratio(), 1e-9);
        final VsKafkaReport.Row roundTrip = find(rows, "rate-20k", "produce request round trip avg us");
        assertEquals("500", roundTrip.loglab());
        assertEquals("", roundTrip.verdict(), "the client's view of its requests is shown, not judged");

        final Path html = VsKafkaReport.write(result(), dir);
        final String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| max-100B | produce records/s | 250,000 (200,000–300,000) | 200,000 " +
            "(190,000–210,000) | 1.25 | >= 1.0 | MET |"), md);
        assertTrue(md.contains("rate-20k on kafka (repetition 1): achieved 19000 of 20000"), md);
        assertTrue(md.contains("| EndToEndLatency | loglab | p99 ms 3.00 |"), md);
        assertEquals(rows.size(), Jsoup.parse(html.toFile()).select("tr").size() - 1, "one table row per figure");
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"recordsPerSecond\""));
    }

    private static VsKafkaReport.Row find(final List<VsKafkaReport.Row> rows, final String workload,
        final String figure)
    {
        return rows.stream().filter(row -> row.workload().equals(workload) && row.figure().equals(figure))
            .findFirst().orElseThrow();
    }
}
