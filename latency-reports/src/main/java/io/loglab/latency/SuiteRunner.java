package io.loglab.latency;

import io.loglab.latency.baseline.MachineBaselines;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.config.SuiteConfig;
import io.loglab.latency.formula.FormulaChecks;
import io.loglab.latency.harness.LoadRun;
import io.loglab.latency.report.EnvironmentProbe;
import io.loglab.latency.result.Baselines;
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
 * Runs a suite: the baselines first, then each configuration in turn, showing progress, then the sizing formulas
 * against what each run measured.
 */
final class SuiteRunner
{
    /**
     * Where a suite's baselines come from: measured ({@link MachineBaselines#measure}), or fixed in tests.
     */
    @FunctionalInterface
    interface BaselineSource
    {
        Baselines measure(Path dir) throws IOException, InterruptedException;
    }

    private final PrintStream progress;
    private final BaselineSource baselineSource;

    SuiteRunner(final PrintStream progress)
    {
        this(progress, MachineBaselines::measure);
    }

    SuiteRunner(final PrintStream progress, final BaselineSource baselineSource)
    {
        this.progress = progress;
        this.baselineSource = baselineSource;
    }

    SuiteResult run(
        final SuiteConfig suite, final Path dir, final double peakRate, final List<Map<String, Object>> jmh)
        throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        progress.printf("suite %s: %d configurations, report in %s%n", suite.name(), suite.runs().size(), dir);
        progress.println("measuring baselines: sequential disk write (D) and loopback TCP (N)...");
        final Baselines baselines = baselineSource.measure(dir);
        progress.printf(Locale.ROOT, "baselines: D = %.0f MB/s, N = %.0f MB/s%n",
            baselines.diskWriteBytesPerSecond() / 1e6, baselines.loopbackBytesPerSecond() / 1e6);

        final List<RunResult> results = new ArrayList<>();
        int index = 0;
        for (final RunConfig config : suite.runs())
        {
            index++;
            final int number = index;
            progress.printf(Locale.ROOT, "[%d/%d] %s: %s (%d s warm-up + %d s)%n", number, suite.runs().size(),
                config.name(), describe(config), config.warmupSeconds(), config.durationSeconds());
            final RunResult run = LoadRun.run(config, dir, baselines, (elapsed, rate, records) ->
                progress.printf(Locale.ROOT, "[%d/%d] %s: %.0f s elapsed (suite %.0f s), %.0f records/s, %d records%n",
                    number, suite.runs().size(), config.name(), elapsed, (System.nanoTime() - startNs) / 1e9, rate,
                    records));
            final RunResult checked = run.withFormulas(FormulaChecks.forRun(run, peakRate));
            progress.printf(Locale.ROOT, "[%d/%d] %s: %s, %.0f records/s%s%n", number, suite.runs().size(),
                config.name(), checked.status(), checked.achievedRate(),
                checked.problems().isEmpty() ? "" : " (" + String.join("; ", checked.problems()) + ")");
            results.add(checked);
        }

        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("suite", suite.name());
        settings.put("report.dir", dir.toString());
        settings.put("peak.records.per.second", Double.toString(peakRate));
        settings.put("baseline.method", baselines.method());
        return new SuiteResult(SuiteResult.SCHEMA_VERSION, suite.name(), EnvironmentProbe.probe(settings), results,
            jmh, suite.notes());
    }

    private static String describe(final RunConfig config)
    {
        return (config.isOpenLoop() ? config.rate() + " records/s" : "closed loop") + ", " + config.recordSize() +
            " B, " + config.partitions() + " partition(s), " + config.producers() + " producer(s), " +
            config.consumers() + " consumer(s)" + (config.consumerRate() > 0 ? " at " + config.consumerRate() +
            " records/s" : "") + ", batch " + config.batchBytes() + " B, flush " + config.flush();
    }
}
