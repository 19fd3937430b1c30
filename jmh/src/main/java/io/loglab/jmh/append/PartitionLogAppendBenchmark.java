package io.loglab.jmh.append;

import io.loglab.engine.log.FileDeleter;
import io.loglab.engine.log.PartitionLog;
import io.loglab.jmh.support.RecordCounters;
import io.loglab.jmh.support.Batches;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The writer's own cost: {@link PartitionLog#append} called on the benchmark thread, which plays the partition's
 * writer thread, with one pre-built batch per call (stamped with its base offset and leader epoch, written, indexed,
 * published, and fsynced under {@code flush=every}). No queue, no validation, no other thread: the ceiling the
 * {@link PartitionAppendBenchmark} hand-off path is measured against.
 * <p>
 * Scores: the primary score is appends (batches) per second; {@code :records} is records/s and {@code :bytes} is
 * bytes/s (see {@link RecordCounters}), the figure to read against {@code FileChannelWriteBenchmark}'s bytes/s.
 * As the writer does, the benchmark thread fsyncs under {@code interval:MS} once MS has passed and applies retention
 * once a second, so segments roll and old ones go during long runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class PartitionLogAppendBenchmark
{
    private static final long RETENTION_CHECK_INTERVAL_MS = 1000;

    /** Value bytes per record; a record adds 7 to 9 bytes of framing. */
    @Param({"100", "1024"})
    int recordSize;

    /** Batch capacity in bytes, or {@code 1rec} for one record per batch. */
    @Param({Batches.ONE_RECORD, "16384", "65536", "262144"})
    String batchBytes;

    /** {@code every}, {@code interval:MS} or {@code os}, as {@code --flush} spells it. */
    @Param({"os", "interval:100", "every"})
    String flush;

    /**
     * Where retention's file deletions run: {@code background} (the engine's {@link FileDeleter} thread) or
     * {@code inline} (this thread, as the raw loop does), to see what freeing page cache on another core costs.
     */
    @Param({"background"})
    String deleter;

    private Path dir;
    private PartitionLog log;
    private final ByteBuffer[] batches = new ByteBuffer[1];
    private int recordsPerBatch;
    private int batchLength;
    private boolean flushOnInterval;
    private long flushIntervalMs;
    private long lastFlushMs;
    private long nextRetentionCheckMs;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = BenchDirectory.create("loglab-log-append-");
        log = PartitionLog.open(dir, BenchLogs.appendConfig(flush),
            deleter.equals("inline") ? Runnable::run : FileDeleter.shared(),
            PartitionLog.HighWatermarkPolicy.FOLLOWS_LOG_END);
        // One buffer reused for every append: the log stamps it in place and puts its position back.
        batches[0] = Batches.build(recordSize, batchBytes, System.currentTimeMillis());
        recordsPerBatch = Batches.recordCount(batches[0]);
        batchLength = batches[0].remaining();
        flushOnInterval = log.config().flushPolicy().onInterval();
        flushIntervalMs = log.config().flushPolicy().intervalMs();
        lastFlushMs = System.currentTimeMillis();
        nextRetentionCheckMs = lastFlushMs + RETENTION_CHECK_INTERVAL_MS;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(log);
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public int append(final RecordCounters counters) throws IOException
    {
        final long nowMs = System.currentTimeMillis();
        final int appended = log.append(batches, 0, 1, nowMs);
        if (flushOnInterval && nowMs - lastFlushMs >= flushIntervalMs)
        {
            lastFlushMs = nowMs;
            log.flush();
        }
        if (nowMs >= nextRetentionCheckMs)
        {
            nextRetentionCheckMs = nowMs + RETENTION_CHECK_INTERVAL_MS;
            log.applyRetention(nowMs);
        }
        counters.records += recordsPerBatch;
        counters.bytes += batchLength;
        return appended;
    }
}
