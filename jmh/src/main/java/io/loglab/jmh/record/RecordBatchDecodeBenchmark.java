package io.loglab.jmh.record;

import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordIterator;
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
 * A consumer's decode path: the {@link RecordIterator} every consumer uses, walking the batch's records with its
 * {@link Record} flyweight and reading the fields a consumer would hand on (offset, timestamp, key and value positions and
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
    private final RecordIterator records = new RecordIterator();

    @Benchmark
    public void decode(final BatchShape shape, final RecordCounters counters, final Blackhole blackhole)
    {
        records.wrap(shape.batchView, 0, shape.batch.limit());
        int count = 0;
        while (records.next())
        {
            final Record record = records.record();
            blackhole.consume(record.offset());
            blackhole.consume(record.timestamp());
            blackhole.consume(record.keyOffset() + record.keyLength());
            blackhole.consume(record.valueOffset() + record.valueLength());
            count++;
        }
        counters.records += count;
        counters.bytes += shape.batch.limit();
    }
}
