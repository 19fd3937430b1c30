package io.loglab.jmh.record;

import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.RecordCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The producer's encode path: {@link RecordBatchBuilder} wrapping a reused direct buffer, appending records until the
 * batch is full, and building it (header and CRC32C). Must allocate nothing: with {@code -prof gc},
 * {@code gc.alloc.rate.norm} should be about 0 B/op.
 * <p>
 * Scores: the primary score is batches per second (and {@code gc.alloc.rate.norm} is per batch); {@code :records}
 * is records/s and {@code :bytes} batch bytes/s (see {@link RecordCounters}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class RecordBatchBuildBenchmark
{
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final long timestamp = System.currentTimeMillis();
    private UnsafeBuffer target;

    @Setup
    public void setup(final BatchShape shape)
    {
        target = new UnsafeBuffer(ByteBuffer.allocateDirect(shape.batchBytes));
    }

    @Benchmark
    public int build(final BatchShape shape, final RecordCounters counters)
    {
        final UnsafeBuffer value = shape.value;
        builder.wrap(target, 0, shape.batchBytes);
        while (builder.tryAppend(timestamp, null, 0, 0, value, 0, value.capacity(), null))
        {
            // Fill to capacity, as a producer's batch is before it is sent.
        }
        final int length = builder.build();
        counters.records += builder.recordCount();
        counters.bytes += length;
        return length;
    }
}
