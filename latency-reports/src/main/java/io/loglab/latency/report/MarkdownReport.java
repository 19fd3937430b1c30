package io.loglab.latency.report;

import io.loglab.latency.result.Environment;
import io.loglab.latency.result.FormulaCheck;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * summary.md: the suite's results as tables a reader can paste into a document.
 */
public final class MarkdownReport
{
    private MarkdownReport()
    {
    }

    public static void write(final SuiteResult result, final Path file) throws IOException
    {
        Files.writeString(file, render(result), StandardCharsets.UTF_8);
    }

    static String render(final SuiteResult result)
    {
        final StringBuilder md = new StringBuilder();
        final Environment env = result.environment();
        md.append("# loglab suite `").append(result.suite()).append("`\n\n");
        md.append(String.format(Locale.ROOT, "%s; %s, %d cores, %.1f GiB; %s; %s; commit %s%n%n",
            env.date(), env.cpuModel(), env.cores(), env.memoryBytes() / (double)(1L << 30), env.os(), env.jvm(),
            env.gitCommit()));
        for (final String note : result.notes())
        {
            md.append("> ").append(note).append("\n");
        }
        if (!result.notes().isEmpty())
        {
            md.append("\n");
        }

        if (!result.runs().isEmpty())
        {
            md.append("## Runs\n\n");
            md.append("Latency in µs from each record's intended send time (coordinated omission corrected); ")
                .append("warm-up excluded. Throughput baselines measured in the same run.\n\n");
            md.append("| run | status | target rec/s | achieved rec/s | MiB/s | of disk D | ack p50 | ack p99 | ack p99.9 | ")
                .append("ack max | e2e p50 | e2e p99 | e2e max | alloc B/rec |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (final RunResult run : result.runs())
            {
                final LatencySummary ack = run.latency().get(RunResult.ACK_WRITTEN);
                final LatencySummary e2e = run.latency().get(RunResult.END_TO_END);
                md.append("| ").append(run.config().name())
                    .append(" | ").append(run.status())
                    .append(" | ").append(run.targetRate() > 0 ? number(run.targetRate()) : "max")
                    .append(" | ").append(number(run.achievedRate()))
                    .append(" | ").append(decimal(run.mebibytesPerSecond()))
                    .append(" | ").append(percent(run.diskRatio()))
                    .append(" | ").append(latency(ack, LatencySummary::p50))
                    .append(" | ").append(latency(ack, LatencySummary::p99))
                    .append(" | ").append(latency(ack, LatencySummary::p999))
                    .append(" | ").append(latency(ack, LatencySummary::max))
                    .append(" | ").append(latency(e2e, LatencySummary::p50))
                    .append(" | ").append(latency(e2e, LatencySummary::p99))
                    .append(" | ").append(latency(e2e, LatencySummary::max))
                    .append(" | ").append(decimal(run.allocatedBytesPerRecord()))
                    .append(" |\n");
            }
            md.append("\n");
            for (final RunResult run : result.runs())
            {
                if (!run.problems().isEmpty())
                {
                    md.append("- **").append(run.config().name()).append("**: ")
                        .append(String.join("; ", run.problems())).append("\n");
                }
            }
            md.append("\n");
            formulas(result.runs(), md);
        }
        jmh(result.jmh(), md);
        md.append("## Settings\n\n");
        for (final RunResult run : result.runs())
        {
            md.append("- `").append(run.config().name()).append("`: ").append(run.config().toMap()).append("\n");
        }
        md.append("\nJVM flags: `").append(env.jvmFlags()).append("`\n");
        return md.toString();
    }

    private static void formulas(final List<RunResult> runs, final StringBuilder md)
    {
        boolean header = false;
        for (final RunResult run : runs)
        {
            for (final FormulaCheck check : run.formulas())
            {
                if (!header)
                {
                    md.append("## Sizing formulas, predicted and measured\n\n");
                    md.append("| run | formula | inputs | predicted | measured | unit | agrees | note |\n");
                    md.append("|---|---|---|---|---|---|---|---|\n");
                    header = true;
                }
                md.append("| ").append(run.config().name())
                    .append(" | `").append(check.formula().replace("|", "\\|")).append('`')
                    .append(" | ").append(check.inputs())
                    .append(" | ").append(decimal(check.predicted()))
                    .append(" | ").append(decimal(check.measured()))
                    .append(" | ").append(check.unit())
                    .append(" | ").append(check.holds() ? "yes" : "**NO**")
                    .append(" | ").append(check.note())
                    .append(" |\n");
            }
        }
        if (header)
        {
            md.append("\n");
        }
    }

    private static void jmh(final List<Map<String, Object>> jmh, final StringBuilder md)
    {
        if (jmh.isEmpty())
        {
            return;
        }
        md.append("## JMH\n\n| benchmark | params | mode | score | error | unit | gc.alloc.rate.norm (B/op) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (final Map<String, Object> row : jmh)
        {
            md.append("| ").append(row.get("benchmark"))
                .append(" | ").append(row.getOrDefault("params", ""))
                .append(" | ").append(row.get("mode"))
                .append(" | ").append(row.get("score") instanceof Number n ? decimal(n.doubleValue()) : "")
                .append(" | ").append(row.get("error") instanceof Number n ? decimal(n.doubleValue()) : "")
                .append(" | ").append(row.get("unit"))
                .append(" | ").append(row.get("allocNorm") instanceof Number n ? decimal(n.doubleValue()) : "")
                .append(" |\n");
        }
        md.append("\n");
    }

    private static String latency(final LatencySummary summary, final ToDoubleFunction<LatencySummary> field)
    {
        return summary == null || summary.count() == 0 ? "-" : decimal(field.applyAsDouble(summary));
    }

    static String number(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String decimal(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "-";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) :
            String.format(Locale.ROOT, "%.3g", value);
    }

    static String percent(final double ratio)
    {
        return Double.isNaN(ratio) || ratio <= 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
