package io.loglab.jmh.record;

import io.loglab.jmh.support.Batches;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The batch the record benchmarks encode, validate or decode: {@code recordSize}-byte values filling a
 * {@code batchBytes} batch, in a direct buffer as producers hand them to a partition. Built once per trial.
 */
@State(Scope.Thread)
public class BatchShape
{
    /** Value bytes per record; a record adds 7 to 9 bytes of framing. */
    @Param({"100", "1024"})
    int recordSize;

    @Param({"16384", "65536"})
    int batchBytes;

    ByteBuffer batch;
    UnsafeBuffer batchView;
    UnsafeBuffer value;
    int recordCount;

    @Setup
    public void setup()
    {
        batch = Batches.build(recordSize, Integer.toString(batchBytes), System.currentTimeMillis());
        batchView = new UnsafeBuffer(batch);
        value = Batches.value(recordSize);
        recordCount = Batches.recordCount(batch);
    }
}
