package io.loglab.latency.result;

import io.loglab.latency.config.RunConfig;

import java.util.List;
import java.util.Map;

/**
 * Everything one run of a {@link RunConfig} measured. Serialised as-is into {@code summary.json}; see
 * docs/benchmarks.md for each field.
 *
 * @param config              the configuration run.
 * @param status              PASS, or FAIL when the target rate was missed or the run broke.
 * @param problems            why it failed, and anything a reader must know (empty when clean).
 * @param targetRate          records/s asked for; 0 for closed loop.
 * @param achievedRate        records/s acknowledged over the measured period.
 * @param records             acknowledged during the measured period.
 * @param bytes               record bytes (values and keys) acknowledged during the measured period.
 * @param measuredSeconds     length of the measured period.
 * @param warmupSeconds       length of the warm-up excluded before it.
 * @param mebibytesPerSecond  record bytes acknowledged per second, in MiB.
 * @param latency             by name: ack-written, ack-durable, end-to-end, send-delay.
 * @param distributions       by the same names, the percentile curve for the nines chart.
 * @param throughput          acknowledged records/s, one point per interval.
 * @param lag                 by partition ("0", "1", ...): consumer lag in records over time.
 * @param consumerOutOfRange  seconds into the run at which a consumer found its offset deleted by retention, or
 *                            -1 if none did.
 * @param allocatedBytesPerRecord JVM-wide bytes allocated during the measured period per record (harness included).
 * @param baseline            D and N measured in this run, and the engine's throughput as a fraction of them.
 * @param diskRatio           achieved log bytes/s over D.
 * @param formulas            sizing formulas checked against this run.
 * @param files               by name, paths of the run's files relative to the report directory.
 */
public record RunResult(
    RunConfig config,
    String status,
    List<String> problems,
    double targetRate,
    double achievedRate,
    long records,
    long bytes,
    double measuredSeconds,
    double warmupSeconds,
    double mebibytesPerSecond,
    Map<String, LatencySummary> latency,
    Map<String, List<PercentilePoint>> distributions,
    List<TimePoint> throughput,
    Map<String, List<TimePoint>> lag,
    double consumerOutOfRange,
    double allocatedBytesPerRecord,
    Baselines baseline,
    double diskRatio,
    List<FormulaCheck> formulas,
    Map<String, String> files)
{
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    public static final String ACK_WRITTEN = "ack-written";
    public static final String ACK_DURABLE = "ack-durable";
    public static final String END_TO_END = "end-to-end";
    public static final String SEND_DELAY = "send-delay";

    /**
     * This result with the sizing formulas checked against it.
     */
    public RunResult withFormulas(final List<FormulaCheck> checks)
    {
        return new RunResult(config, status, problems, targetRate, achievedRate, records, bytes, measuredSeconds,
            warmupSeconds, mebibytesPerSecond, latency, distributions, throughput, lag, consumerOutOfRange,
            allocatedBytesPerRecord, baseline, diskRatio, checks, files);
    }
}
