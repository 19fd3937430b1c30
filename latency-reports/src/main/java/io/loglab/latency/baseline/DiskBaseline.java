package io.loglab.latency.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * D, the disk baseline of one closed-loop run: sequential {@code FileChannel} writes of a fixed size to files in the
 * run's directory, without fsync, so the page cache is in play as it is for flush=os, writing the bytes the run
 * wrote in the shape it wrote them ({@link WriteShape}): its warm-up's bytes paced evenly over its warm-up's time
 * and not counted, then its measured period's bytes as fast as they go, timed; keeping on disk what the run's log kept
 * ({@link LogFootprint}).
 * <p>
 * Why that shape: a write rate on this kind of machine depends on how full the kernel's dirty page cache is. Writes
 * land in free page cache at memory speed until the dirty limits throttle them to what writeback sustains, and a
 * run of some seconds is measured partly before and partly after that point. A baseline written for a fixed time
 * fills the cache faster than the engine does and so meets the throttle at another moment of its window: a run
 * could beat it (a run at 126% of a D measured right before it). Writing the same bytes from the same state, with
 * the warm-up paced as the run's was, and keeping what the log kept, the raw loop sees the dirty levels the run saw:
 * while they stay under the limits it is the ceiling, and the ratio says how close the engine came to raw writes of
 * its own work. Past the limits it is not: the faster raw loop meets them sooner and is throttled harder, and a run
 * can beat its D (see docs/benchmarks.md). The files are deleted afterwards (which drops their pages, dirty or not).
 */
public final class DiskBaseline
{
    /**
     * D and the bytes it was measured over.
     *
     * @param bytesPerSecond measured bytes over the time they took.
     * @param measuredBytes  bytes counted: the shape's measured bytes rounded up to whole writes, or fewer when the
     *                       time bound ended the writes.
     */
    public record Result(double bytesPerSecond, long measuredBytes)
    {
    }

    private DiskBaseline()
    {
    }

    /**
     * @param writeBytes     size of each write.
     * @param shape          what to write: warm-up bytes over the warm-up's time, then the measured bytes.
     * @param maxMeasureNanos stop the measured writes after this long, and rate what was written.
     */
    public static Result measure(final Path dir, final int writeBytes, final WriteShape shape,
        final long maxMeasureNanos) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(writeBytes);
        for (int i = 0; i < writeBytes; i++)
        {
            buffer.put(i, (byte)i);
        }
        try (RetainedFiles files = new RetainedFiles(dir, shape.kept()))
        {
            writePaced(files, buffer, shape.warmupBytes(), shape.warmupNanos());
            final long start = System.nanoTime();
            final long deadline = start + maxMeasureNanos;
            long written = 0;
            long now = start;
            while (written < shape.measureBytes() && now - deadline < 0)
            {
                written += files.write(buffer.clear());
                now = System.nanoTime();
            }
            return new Result(written == 0 ? Double.NaN : written / ((now - start) / 1e9), written);
        }
    }

    /**
     * Write {@code bytes} spread evenly over {@code nanos}: write {@code k} is not started before {@code k/n} of it.
     */
    private static void writePaced(final RetainedFiles files, final ByteBuffer buffer, final long bytes,
        final long nanos) throws IOException
    {
        final long start = System.nanoTime();
        long written = 0;
        while (written < bytes)
        {
            final long dueNanos = start + (long)(nanos * ((double)written / bytes));
            long now;
            while ((now = System.nanoTime()) - dueNanos < 0)
            {
                LockSupport.parkNanos(dueNanos - now);
            }
            written += files.write(buffer.clear());
        }
    }
}
