package io.loglab.latency.result;

/**
 * One measurement of D, the sustained sequential write rate.
 *
 * @param bytesPerSecond over the measured window, warm-up excluded.
 * @param writeBytes     size of each write.
 * @param method         how it was measured, in words.
 */
public record DiskRate(double bytesPerSecond, int writeBytes, String method)
{
}
