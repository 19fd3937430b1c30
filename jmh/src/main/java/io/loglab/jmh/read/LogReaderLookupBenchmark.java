package io.loglab.jmh.read;

import io.loglab.engine.log.LogReader;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.PrefilledLog;
import org.agrona.CloseHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Finding data, not moving it: {@link LogReader#read} with {@code maxBytes} of one batch at random offsets (segment
 * search, sparse offset index, header scan), and {@link LogReader#offsetForTimestamp} at random timestamps (time
 * index, then a walk of one batch's records). The log holds {@code logBytes} of 16 KiB batches of 100-byte records in
 * 64 MiB segments, so lookups cross segments. Targets are drawn up front from a fixed seed, the same every run, and
 * cycled, so the random generator is not measured.
 * <p>
 * Score: lookups per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class LogReaderLookupBenchmark
{
    private static final int BATCH_BYTES = 16 * 1024;
    private static final int RECORD_SIZE = 100;
    private static final int SEGMENT_BYTES = 64 * 1024 * 1024;
    /** A power of two, so the cursor wraps with a mask; many more than fit in a CPU cache's worth of index pages. */
    private static final int TARGETS = 64 * 1024;
    private static final long SEED = 42;

    /** Size of the pre-filled log, in page cache. */
    @Param({"268435456"})
    long logBytes;

    private PrefilledLog prefilled;
    private LogReader reader;
    private int oneBatch;
    private final long[] offsets = new long[TARGETS];
    private final long[] timestamps = new long[TARGETS];
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        prefilled = PrefilledLog.create("loglab-lookup-", logBytes, BATCH_BYTES, RECORD_SIZE, SEGMENT_BYTES);
        reader = prefilled.log().newReader();
        oneBatch = prefilled.maxBatchLength();
        final SplittableRandom random = new SplittableRandom(SEED);
        final long endOffset = prefilled.log().logEndOffset();
        for (int i = 0; i < TARGETS; i++)
        {
            offsets[i] = random.nextLong(endOffset);
            timestamps[i] = random.nextLong(prefilled.firstTimestamp(), prefilled.lastTimestamp() + 1);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(prefilled);
    }

    @Benchmark
    public long readOneBatch() throws IOException
    {
        final long offset = offsets[next];
        next = (next + 1) & (TARGETS - 1);
        if (reader.read(offset, oneBatch) != LogReader.OK || reader.length() == 0)
        {
            throw new IllegalStateException("offset " + offset + " not found");
        }
        return reader.position();
    }

    @Benchmark
    public long offsetForTimestamp() throws IOException
    {
        final long timestamp = timestamps[next];
        next = (next + 1) & (TARGETS - 1);
        final long offset = reader.offsetForTimestamp(timestamp);
        if (offset == LogReader.NO_OFFSET)
        {
            throw new IllegalStateException("timestamp " + timestamp + " not found");
        }
        return offset;
    }
}
