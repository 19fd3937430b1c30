package io.loglab.latency.result;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures a reader quotes from a configuration, each as median, min and max over its repetitions.
 *
 * @param achievedRate            records/s.
 * @param mebibytesPerSecond      record MiB/s.
 * @param diskRatio               log bytes/s over each run's own D.
 * @param diskBaseline            D, bytes/s, as measured after each closed-loop run.
 * @param ackP50                  ack-written p50, µs.
 * @param ackP99                  ack-written p99, µs.
 * @param ackP999                 ack-written p99.9, µs.
 * @param endToEndP99             end-to-end p99, µs.
 * @param hiccupP99               the platform's hiccup p99 during fixed-rate runs, µs.
 * @param allocatedBytesPerRecord JVM-wide bytes allocated per record.
 */
public record Headline(
    Spread achievedRate,
    Spread mebibytesPerSecond,
    Spread diskRatio,
    Spread diskBaseline,
    Spread ackP50,
    Spread ackP99,
    Spread ackP999,
    Spread endToEndP99,
    Spread hiccupP99,
    Spread allocatedBytesPerRecord)
{
    public static Headline of(final List<RunResult> runs)
    {
        return new Headline(
            spread(runs, run -> run.throughput().achievedRate()),
            spread(runs, run -> run.throughput().mebibytesPerSecond()),
            spread(runs, run -> run.platform().diskRatio()),
            spread(runs, run -> run.platform().baseline().diskWriteBytesPerSecond()),
            spread(runs, run -> run.latency().value(Latencies.ACK_WRITTEN, LatencySummary::p50)),
            spread(runs, run -> run.latency().value(Latencies.ACK_WRITTEN, LatencySummary::p99)),
            spread(runs, run -> run.latency().value(Latencies.ACK_WRITTEN, LatencySummary::p999)),
            spread(runs, run -> run.latency().value(Latencies.END_TO_END, LatencySummary::p99)),
            spread(runs, run -> run.latency().value(Latencies.HICCUP, LatencySummary::p99)),
            spread(runs, run -> run.platform().allocatedBytesPerRecord()));
    }

    private static Spread spread(final List<RunResult> runs, final ToDoubleFunction<RunResult> figure)
    {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }
}
