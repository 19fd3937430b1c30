package io.loglab.jmh.append;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.AppendWindow;
import io.loglab.engine.producer.ProducerListener;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import io.loglab.jmh.support.Batches;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.BenchLogs;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.RecordCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Writer shards against one writer thread per partition: a producer thread offers pre-built batches to each of
 * {@code partitions} partitions in turn through the producer client's {@link AppendWindow}s, keeping {@code window}
 * requests in flight over all partitions and reusing each once it completes.
 * {@code writerThreads=0} gives every partition a writer thread of its own (the layout before shards);
 * {@code cores} spreads the partitions over one writer thread per available core (the default). Partitions are opened
 * in the trial's setup, so no measured offer pays for a lazy open.
 * <p>
 * Scores: the primary score is offers per second; {@code :records} and {@code :bytes} ({@link RecordCounters}) count
 * completed appends only, in records/s and bytes/s; {@code :writerThreads} is the number of writer threads running
 * (an event count, the same each iteration). Compare each {@code partitions} value's two layouts in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class ShardedAppendBenchmark
{
    /** The {@code writerThreads} value for the engine's default: one writer thread per available core. */
    public static final String CORES = "cores";

    @Param({"1", "3", "64", "1000"})
    int partitions;

    /** {@code 0} for one writer thread per partition, or {@link #CORES}. */
    @Param({"0", CORES})
    String writerThreads;

    /** Value bytes per record; a record adds 7 to 9 bytes of framing. */
    @Param({"1024"})
    int recordSize;

    /** Batch capacity in bytes, or {@code 1rec} for one record per batch. */
    @Param({"65536"})
    String batchBytes;

    /** {@code every}, {@code interval:MS} or {@code os}, as {@code --flush} spells it. */
    @Param({"os"})
    String flush;

    /** Requests in flight, spread over the partitions in turn. */
    @Param({"64"})
    int window;

    private Path dir;
    private LogManager manager;
    private Partition[] targets;
    private int writerThreadCount;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = BenchDirectory.create("loglab-sharded-append-");
        final LogManagerContext context = new LogManagerContext().dataDir(dir);
        if (!CORES.equals(writerThreads))
        {
            context.writerThreads(Integer.parseInt(writerThreads));
        }
        manager = LogManager.open(context);
        final Topic topic = manager.createTopic("bench", partitions, BenchLogs.appendConfig(flush));
        targets = new Partition[partitions];
        for (int p = 0; p < partitions; p++)
        {
            targets[p] = topic.partition(p);
            // Open the log now (it opens on first use), outside the measurement.
            targets[p].logEndOffset();
        }
        writerThreadCount = manager.writerThreadCount();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (manager != null)
        {
            // Lets the writers append what is still in flight, then closes the logs cleanly.
            manager.close();
        }
        BenchDirectory.delete(dir);
    }

    /**
     * The writer threads running: set on every call (a plain store), so the iteration reports the count itself.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class ThreadCount
    {
        public long writerThreads;
    }

    /**
     * The producer's window of requests on each partition, each buffer holding its own copy of the batch (the writer
     * stamps it in place), copied in on the request's first use and offered as it is from then on. Each partition's
     * window holds its share of {@code window}, and at most {@code window} requests are in flight over all of them.
     */
    @State(Scope.Thread)
    public static class Producer implements ProducerListener
    {
        AppendWindow[] windows;
        int[] filled;
        ByteBuffer template;
        int batchLength;
        int window;
        int inFlight;
        int nextPartition;
        RecordCounters counters;

        @Setup(Level.Trial)
        public void setup(final ShardedAppendBenchmark benchmark)
        {
            template = Batches.build(benchmark.recordSize, benchmark.batchBytes, System.currentTimeMillis());
            batchLength = template.remaining();
            window = benchmark.window;
            final int perPartition = (window + benchmark.partitions - 1) / benchmark.partitions;
            windows = new AppendWindow[benchmark.partitions];
            filled = new int[benchmark.partitions];
            for (int p = 0; p < windows.length; p++)
            {
                windows[p] = new AppendWindow(p, benchmark.targets[p], perPartition, batchLength);
            }
        }

        @Override
        public void onAcknowledged(
            final int partition,
            final long baseOffset,
            final long lastOffset,
            final int recordCount,
            final int sizeInBytes,
            final boolean durable)
        {
            inFlight--;
            counters.records += recordCount;
            counters.bytes += sizeInBytes;
        }

        @Override
        public void onFailed(final int partition, final int recordCount, final Throwable cause)
        {
            throw new IllegalStateException("append failed", cause);
        }
    }

    @Benchmark
    @Threads(1)
    public void oneProducer(final Producer producer, final RecordCounters counters, final ThreadCount threads)
    {
        producer.counters = counters;
        final int partition = producer.nextPartition;
        producer.nextPartition = partition + 1 == targets.length ? 0 : partition + 1;
        final AppendWindow window = producer.windows[partition];
        // Yield rather than spin: a writer thread may need this core to complete a request.
        while ((window.isFull() || producer.inFlight == producer.window) && collect(producer, partition) == 0)
        {
            Thread.yield();
        }
        final UnsafeBuffer buffer = window.claim(producer.batchLength);
        if (producer.filled[partition] < window.capacity())
        {
            buffer.putBytes(0, producer.template, 0, producer.batchLength);
            producer.filled[partition]++;
        }
        int result;
        while ((result = window.offer(producer.batchLength)) == Partition.BACK_PRESSURED)
        {
            Thread.yield();
        }
        if (result != Partition.OFFERED)
        {
            throw new IllegalStateException("offer returned " + result);
        }
        producer.inFlight++;
        threads.writerThreads = writerThreadCount;
    }

    /**
     * Report completed requests: the next partition's, if its window is full; otherwise the first that reports any,
     * from the partition that was offered {@code window} requests ago (the oldest in flight, as a rule) on.
     *
     * @return requests reported.
     */
    private int collect(final Producer producer, final int next)
    {
        final AppendWindow[] windows = producer.windows;
        if (windows[next].isFull())
        {
            return windows[next].poll(producer);
        }
        int partition = Math.floorMod(next - producer.window, windows.length);
        for (int i = 0; i < windows.length; i++)
        {
            final int reported = windows[partition].poll(producer);
            if (reported > 0)
            {
                return reported;
            }
            partition = partition + 1 == windows.length ? 0 : partition + 1;
        }
        return 0;
    }
}
