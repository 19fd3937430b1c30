package io.loglab.latency.report;

import io.loglab.latency.result.ConfigurationResult;
import io.loglab.latency.result.Environment;
import io.loglab.latency.result.FormulaCheck;
import io.loglab.latency.result.Headline;
import io.loglab.latency.result.Latencies;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.Spread;
import io.loglab.latency.result.SuiteResult;
import io.loglab.latency.result.ThreadCensus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * summary.md: the suite's results as tables a reader can paste into a document. One row per configuration with the
 * median (and min-max over repetitions) of each headline figure; every repetition's latency percentiles beside the
 * platform's hiccups measured in the same run; every repetition's figures when there are several.
 */
public final class MarkdownReport
{
    private static final String HICCUP_LABEL = "platform hiccup";

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
        if (!result.configurations().isEmpty())
        {
            configurations(result, md);
            percentiles(result.configurations(), md);
            if (result.repeat() > 1)
            {
                repetitions(result.configurations(), md);
            }
            problems(result.configurations(), md);
            formulas(result.configurations(), md);
        }
        jmh(result.jmh(), md);
        md.append("## Settings\n\n");
        for (final ConfigurationResult configuration : result.configurations())
        {
            md.append("- `").append(configuration.name()).append("` (sha=").append(configuration.configHash())
                .append("): ").append(configuration.config().toMap()).append("\n");
        }
        md.append("\nJVM flags: `").append(env.jvmFlags()).append("`\n");
        return md.toString();
    }

    private static void configurations(final SuiteResult result, final StringBuilder md)
    {
        md.append("## Runs\n\n");
        md.append("Latency in µs from each record's intended send time (coordinated omission corrected); ")
            .append("warm-up excluded. Each configuration ran ").append(result.repeat())
            .append(result.repeat() == 1 ? " time" : " times, interleaved; each cell is the median, min-max after it")
            .append(". Disk D is raw sequential writes of a closed-loop run's own log bytes, in its shape, right ")
            .append("after it, and \"of D\" that run's log bytes/s over it; hiccup is the platform's wake-up delay ")
            .append("measured in the same fixed-rate run.\n\n");
        md.append("| run | sha | status | target rec/s | achieved rec/s | MiB/s | disk D MB/s | of D | ack p50 | ")
            .append("ack p99 | hiccup p99 | ack p99.9 | e2e p99 | writer threads: setting, live (all live) | ")
            .append("alloc B/rec |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final ConfigurationResult configuration : result.configurations())
        {
            final Headline headline = configuration.headline();
            final double target = configuration.repetitions().get(0).throughput().targetRate();
            md.append("| ").append(configuration.name())
                .append(" | ").append(configuration.configHash())
                .append(" | ").append(status(configuration))
                .append(" | ").append(target > 0 ? number(target) : "max")
                .append(" | ").append(headline.achievedRate().text(MarkdownReport::number))
                .append(" | ").append(headline.mebibytesPerSecond().text(MarkdownReport::decimal))
                .append(" | ").append(headline.diskBaseline().text(v -> number(v / 1e6)))
                .append(" | ").append(headline.diskRatio().text(MarkdownReport::percent))
                .append(" | ").append(headline.ackP50().text(MarkdownReport::decimal))
                .append(" | ").append(headline.ackP99().text(MarkdownReport::decimal))
                .append(" | ").append(headline.hiccupP99().text(MarkdownReport::decimal))
                .append(" | ").append(headline.ackP999().text(MarkdownReport::decimal))
                .append(" | ").append(headline.endToEndP99().text(MarkdownReport::decimal))
                .append(" | ").append(threads(configuration.repetitions()))
                .append(" | ").append(headline.allocatedBytesPerRecord().text(MarkdownReport::decimal))
                .append(" |\n");
        }
        md.append("\n");
    }

    /**
     * Every repetition's latency percentiles, with the platform's hiccups of the same run in the row under them.
     */
    private static void percentiles(final List<ConfigurationResult> configurations, final StringBuilder md)
    {
        md.append("## Latency percentiles beside the platform's\n\n");
        md.append("µs. The platform hiccup row is how late an idle thread woke from a 1 ms sleep during the same ")
            .append("measured period (jHiccup's method): a latency percentile near it is the machine's stall, not ")
            .append("the engine's. Closed-loop runs measure no hiccups; kinds without samples are left out.\n\n");
        md.append("| run | kind | count | p50 | p90 | p99 | p99.9 | p99.99 | max |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (final ConfigurationResult configuration : configurations)
        {
            for (final RunResult run : configuration.repetitions())
            {
                for (final Map.Entry<String, LatencySummary> kind : run.latency().summaries().entrySet())
                {
                    final LatencySummary s = kind.getValue();
                    if (s.count() == 0)
                    {
                        continue;
                    }
                    md.append("| ").append(label(configuration, run))
                        .append(" | ").append(kind.getKey().equals(Latencies.HICCUP) ? "*" + HICCUP_LABEL + "*" :
                            kind.getKey())
                        .append(" | ").append(number(s.count()));
                    for (final double value : new double[]{ s.p50(), s.p90(), s.p99(), s.p999(), s.p9999(), s.max() })
                    {
                        md.append(" | ").append(decimal(value));
                    }
                    md.append(" |\n");
                }
            }
        }
        md.append("\n");
    }

    private static void repetitions(final List<ConfigurationResult> configurations, final StringBuilder md)
    {
        md.append("## Repetitions\n\n");
        md.append("| run | status | achieved rec/s | disk D MB/s | of D | ack p50 | ack p99 | ack p99.9 | e2e p99 | ")
            .append("hiccup p99 | writer threads |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final ConfigurationResult configuration : configurations)
        {
            for (final RunResult run : configuration.repetitions())
            {
                final Latencies latency = run.latency();
                md.append("| ").append(label(configuration, run))
                    .append(" | ").append(run.status())
                    .append(" | ").append(number(run.throughput().achievedRate()))
                    .append(" | ").append(number(run.platform().baseline().diskWriteBytesPerSecond() / 1e6))
                    .append(" | ").append(percent(run.platform().diskRatio()))
                    .append(" | ").append(decimal(latency.value(Latencies.ACK_WRITTEN, LatencySummary::p50)))
                    .append(" | ").append(decimal(latency.value(Latencies.ACK_WRITTEN, LatencySummary::p99)))
                    .append(" | ").append(decimal(latency.value(Latencies.ACK_WRITTEN, LatencySummary::p999)))
                    .append(" | ").append(decimal(latency.value(Latencies.END_TO_END, LatencySummary::p99)))
                    .append(" | ").append(decimal(latency.value(Latencies.HICCUP, LatencySummary::p99)))
                    .append(" | ").append(threads(List.of(run)))
                    .append(" |\n");
            }
        }
        md.append("\n");
    }

    private static void problems(final List<ConfigurationResult> configurations, final StringBuilder md)
    {
        boolean any = false;
        for (final ConfigurationResult configuration : configurations)
        {
            for (final RunResult run : configuration.repetitions())
            {
                if (!run.problems().isEmpty())
                {
                    md.append("- **").append(label(configuration, run)).append("**: ")
                        .append(String.join("; ", run.problems())).append("\n");
                    any = true;
                }
            }
        }
        if (any)
        {
            md.append("\n");
        }
    }

    private static void formulas(final List<ConfigurationResult> configurations, final StringBuilder md)
    {
        boolean header = false;
        for (final ConfigurationResult configuration : configurations)
        {
            for (final RunResult run : configuration.repetitions())
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
                    md.append("| ").append(label(configuration, run))
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

    /**
     * A configuration's row label for one repetition: its name, with {@code #k} when it ran more than once.
     */
    private static String label(final ConfigurationResult configuration, final RunResult run)
    {
        return configuration.repetitions().size() > 1 ? run.config().name() + " #" + run.repetition() :
            run.config().name();
    }

    private static String status(final ConfigurationResult configuration)
    {
        final long failures = configuration.failures();
        return failures == 0 || configuration.repetitions().size() == 1 ? configuration.status() :
            configuration.status() + " (" + failures + " of " + configuration.repetitions().size() + ")";
    }

    /**
     * The writer-thread setting, then the live writer threads and all live threads, as a range over repetitions.
     */
    private static String threads(final List<RunResult> runs)
    {
        final ThreadCensus first = runs.get(0).platform().threads();
        return first.writerThreadsSetting() + ", " +
            range(runs.stream().mapToDouble(run -> run.platform().threads().liveWriterThreads()).toArray()) + " (" +
            range(runs.stream().mapToDouble(run -> run.platform().threads().liveThreads()).toArray()) + ")";
    }

    private static String range(final double[] values)
    {
        final Spread spread = Spread.of(values);
        return spread.min() == spread.max() ? number(spread.min()) : number(spread.min()) + "-" + number(spread.max());
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
