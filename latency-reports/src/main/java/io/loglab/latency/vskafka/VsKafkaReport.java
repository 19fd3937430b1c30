package io.loglab.latency.vskafka;

import io.loglab.latency.report.Json;
import io.loglab.latency.result.Spread;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison report: per workload, each figure's median (and min to max) for loglab and for Kafka, their ratio,
 * and the target for it (produce and consume throughput at least Kafka's, p99 latencies at most half); the
 * producer's own view of its requests (records per request, round trip, a batch's wait in the client), which splits
 * an acknowledgement's time between the client and the broker, shown without a target; then Kafka's own tools'
 * figures. Written as summary.md, report.html (the same tables) and summary.json (everything).
 */
public final class VsKafkaReport
{
    static final String LOGLAB = "loglab";
    static final String KAFKA = "kafka";

    /**
     * One compared figure.
     *
     * @param ratioText the ratio as printed: with as many decimals as it takes, up to four, for the printed figure to
     *                  say what the verdict says (0.998 against a target of 1.0, not 1.00).
     */
    record Row(String workload, String figure, String loglab, String kafka, double ratio, String ratioText,
        String target, String verdict)
    {
    }

    private VsKafkaReport()
    {
    }

    public static Path write(final VsKafkaResult result, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), Json.toJson(result), StandardCharsets.UTF_8);
        final List<Row> rows = rows(result);
        Files.writeString(dir.resolve("summary.md"), markdown(result, rows), StandardCharsets.UTF_8);
        final Path html = dir.resolve("report.html");
        Files.writeString(html, html(result, rows), StandardCharsets.UTF_8);
        return html;
    }

    static List<Row> rows(final VsKafkaResult result)
    {
        final List<Row> rows = new ArrayList<>();
        for (final Workload workload : result.workloads())
        {
            final List<Measurement> loglab = of(result, workload, LOGLAB);
            final List<Measurement> kafka = of(result, workload, KAFKA);
            if (loglab.isEmpty() || kafka.isEmpty())
            {
                continue;
            }
            final boolean fixedRate = workload.rate() > 0;
            rows.add(row(workload, "produce records/s", loglab, kafka, Measurement::recordsPerSecond,
                fixedRate ? null : workload.throughputTarget(), true));
            rows.add(row(workload, "ack p50 us", loglab, kafka, m -> m.ack().p50(), null, false));
            rows.add(row(workload, "ack p99 us", loglab, kafka, m -> m.ack().p99(), fixedRate ? 0.5 : null, false));
            rows.add(row(workload, "ack p99.9 us", loglab, kafka, m -> m.ack().p999(), null, false));
            rows.add(row(workload, "end-to-end p50 us", loglab, kafka, m -> m.endToEnd().p50(), null, false));
            rows.add(row(workload, "end-to-end p99 us", loglab, kafka, m -> m.endToEnd().p99(),
                fixedRate ? 0.5 : null, false));
            rows.add(row(workload, "records per produce request", loglab, kafka,
                m -> m.requests().recordsPerRequest(), null, false));
            rows.add(row(workload, "produce request round trip avg us", loglab, kafka,
                m -> m.requests().roundTripMicros(), null, false));
            rows.add(row(workload, "batch wait in the client avg us", loglab, kafka,
                m -> m.requests().queueTimeMicros(), null, false));
            rows.add(row(workload, "consume records/s", loglab, kafka, Measurement::consumeRecordsPerSecond,
                fixedRate ? null : 1.0, true));
        }
        return rows;
    }

    private static List<Measurement> of(final VsKafkaResult result, final Workload workload, final String system)
    {
        return result.measurements().stream()
            .filter(m -> m.workload().equals(workload.name()) && m.system().equals(system)).toList();
    }

    /**
     * @param target       the ratio loglab/Kafka the issue asks for, or null for a figure shown without one.
     * @param higherBetter whether the target is a floor (throughput) or a ceiling (latency).
     */
    private static Row row(final Workload workload, final String figure, final List<Measurement> loglab,
        final List<Measurement> kafka, final ToDoubleFunction<Measurement> value, final Double target,
        final boolean higherBetter)
    {
        final Spread ours = Spread.of(loglab.stream().mapToDouble(value).toArray());
        final Spread theirs = Spread.of(kafka.stream().mapToDouble(value).toArray());
        final double ratio = theirs.median() == 0 ? Double.NaN : ours.median() / theirs.median();
        final boolean clean = loglab.stream().allMatch(m -> m.problems().isEmpty()) &&
            kafka.stream().allMatch(m -> m.problems().isEmpty());
        String verdict = "";
        if (target != null)
        {
            final boolean met = meets(ratio, target, higherBetter);
            verdict = (met ? "MET" : "MISSED") + (clean ? "" : " (runs had problems)");
        }
        return new Row(workload.name(), figure, ours.text(VsKafkaReport::number), theirs.text(VsKafkaReport::number),
            ratio, ratioText(ratio, target, higherBetter),
            target == null ? "" : (higherBetter ? ">= " : "<= ") + target, verdict);
    }

    private static String number(final double value)
    {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratioText(final double ratio, final Double target, final boolean higherBetter)
    {
        if (Double.isNaN(ratio))
        {
            return "-";
        }
        String text = String.format(Locale.ROOT, "%.2f", ratio);
        for (int decimals = 3; decimals <= 4 && target != null &&
            meets(Double.parseDouble(text), target, higherBetter) != meets(ratio, target, higherBetter); decimals++)
        {
            text = String.format(Locale.ROOT, "%." + decimals + "f", ratio);
        }
        return text;
    }

    private static boolean meets(final double ratio, final double target, final boolean higherBetter)
    {
        return higherBetter ? ratio >= target : ratio <= target;
    }

    static String markdown(final VsKafkaResult result, final List<Row> rows)
    {
        final StringBuilder md = new StringBuilder(header(result));
        md.append("\n## Side by side\n\n| workload | figure | loglab | Kafka | loglab/Kafka | target | verdict |\n")
            .append("|---|---|---|---|---|---|---|\n");
        for (final Row row : rows)
        {
            md.append("| ").append(row.workload()).append(" | ").append(row.figure()).append(" | ")
                .append(row.loglab()).append(" | ").append(row.kafka()).append(" | ").append(row.ratioText())
                .append(" | ").append(row.target()).append(" | ").append(row.verdict()).append(" |\n");
        }
        return md.append(footer(result)).toString();
    }

    /** What ran where, and the workloads. */
    private static String header(final VsKafkaResult result)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# loglab vs Apache Kafka\n\n");
        md.append("Same machine, same run, same client (Kafka's Java client ").append(KafkaDriver.clientVersion())
            .append("), same settings. Each figure is the median over ").append(result.repeat())
            .append(" repetition(s), interleaved, with min-max in brackets. Latencies are timed from when each ")
            .append("record was due on its schedule (corrected for coordinated omission).\n\n");
        md.append("- Machine: ").append(result.environment().cpuModel()).append(", ")
            .append(result.environment().cores()).append(" cores, ").append(result.environment().os()).append('\n');
        md.append("- Commit: ").append(result.environment().gitCommit()).append(", ")
            .append(result.environment().date()).append('\n');
        result.systems().forEach((name, how) -> md.append("- ").append(name).append(": ").append(how).append('\n'));
        md.append("\n## Workloads\n\n| workload | record | rate | partitions | replication factor | producer settings | " +
            "measured |\n|---|---|---|---|---|---|---|\n");
        for (final Workload workload : result.workloads())
        {
            md.append("| ").append(workload.name()).append(" | ").append(workload.recordSize()).append(" B | ")
                .append(workload.rate() == 0 ? "max" : workload.rate() + "/s").append(" | ")
                .append(workload.partitions()).append(" | ").append(workload.replicationFactor())
                .append(workload.replicationFactor() > 1 ? " (min.insync.replicas 2)" : "").append(" | ")
                .append(settings(workload.producerSettings()))
                .append(" | ").append(workload.durationSeconds()).append(" s after ")
                .append(workload.warmupSeconds()).append(" s warm-up |\n");
        }
        return md.toString();
    }

    /** The runs' problems, and Kafka's tools' figures. */
    private static String footer(final VsKafkaResult result)
    {
        final StringBuilder md = new StringBuilder();
        final List<String> problems = new ArrayList<>();
        for (final Measurement measured : result.measurements())
        {
            measured.problems().forEach(problem -> problems.add(measured.workload() + " on " + measured.system() +
                " (repetition " + measured.repetition() + "): " + problem));
        }
        if (!problems.isEmpty())
        {
            md.append("\n## Problems\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        if (!result.tools().isEmpty())
        {
            md.append("\n## Kafka's own tools, as a second opinion\n\n| tool | system | figures |\n|---|---|---|\n");
            for (final KafkaTools.ToolRun run : result.tools())
            {
                md.append("| ").append(run.tool()).append(" | ").append(run.system()).append(" | ")
                    .append(run.problem() != null ? "failed: " + run.problem().replace('\n', ' ').replace("|", "/") :
                    figures(run.figures())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String settings(final Map<String, String> settings)
    {
        final StringBuilder text = new StringBuilder();
        settings.forEach((name, value) -> text.append(text.length() == 0 ? "" : ", ").append(name).append('=')
            .append(value));
        return text.toString();
    }

    private static String figures(final Map<String, Double> figures)
    {
        final StringBuilder text = new StringBuilder();
        figures.forEach((name, value) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ')
            .append(number(value)));
        return text.toString();
    }

    private static String html(final VsKafkaResult result, final List<Row> rows)
    {
        final StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" +
            "<title>loglab vs Apache Kafka</title><style>body{font-family:sans-serif;margin:2em}" +
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}" +
            "td:first-child,td:nth-child(2){text-align:left}.MISSED{color:#b00}.MET{color:#070}</style></head><body>\n");
        html.append("<pre>").append(escape(header(result))).append("</pre>\n<h2>Side by side</h2>\n<table><tr>")
            .append("<th>workload</th><th>figure</th><th>loglab</th><th>Kafka</th><th>loglab/Kafka</th>")
            .append("<th>target</th><th>verdict</th></tr>\n");
        for (final Row row : rows)
        {
            html.append("<tr><td>").append(escape(row.workload())).append("</td><td>").append(escape(row.figure()))
                .append("</td><td>").append(escape(row.loglab())).append("</td><td>").append(escape(row.kafka()))
                .append("</td><td>").append(row.ratioText()).append("</td><td>").append(escape(row.target()))
                .append("</td><td class=\"").append(row.verdict().split(" ")[0]).append("\">")
                .append(escape(row.verdict())).append("</td></tr>\n");
        }
        return html.append("</table>\n<pre>").append(escape(footer(result))).append("</pre>\n</body></html>\n")
            .toString();
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
