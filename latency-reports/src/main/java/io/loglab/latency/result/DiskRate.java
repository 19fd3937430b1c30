package io.loglab.latency.result;

/**
 * One measurement of D, raw sequential writes of a run's own log bytes.
 *
 * @param bytesPerSecond over the run's measured bytes, its warm-up's excluded; NaN when nothing was measured.
 * @param writeBytes     size of each write.
 * @param method         how it was measured, in words.
 */
public record DiskRate(double bytesPerSecond, int writeBytes, String method)
{
}
