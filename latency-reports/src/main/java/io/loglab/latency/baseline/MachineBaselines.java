package io.loglab.latency.baseline;

import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.DiskRate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The bounds of the machine baselines a suite measures: N once per suite ({@link #loopback}), D beside every
 * closed-loop run ({@link #disk}), so each run's disk ratio comes from the disk's state at that run, not at the
 * suite's start.
 */
public final class MachineBaselines
{
    public static final int WRITE_BYTES = 1024 * 1024;
    // Counted from the third second: the first two fill free page cache at memory speed; after them writes meet the
    // kernel's dirty-page throttling, which is the rate a run's measured period (after its warm-up) meets too.
    // Four seconds in all beside each closed-loop run keeps the quick suite near a minute.
    private static final long DISK_MAX_BYTES = 8L * 1024 * 1024 * 1024;
    private static final long DISK_WARMUP_MILLIS = 2_000;
    private static final long DISK_MEASURE_MILLIS = 2_000;
    private static final long LOOPBACK_MAX_BYTES = 1024L * 1024 * 1024;
    private static final long LOOPBACK_MAX_MILLIS = 3_000;

    private MachineBaselines()
    {
    }

    /**
     * N, with no D: a suite measures it once, and each closed-loop run adds its own D.
     */
    public static Baselines loopback() throws IOException, InterruptedException
    {
        final double loopback = LoopbackBaseline.measure(LOOPBACK_MAX_BYTES, LOOPBACK_MAX_MILLIS);
        return Baselines.loopbackOnly(loopback, String.format(
            "N: one TCP connection over 127.0.0.1 with a drain thread, %d-byte writes, up to %d MiB or %d ms, once " +
            "per suite", LoopbackBaseline.WRITE_BYTES, LOOPBACK_MAX_BYTES >> 20, LOOPBACK_MAX_MILLIS));
    }

    /**
     * D in {@code dir}, the directory the engine's logs will use, measured just before a closed-loop run.
     */
    public static DiskRate disk(final Path dir) throws IOException
    {
        final double disk = DiskBaseline.measure(dir, WRITE_BYTES, DISK_MAX_BYTES, DISK_WARMUP_MILLIS,
            DISK_MEASURE_MILLIS);
        return new DiskRate(disk, WRITE_BYTES, String.format(
            "D: sequential FileChannel.write of %d-byte direct buffers to one file in %s, no fsync, just before " +
            "this run: %d ms written and not counted, then %d ms measured, up to %d MiB in all", WRITE_BYTES, dir,
            DISK_WARMUP_MILLIS, DISK_MEASURE_MILLIS, DISK_MAX_BYTES >> 20));
    }
}
