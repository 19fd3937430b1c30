package io.loglab.latency.harness;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One reusable batch of a producer: its buffer, the engine request that carries it, and the intended send time of
 * each record in it, kept until the batch is acknowledged. Allocated once; filled, sealed, sent, acknowledged and
 * cleared again for the whole run.
 * <p>
 * Threading: the producer thread owns it, except between {@link AppendTarget#offer} and completion, when the
 * partition's writer owns the buffer (the request's release/acquire status publishes it back).
 */
final class OutboundBatch
{
    private final int capacity;
    private final ByteBuffer buffer;
    private final UnsafeBuffer view;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final AppendRequest request = new AppendRequest();
    private final long[] intendedNanos;
    private int count;
    private long firstAddedNanos;
    private int sealedLength;

    /**
     * @param capacity    bytes of the batch, header included.
     * @param valueLength bytes of every record's value; bounds how many records fit.
     */
    OutboundBatch(final int capacity, final int valueLength)
    {
        this.capacity = capacity;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.view = new UnsafeBuffer(buffer);
        final int smallestRecord = RecordBatchBuilder.recordLength(0, 0, -1, valueLength, null);
        this.intendedNanos = new long[Math.max(1, (capacity - RecordBatchDescriptor.HEADER_LENGTH) / smallestRecord)];
        clear();
    }

    /**
     * Append a record if it fits.
     *
     * @param intendedNanos when the record was meant to be sent; kept for its latencies.
     * @param nowNanos      the time it is added; starts the linger clock when it is the first.
     * @return false, with nothing added, when the batch is sealed or the record does not fit.
     */
    boolean tryAdd(
        final long timestampMs,
        final DirectBuffer value,
        final int valueLength,
        final long intendedNanos,
        final long nowNanos)
    {
        if (sealedLength > 0 || count == this.intendedNanos.length ||
            !builder.tryAppend(timestampMs, null, 0, 0, value, 0, valueLength, null))
        {
            return false;
        }
        if (count == 0)
        {
            firstAddedNanos = nowNanos;
        }
        this.intendedNanos[count++] = intendedNanos;
        return true;
    }

    /**
     * Write the batch header and make the request point at the finished batch. Idempotent.
     */
    void seal()
    {
        if (sealedLength == 0)
        {
            sealedLength = builder.build();
            buffer.limit(sealedLength).position(0);
            request.batch(buffer);
        }
    }

    /**
     * Forget the records, ready to be filled again.
     */
    void clear()
    {
        buffer.clear();
        builder.wrap(view, 0, capacity);
        count = 0;
        sealedLength = 0;
    }

    boolean isEmpty()
    {
        return count == 0;
    }

    boolean isSealed()
    {
        return sealedLength > 0;
    }

    int recordCount()
    {
        return count;
    }

    long intendedNanos(final int index)
    {
        return intendedNanos[index];
    }

    long firstAddedNanos()
    {
        return firstAddedNanos;
    }

    /**
     * Bytes the sealed batch takes in the log.
     */
    int sealedLength()
    {
        return sealedLength;
    }

    AppendRequest request()
    {
        return request;
    }
}
