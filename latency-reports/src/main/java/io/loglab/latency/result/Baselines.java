package io.loglab.latency.result;

/**
 * What the machine can do, measured in the same JVM as the engine figures it is compared with.
 *
 * @param diskWriteBytesPerSecond D: sequential FileChannel writes of {@code writeBytes} to the log's directory,
 *                                the page cache in play as it is for flush=os; NaN when not measured for this run.
 * @param loopbackBytesPerSecond  N: bytes/s through a loopback TCP connection.
 * @param writeBytes              size of each write in the disk baseline; 0 when not measured.
 * @param method                  how they were measured, in words.
 */
public record Baselines(
    double diskWriteBytesPerSecond,
    double loopbackBytesPerSecond,
    int writeBytes,
    String method)
{
    /**
     * N alone, as a suite measures it once; D comes per closed-loop run ({@link #withDisk}).
     */
    public static Baselines loopbackOnly(final double loopbackBytesPerSecond, final String method)
    {
        return new Baselines(Double.NaN, loopbackBytesPerSecond, 0, method);
    }

    /**
     * These baselines with D as measured after one run.
     */
    public Baselines withDisk(final DiskRate disk)
    {
        return new Baselines(disk.bytesPerSecond(), loopbackBytesPerSecond, disk.writeBytes(),
            disk.method() + "; " + method);
    }

    public boolean hasDisk()
    {
        return diskWriteBytesPerSecond > 0;
    }
}
