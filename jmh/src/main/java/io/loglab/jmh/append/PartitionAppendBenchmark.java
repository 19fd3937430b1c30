package io.loglab.jmh.append;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.AppendWindow;
import io.loglab.engine.producer.ProducerListener;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.jmh.support.RecordCounters;
import io.loglab.jmh.support.Batches;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.BenchLogs;
import io.loglab.jmh.support.JvmFlags;
import org.agrona.concurrent.UnsafeBuffer;
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
 * The hand-off path: producer threads {@link Partition#offer} pre-built batches (validated on the producer, queued
 * through the MPSC queue) and the writer shard that owns the partition appends whatever it drains with one gathering
 * write. Each producer keeps {@code window} requests in flight in the producer client's {@link AppendWindow} and
 * reuses a request once it completes, so the benchmark measures sustained throughput, not the latency of one append.
 * <p>
 * Scores: the primary score is offers per second; {@code :records} and {@code :bytes} (see {@link RecordCounters})
 * count completed appends only, in records/s and bytes/s, summed over producers. Compare them with
 * {@link PartitionLogAppendBenchmark}, the writer alone. The writer thread is one more runnable thread: on a machine
 * with two cores, {@code fourProducers} oversubscribes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class PartitionAppendBenchmark
{
    /** Value bytes per record; a record adds 7 to 9 bytes of framing. */
    @Param({"100", "1024"})
    int recordSize;

    /** Batch capacity in bytes, or {@code 1rec} for one record per batch. */
    @Param({Batches.ONE_RECORD, "16384", "65536", "262144"})
    String batchBytes;

    /** {@code every}, {@code interval:MS} or {@code os}, as {@code --flush} spells it. */
    @Param({"os", "interval:100", "every"})
    String flush;

    /** Requests each producer keeps in flight; with four producers, a quarter of the engine's 1024-slot queue. */
    @Param({"64"})
    int window;

    private Path dir;
    private LogManager manager;
    private Partition partition;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = BenchDirectory.create("loglab-partition-append-");
        manager = LogManager.open(new LogManagerContext().dataDir(dir));
        partition = manager.createTopic("bench", 1, BenchLogs.appendConfig(flush)).partition(0);
        // The log opens on first use: open it now, outside the measurement.
        partition.logEndOffset();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (manager != null)
        {
            // Lets the writer append what is still in flight, then closes the log cleanly.
            manager.close();
        }
        BenchDirectory.delete(dir);
    }

    /**
     * One producer thread's window of requests, each buffer holding its own copy of the batch (the writer stamps it
     * in place), copied in on the request's first use and offered as it is from then on.
     */
    @State(Scope.Thread)
    public static class Producer implements ProducerListener
    {
        AppendWindow window;
        ByteBuffer template;
        int batchLength;
        int filled;
        RecordCounters counters;

        @Setup(Level.Trial)
        public void setup(final PartitionAppendBenchmark benchmark)
        {
            template = Batches.build(benchmark.recordSize, benchmark.batchBytes, System.currentTimeMillis());
            batchLength = template.remaining();
            window = new AppendWindow(0, benchmark.partition, benchmark.window, batchLength);
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
    public void oneProducer(final Producer producer, final RecordCounters counters)
    {
        offerNext(producer, counters);
    }

    @Benchmark
    @Threads(4)
    public void fourProducers(final Producer producer, final RecordCounters counters)
    {
        offerNext(producer, counters);
    }

    private static void offerNext(final Producer producer, final RecordCounters counters)
    {
        final AppendWindow window = producer.window;
        producer.counters = counters;
        // Yield rather than spin: the writer thread may need this core to complete the oldest request.
        while (window.isFull() && window.poll(producer) == 0)
        {
            Thread.yield();
        }
        final UnsafeBuffer buffer = window.claim(producer.batchLength);
        if (producer.filled < window.capacity())
        {
            buffer.putBytes(0, producer.template, 0, producer.batchLength);
            producer.filled++;
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
    }
}
