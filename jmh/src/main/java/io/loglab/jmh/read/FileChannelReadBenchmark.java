package io.loglab.jmh.read;

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
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Baseline for {@link LogReadBenchmark}: the same segment file, the same targets, the same {@code maxBytes}, with no
 * engine in the way: a raw {@code FileChannel.transferTo} loop, and a raw positional read into a direct buffer
 * followed by a write. Chunks are exactly {@code maxBytes} and ignore batch boundaries (the log sends whole batches, a
 * little less), so compare {@code :bytes}, in bytes/s, rather than the primary score in calls per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class FileChannelReadBenchmark
{
    @Param({"65536", "1048576"})
    int maxBytes;

    @Param({"discard", "devnull", "socket"})
    String target;

    /** Size of the pre-filled log: one segment, in page cache. */
    @Param({"268435456"})
    long logBytes;

    private PrefilledLog prefilled;
    private FileChannel file;
    private long fileSize;
    private Sink sink;
    private ByteBuffer buffer;
    private long position;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        prefilled = ReadLogs.create("loglab-file-read-", logBytes);
        file = FileChannel.open(prefilled.firstSegmentFile(), StandardOpenOption.READ);
        fileSize = file.size();
        sink = Sink.open(target);
        buffer = ByteBuffer.allocateDirect(maxBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(sink, file, prefilled);
    }

    @Benchmark
    public long transferTo(final ByteCounters counters) throws IOException
    {
        final long length = nextChunk();
        long sent = 0;
        while (sent < length)
        {
            sent += file.transferTo(position + sent, length - sent, sink.channel());
        }
        position += length;
        counters.bytes += length;
        return length;
    }

    @Benchmark
    public long readWrite(final ByteCounters counters) throws IOException
    {
        final long length = nextChunk();
        buffer.clear().limit((int)length);
        while (buffer.hasRemaining())
        {
            if (file.read(buffer, position + buffer.position()) < 0)
            {
                throw new IOException("end of file at " + (position + buffer.position()));
            }
        }
        buffer.flip();
        sink.writeFully(buffer);
        position += length;
        counters.bytes += length;
        return length;
    }

    private long nextChunk()
    {
        if (position >= fileSize)
        {
            position = 0;
        }
        return Math.min(maxBytes, fileSize - position);
    }
}
