package io.loglab.latency.result;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A run's latency figures by kind: the percentile summary and the percentile curve of each kind measured.
 *
 * @param summaries     by kind: count and percentiles in microseconds.
 * @param distributions by the same kinds: the percentile curve for the nines chart.
 */
public record Latencies(Map<String, LatencySummary> summaries, Map<String, List<PercentilePoint>> distributions)
{
    /** Intended send time to the producer seeing its append acknowledged as written. */
    public static final String ACK_WRITTEN = "ack-written";
    /** Intended send time to the partition's durable end offset passing the record. */
    public static final String ACK_DURABLE = "ack-durable";
    /** Intended send time to a consumer reading the record. */
    public static final String END_TO_END = "end-to-end";
    /** Intended send time to the record being added to a batch: how far the producer fell behind. */
    public static final String SEND_DELAY = "send-delay";
    /** The platform's own stalls: how late an idle thread woke from a short sleep (jHiccup's method). */
    public static final String HICCUP = "hiccup";

    /**
     * @return one figure of {@code kind}'s summary ({@code LatencySummary::p99}), or NaN when the run has no samples
     *         of it.
     */
    public double value(final String kind, final ToDoubleFunction<LatencySummary> figure)
    {
        final LatencySummary summary = summaries.get(kind);
        return summary == null || summary.count() == 0 ? Double.NaN : figure.applyAsDouble(summary);
    }
}
