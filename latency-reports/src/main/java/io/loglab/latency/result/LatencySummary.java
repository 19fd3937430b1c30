package io.loglab.latency.result;

import org.HdrHistogram.Histogram;

/**
 * The percentiles of one latency histogram, in microseconds. Histograms record nanoseconds.
 *
 * @param count samples recorded.
 */
public record LatencySummary(
    long count,
    double mean,
    double p50,
    double p90,
    double p99,
    double p999,
    double p9999,
    double max)
{
    public static final String UNIT = "us";

    public static LatencySummary of(final Histogram nanos)
    {
        if (nanos.getTotalCount() == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(
            nanos.getTotalCount(),
            nanos.getMean() / 1000.0,
            micros(nanos, 50),
            micros(nanos, 90),
            micros(nanos, 99),
            micros(nanos, 99.9),
            micros(nanos, 99.99),
            nanos.getMaxValue() / 1000.0);
    }

    private static double micros(final Histogram nanos, final double percentile)
    {
        return nanos.getValueAtPercentile(percentile) / 1000.0;
    }
}
