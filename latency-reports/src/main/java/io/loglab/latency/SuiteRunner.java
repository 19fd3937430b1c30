package io.loglab.latency;

import io.loglab.latency.baseline.DiskProbe;
import io.loglab.latency.baseline.MachineBaselines;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.config.SuiteConfig;
import io.loglab.latency.formula.FormulaChecks;
import io.loglab.latency.harness.LoadRun;
import io.loglab.latency.report.EnvironmentProbe;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.ConfigurationResult;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a suite: N (loopback) once, then every configuration, repeated as the suite says and interleaved (all
 * configurations once, then all again), each closed-loop run with its own disk baseline right after it, showing
 * progress, then the sizing formulas against what each run measured.
 */
final class SuiteRunner
{
    /** How the suite orders repetitions, for the report's settings. */
    static final String ORDER = "interleaved";

    /**
     * Where a suite's loopback baseline comes from: measured ({@link MachineBaselines#loopback}), or fixed in tests.
     */
    @FunctionalInterface
    interface BaselineSource
    {
        Baselines measure() throws IOException, InterruptedException;
    }

    private final PrintStream progress;
    private final BaselineSource baselineSource;
    private final DiskProbe diskProbe;

    SuiteRunner(final PrintStream progress)
    {
        this(progress, MachineBaselines::loopback, MachineBaselines::disk);
    }

    SuiteRunner(final PrintStream progress, final BaselineSource baselineSource, final DiskProbe diskProbe)
    {
        this.progress = progress;
        this.baselineSource = baselineSource;
        this.diskProbe = diskProbe;
    }

    SuiteResult run(
        final SuiteConfig suite, final Path dir, final double peakRate, final List<Map<String, Object>> jmh)
        throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        final int total = suite.runs().size() * suite.repeat();
        progress.printf("suite %s: %d configurations x %d, report in %s%n", suite.name(), suite.runs().size(),
            suite.repeat(), dir);
        progress.println("measuring the loopback TCP baseline (N); each closed-loop run measures the disk (D) " +
            "right after it...");
        final Baselines baselines = baselineSource.measure();
        progress.printf(Locale.ROOT, "baseline: N = %.0f MB/s%n", baselines.loopbackBytesPerSecond() / 1e6);

        final Map<String, List<RunResult>> byConfiguration = new LinkedHashMap<>();
        int number = 0;
        for (int repetition = 1; repetition <= suite.repeat(); repetition++)
        {
            for (final RunConfig config : suite.runs())
            {
                number++;
                final String label = String.format(Locale.ROOT, "[%d/%d] %s%s", number, total, config.name(),
                    suite.repeat() > 1 ? " (repetition " + repetition + "/" + suite.repeat() + ")" : "");
                progress.printf(Locale.ROOT, "%s: %s (%s%d s warm-up + %d s), sha=%s%n", label, describe(config),
                    config.isOpenLoop() ? "" : "then disk baseline, ", config.warmupSeconds(), config.durationSeconds(),
                    config.hash());
                final RunResult run = LoadRun.run(new LoadRun.Context()
                    .config(config)
                    .runDir(dir)
                    .repetition(repetition)
                    .suiteBaselines(baselines)
                    .diskProbe(diskProbe)
                    .progress((elapsed, rate, records) -> progress.printf(Locale.ROOT,
                        "%s: %.0f s elapsed (suite %.0f s), %.0f records/s, %d records%n",
                        label, elapsed, (System.nanoTime() - startNs) / 1e9, rate, records)));
                final RunResult checked = run.withFormulas(FormulaChecks.forRun(run, peakRate));
                progress.printf(Locale.ROOT, "%s: %s, %.0f records/s%s%s%n", label, checked.status(),
                    checked.throughput().achievedRate(), checked.platform().baseline().hasDisk() ?
                    String.format(Locale.ROOT, ", D = %.0f MB/s",
                        checked.platform().baseline().diskWriteBytesPerSecond() / 1e6) : "",
                    checked.problems().isEmpty() ? "" : " (" + String.join("; ", checked.problems()) + ")");
                byConfiguration.computeIfAbsent(config.name(), name -> new ArrayList<>()).add(checked);
            }
        }
        final List<ConfigurationResult> configurations = new ArrayList<>();
        byConfiguration.values().forEach(runs -> configurations.add(ConfigurationResult.of(runs)));

        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("suite", suite.name());
        settings.put("report.dir", dir.toString());
        settings.put("peak.records.per.second", Double.toString(peakRate));
        settings.put("repeat", Integer.toString(suite.repeat()));
        settings.put("repeat.order", ORDER);
        settings.put("baseline.method", baselines.method() + "; D: measured right after each closed-loop run");
        return new SuiteResult(SuiteResult.SCHEMA_VERSION, suite.name(), suite.repeat(),
            EnvironmentProbe.probe(settings), configurations, jmh, suite.notes());
    }

    private static String describe(final RunConfig config)
    {
        return (config.isOpenLoop() ? config.rate() + " records/s" : "closed loop") + ", " + config.recordSize() +
            " B, " + config.partitions() + " partition(s), " + config.producers() + " producer(s), " +
            config.consumers() + " consumer(s)" + (config.consumerRate() > 0 ? " at " + config.consumerRate() +
            " records/s" : "") + ", batch " + config.batchBytes() + " B, flush " + config.flush() +
            ", writer-threads " + config.writerThreadsSetting();
    }
}
