package io.loglab.latency.result;

/**
 * What the machine can do, measured in the same run as the engine figures it is compared with.
 *
 * @param diskWriteBytesPerSecond D: sequential FileChannel writes of {@code writeBytes} to the log's directory,
 *                                the page cache in play as it is for flush=os.
 * @param loopbackBytesPerSecond  N: bytes/s through a loopback TCP connection.
 * @param writeBytes              size of each write in the disk baseline.
 * @param method                  how they were measured, in words.
 */
public record Baselines(
    double diskWriteBytesPerSecond,
    double loopbackBytesPerSecond,
    int writeBytes,
    String method)
{
}
