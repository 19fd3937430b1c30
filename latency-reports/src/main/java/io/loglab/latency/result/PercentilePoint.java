package io.loglab.latency.result;

/**
 * One point of a percentile distribution for the "nines" chart: percentile, and latency in microseconds.
 */
public record PercentilePoint(double percentile, double micros)
{
}
