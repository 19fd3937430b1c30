package io.loglab.jmh.append;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.jmh.support.ByteCounters;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.BenchLogs;
import io.loglab.jmh.support.JvmFlags;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Baseline for the append benchmarks: what this JVM and disk do with a bare sequential {@code FileChannel.write}
 * loop in the same base directory, no engine in the way. Each call writes {@code writeBytes} from a direct buffer
 * (the size of a batch) and, under {@code flush=every}, forces the data with {@code force(false)} as the log does.
 * The file rolls at the log's segment size, and the oldest files are deleted as the log's retention deletes
 * segments, so the loop keeps as much data (and page cache) as the log it is compared with.
 * <p>
 * Scores: the primary score is writes per second; {@code :bytes} is bytes/s, the figure the appends' {@code :bytes}
 * reads as a fraction of.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class FileChannelWriteBenchmark
{
    @Param({"16384", "65536", "262144", "1048576"})
    int writeBytes;

    /** {@code os}: never force; {@code every}: {@code force(false)} after each write. */
    @Param({"os", "every"})
    String flush;

    private Path dir;
    private ByteBuffer buffer;
    private FileChannel channel;
    private Path file;
    private final ArrayDeque<Path> fullFiles = new ArrayDeque<>();
    private long fileBytes;
    private int fileIndex;
    private boolean force;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        final FlushPolicy policy = FlushPolicy.parse(flush);
        if (policy.onInterval())
        {
            throw new IllegalArgumentException("flush=" + flush + ": expected os or every");
        }
        force = policy.durableOnWrite();
        dir = BenchDirectory.create("loglab-file-write-");
        final byte[] bytes = new byte[writeBytes];
        new SplittableRandom(42).nextBytes(bytes);
        buffer = ByteBuffer.allocateDirect(writeBytes).put(bytes);
        openNextFile();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(channel);
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public void write(final ByteCounters counters) throws IOException
    {
        buffer.clear();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        if (force)
        {
            channel.force(false);
        }
        fileBytes += writeBytes;
        counters.bytes += writeBytes;
        if (fileBytes + writeBytes > BenchLogs.SEGMENT_BYTES)
        {
            channel.close();
            fullFiles.addLast(file);
            // As the log's retention does: drop the oldest while the rest still hold retention.bytes.
            while ((long)(fullFiles.size() - 1) * BenchLogs.SEGMENT_BYTES >= BenchLogs.RETENTION_BYTES)
            {
                Files.delete(fullFiles.pollFirst());
            }
            openNextFile();
        }
    }

    private void openNextFile() throws IOException
    {
        file = dir.resolve(String.format("%020d.log", fileIndex++));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileBytes = 0;
    }
}
