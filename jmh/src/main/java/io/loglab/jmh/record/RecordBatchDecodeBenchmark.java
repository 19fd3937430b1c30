package io.loglab.jmh.record;

import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.RecordCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * A consumer's decode path: a {@link RecordBatch} flyweight over the batch and a {@link Record} flyweight wrapped on
 * every record in turn, reading the fields a consumer would hand on (offset, timestamp, key and value positions and
 * lengths) into a {@link Blackhole} so none is optimised away. Must allocate nothing: with {@code -prof gc},
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
public class RecordBatchDecodeBenchmark
{
    private final RecordBatch batch = new RecordBatch();
    private final Record record = new Record();

    @Benchmark
    public void decode(final BatchShape shape, final RecordCounters counters, final Blackhole blackhole)
    {
        batch.wrap(shape.batchView, 0);
        final long baseOffset = batch.baseOffset();
        final long baseTimestamp = batch.baseTimestamp();
        final int limit = batch.limit();
        final int count = batch.recordsCount();
        int at = batch.recordsOffset();
        for (int i = 0; i < count; i++)
        {
            record.wrap(shape.batchView, at, limit, baseOffset, baseTimestamp);
            blackhole.consume(record.offset());
            blackhole.consume(record.timestamp());
            blackhole.consume(record.keyOffset() + record.keyLength());
            blackhole.consume(record.valueOffset() + record.valueLength());
            at += record.totalLength();
        }
        counters.records += count;
        counters.bytes += batch.totalLength();
    }
}
