package io.loglab.latency.baseline;

import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.DiskRate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine baselines a suite measures: N once per suite ({@link #loopback}), D right after every closed-loop run
 * ({@link #disk}), from the run's own bytes, so each run's disk ratio compares it with raw writes of its own work
 * from the same state of the disk.
 */
public final class MachineBaselines
{
    public static final int WRITE_BYTES = 1024 * 1024;
    // The raw loop is at least as fast as the engine at every dirty-page level, so it normally finishes well within
    // the run's measured time; this bounds it when it does not.
    private static final long DISK_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
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
     * D in {@code dir}, the directory the run's log used, right after the run: its bytes, in its shape.
     */
    public static DiskRate disk(final Path dir, final WriteShape shape) throws IOException
    {
        final DiskBaseline.Result result = DiskBaseline.measure(dir, WRITE_BYTES, shape,
            shape.measureNanos() + DISK_SLACK_NANOS);
        return new DiskRate(result.bytesPerSecond(), WRITE_BYTES, String.format(
            "D: sequential FileChannel.write of %d-byte direct buffers to one file in %s, no fsync, right after " +
            "this run from the state it started in: its %d warm-up bytes paced over %d ms, not counted, then its " +
            "%d measured bytes as fast as they go, counted (%d written)", WRITE_BYTES, dir, shape.warmupBytes(),
            TimeUnit.NANOSECONDS.toMillis(shape.warmupNanos()), shape.measureBytes(), result.measuredBytes()));
    }
}
