package io.loglab.jmh.read;

import io.loglab.engine.log.LogReader;
import io.loglab.jmh.support.ByteCounters;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.PrefilledLog;
import io.loglab.jmh.support.Sink;
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
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Serving reads: {@link LogReader#read} of up to {@code maxBytes} of whole batches, round-robin over a log pre-filled
 * with {@code logBytes} of 64 KiB batches (1 KiB records), then the region sent to a {@code target} (see
 * {@link Sink}) three ways: {@link LogReader#transferTo} (sendfile where the target allows it), or
 * {@link LogReader#copyTo} into a heap or a direct buffer followed by a write, the copying path. Writing a heap buffer
 * to a socket costs the JDK one more copy into a temporary direct buffer; that is part of what it measures.
 * <p>
 * Scores: the primary score is reads per second; {@code :bytes} is bytes/s delivered to the target, the figure to
 * compare with {@link FileChannelReadBenchmark} over the same segment file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class LogReadBenchmark
{
    @Param({"65536", "1048576"})
    int maxBytes;

    @Param({"discard", "devnull", "socket"})
    String target;

    /** Size of the pre-filled log: one segment, in page cache. */
    @Param({"268435456"})
    long logBytes;

    private PrefilledLog prefilled;
    private LogReader reader;
    private Sink sink;
    private ByteBuffer heapBuffer;
    private ByteBuffer directBuffer;
    private long offset;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        prefilled = ReadLogs.create("loglab-log-read-", logBytes);
        reader = prefilled.log().newReader();
        sink = Sink.open(target);
        // A read returns at least one batch, so the buffers take one even when maxBytes is smaller.
        final int capacity = Math.max(maxBytes, prefilled.maxBatchLength());
        heapBuffer = ByteBuffer.allocate(capacity);
        directBuffer = ByteBuffer.allocateDirect(capacity);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(sink, prefilled);
    }

    @Benchmark
    public long transferTo(final ByteCounters counters) throws IOException
    {
        readNext();
        final long sent = reader.transferTo(sink.channel());
        counters.bytes += sent;
        return sent;
    }

    @Benchmark
    public int copyToHeap(final ByteCounters counters) throws IOException
    {
        return copyAndWrite(heapBuffer, counters);
    }

    @Benchmark
    public int copyToDirect(final ByteCounters counters) throws IOException
    {
        return copyAndWrite(directBuffer, counters);
    }

    private int copyAndWrite(final ByteBuffer buffer, final ByteCounters counters) throws IOException
    {
        readNext();
        buffer.clear();
        reader.copyTo(buffer);
        final int length = reader.length();
        buffer.flip().limit(length);
        sink.writeFully(buffer);
        counters.bytes += length;
        return length;
    }

    private void readNext() throws IOException
    {
        if (reader.read(offset, maxBytes) != LogReader.OK || reader.length() == 0)
        {
            // Off the end: start again from the beginning.
            offset = prefilled.log().logStartOffset();
            if (reader.read(offset, maxBytes) != LogReader.OK)
            {
                throw new IllegalStateException("log start offset " + offset + " is out of range");
            }
        }
        offset = reader.nextOffset();
    }
}
