package io.loglab.latency.result;

import io.loglab.latency.config.RunConfig;

import java.util.List;
import java.util.Map;

/**
 * Everything one repetition of a {@link RunConfig} measured, grouped by what belongs together. Serialised as-is into
 * {@code summary.json}; see docs/benchmarks.md for each field.
 *
 * @param config     the configuration run.
 * @param configHash {@link RunConfig#hash()}: the same for every run of the same settings.
 * @param repetition 1 for the first run of this configuration in its suite, 2 for the second, ...
 * @param status     PASS, or FAIL when the target rate was missed or the run broke.
 * @param problems   why it failed, and anything a reader must know (empty when clean).
 * @param throughput records and bytes moved, and their rates.
 * @param latency    by kind (ack-written, ack-durable, end-to-end, send-delay, hiccup): summaries and curves.
 * @param series     throughput and consumer lag over time, and when retention first overtook a consumer.
 * @param platform   the baselines this run is compared with, its threads and its allocation.
 * @param formulas   sizing formulas checked against this run.
 * @param files      by name, paths of the run's files relative to the report directory.
 */
public record RunResult(
    RunConfig config,
    String configHash,
    int repetition,
    String status,
    List<String> problems,
    Throughput throughput,
    Latencies latency,
    TimeSeries series,
    Platform platform,
    List<FormulaCheck> formulas,
    Map<String, String> files)
{
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    /**
     * The name a run's files and report rows carry: the configuration's name, its hash as the Aeron benchmarks'
     * result names carry it, and the repetition, e.g. {@code max-100B_sha=1a2b3c4d-2}.
     */
    public static String resultName(final RunConfig config, final int repetition)
    {
        return config.name() + "_sha=" + config.hash() + "-" + repetition;
    }

    /**
     * This result with the sizing formulas checked against it.
     */
    public RunResult withFormulas(final List<FormulaCheck> checks)
    {
        return new RunResult(config, configHash, repetition, status, problems, throughput, latency, series, platform,
            checks, files);
    }

    public boolean passed()
    {
        return PASS.equals(status);
    }
}
