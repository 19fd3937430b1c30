package io.loglab.latency.result;

/**
 * One sample of a time series: seconds since the measured period began (negative during warm-up), and a value.
 */
public record TimePoint(double seconds, double value)
{
}
