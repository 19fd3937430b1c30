package io.loglab.latency.replication;

import io.loglab.latency.result.Spread;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One configuration of a replication suite over its repetitions, as every form of the report gives it: each figure's
 * median and range, the records refused by why, the article's bound beside the closed-loop runs that have one, and
 * the first acks=all repetition's stages.
 *
 * @param refused records not acknowledged as committed over every repetition, by why.
 * @param bound   null when no repetition was measured against the bound.
 * @param stages  the first repetition's that has them; empty for acks=1.
 */
record ReplicationSummary(ReplicationWorkload workload, int repetitions, Spread recordsPerSecond, Spread p50Micros,
    Spread p90Micros, Spread p99Micros, Spread p999Micros, Spread p9999Micros, Spread maxMicros,
    Map<String, Long> refused, Bound bound, List<StageLatency> stages)
{
    /**
     * The closed-loop repetitions that were measured against the article's bound: what they acknowledged, the bound
     * and its inputs, and the fraction of it they reached.
     */
    record Bound(Spread recordsPerSecond, Spread boundRecordsPerSecond, Spread percentOfBound,
        Spread diskMegabytesPerSecond, Spread loopbackMegabytesPerSecond, Spread logBytesPerRecord)
    {
        static Bound of(final List<ReplicationMeasurement> runs)
        {
            final List<ReplicationMeasurement> bounded = runs.stream().filter(run -> run.bound() != null).toList();
            return bounded.isEmpty() ? null : new Bound(spread(bounded, ReplicationMeasurement::recordsPerSecond),
                spread(bounded, run -> run.bound().recordsPerSecond()),
                spread(bounded, run -> 100 * run.bound().fraction()),
                spread(bounded, run -> run.bound().baselines().diskWriteBytesPerSecond() / 1e6),
                spread(bounded, run -> run.bound().baselines().loopbackBytesPerSecond() / 1e6),
                spread(bounded, ReplicationMeasurement::logBytesPerRecord));
        }
    }

    /**
     * Each workload's summary over its runs among {@code measured}, in the workloads' order.
     */
    static List<ReplicationSummary> of(final List<ReplicationWorkload> workloads,
        final List<ReplicationMeasurement> measured)
    {
        return workloads.stream().map(workload -> of(workload,
            measured.stream().filter(run -> run.workload().equals(workload)).toList())).toList();
    }

    private static ReplicationSummary of(final ReplicationWorkload workload, final List<ReplicationMeasurement> runs)
    {
        final Map<String, Long> refused = new TreeMap<>();
        runs.forEach(run -> run.refused().forEach((why, count) -> refused.merge(why, count, Long::sum)));
        return new ReplicationSummary(workload, runs.size(), spread(runs, ReplicationMeasurement::recordsPerSecond),
            spread(runs, ReplicationMeasurement::p50Micros), spread(runs, ReplicationMeasurement::p90Micros),
            spread(runs, ReplicationMeasurement::p99Micros), spread(runs, ReplicationMeasurement::p999Micros),
            spread(runs, ReplicationMeasurement::p9999Micros), spread(runs, ReplicationMeasurement::maxMicros),
            refused, Bound.of(runs), runs.stream().map(ReplicationMeasurement::stages).filter(s -> !s.isEmpty())
            .findFirst().orElse(List.of()));
    }

    private static Spread spread(final List<ReplicationMeasurement> runs,
        final ToDoubleFunction<ReplicationMeasurement> figure)
    {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }
}
