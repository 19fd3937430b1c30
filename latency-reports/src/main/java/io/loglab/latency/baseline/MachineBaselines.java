package io.loglab.latency.baseline;

import io.loglab.latency.result.Baselines;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures D and N together, with the bounds a suite uses, for {@link Baselines}.
 */
public final class MachineBaselines
{
    public static final int WRITE_BYTES = 1024 * 1024;
    // Long enough to pass the kernel's dirty-page limits, so D is the rate writes sustain once writeback throttles
    // them, which is what a run of several seconds meets too, not the first second's page-cache burst.
    private static final long DISK_MAX_BYTES = 8L * 1024 * 1024 * 1024;
    private static final long DISK_MAX_MILLIS = 6_000;
    private static final long LOOPBACK_MAX_BYTES = 1024L * 1024 * 1024;
    private static final long LOOPBACK_MAX_MILLIS = 3_000;

    private MachineBaselines()
    {
    }

    /**
     * @param dir where the disk baseline writes: the directory the engine's logs will use.
     */
    public static Baselines measure(final Path dir) throws IOException, InterruptedException
    {
        final double disk = DiskBaseline.measure(dir, WRITE_BYTES, DISK_MAX_BYTES, DISK_MAX_MILLIS);
        final double loopback = LoopbackBaseline.measure(LOOPBACK_MAX_BYTES, LOOPBACK_MAX_MILLIS);
        return new Baselines(disk, loopback, WRITE_BYTES, String.format(
            "D: sequential FileChannel.write of %d-byte direct buffers to one file in %s, no fsync, up to %d MiB " +
            "or %d ms; N: one TCP connection over 127.0.0.1 with a drain thread, %d-byte writes, up to %d MiB or " +
            "%d ms", WRITE_BYTES, dir, DISK_MAX_BYTES >> 20, DISK_MAX_MILLIS, LoopbackBaseline.WRITE_BYTES,
            LOOPBACK_MAX_BYTES >> 20, LOOPBACK_MAX_MILLIS));
    }
}
