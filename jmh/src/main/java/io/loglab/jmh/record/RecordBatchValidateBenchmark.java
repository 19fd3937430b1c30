package io.loglab.jmh.record;

import io.loglab.engine.record.RecordBatchValidator;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * What every batch costs its producer in {@code Partition.offer}: {@link RecordBatchValidator#validate} on the
 * ByteBuffer, the CRC32C over the batch and a walk of every record's framing ({@code checkRecords = true}), and
 * {@code crcOnly}, the header and CRC alone, to split the two. Must allocate nothing: with {@code -prof gc},
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
public class RecordBatchValidateBenchmark
{
    private final RecordBatchValidator validator = new RecordBatchValidator();

    @Benchmark
    public void validate(final BatchShape shape, final RecordCounters counters)
    {
        validate(shape, counters, true);
    }

    @Benchmark
    public void crcOnly(final BatchShape shape, final RecordCounters counters)
    {
        validate(shape, counters, false);
    }

    private void validate(final BatchShape shape, final RecordCounters counters, final boolean checkRecords)
    {
        final ByteBuffer batch = shape.batch;
        validator.validate(batch, batch.position(), batch.remaining(), checkRecords);
        counters.records += shape.recordCount;
        counters.bytes += batch.remaining();
    }
}
