package io.loglab.cli;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Accumulates records into one batch per partition and hands full batches to the partition's writer, keeping a
 * fixed number in flight per partition and reusing their buffers: after warm-up, producing allocates nothing.
 * Not thread-safe: one producing thread.
 */
final class BatchingProducer implements AutoCloseable
{
    private final Topic topic;
    private final Partitioner partitioner;
    private final AckReporter reporter;
    private final int batchBytes;
    private final int inFlight;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private Slot[] slots = new Slot[0];
    private long records;
    private long bytes;

    /**
     * The batches of one partition: a ring of requests, the one at {@code current} being filled.
     */
    private final class Slot
    {
        final Partition partition;
        final AppendRequest[] requests = new AppendRequest[inFlight];
        final ByteBuffer[] buffers = new ByteBuffer[inFlight];
        final UnsafeBuffer[] views = new UnsafeBuffer[inFlight];
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        int current;

        Slot(final int partitionId)
        {
            partition = topic.partition(partitionId);
            for (int i = 0; i < inFlight; i++)
            {
                buffers[i] = ByteBuffer.allocateDirect(batchBytes);
                views[i] = new UnsafeBuffer(buffers[i]);
                requests[i] = new AppendRequest().listener(reporter.listener(partitionId));
            }
            builder.wrap(views[0], 0, batchBytes);
        }
    }

    BatchingProducer(
        final Topic topic,
        final Partitioner partitioner,
        final AckReporter reporter,
        final int batchBytes,
        final int inFlight)
    {
        this.topic = topic;
        this.partitioner = partitioner;
        this.reporter = reporter;
        this.batchBytes = batchBytes;
        this.inFlight = inFlight;
    }

    /**
     * Add a record to its partition's batch, sending the batch first when the record does not fit.
     *
     * @param keyBuffer   null for a null key.
     * @param valueBuffer null for a null value.
     */
    void send(
        final long timestamp,
        final DirectBuffer keyBuffer, final int keyOffset, final int keyLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        final int partitionCount = topic.partitionCount();
        final int partition = partitioner.partition(keyBuffer, keyOffset, keyLength, partitionCount);
        final Slot slot = slot(partition);
        if (!slot.builder.tryAppend(
            timestamp, keyBuffer, keyOffset, keyLength, valueBuffer, valueOffset, valueLength, null))
        {
            sendBatch(slot);
            partitioner.onBatchComplete(partition, partitionCount);
            if (!slot.builder.tryAppend(
                timestamp, keyBuffer, keyOffset, keyLength, valueBuffer, valueOffset, valueLength, null))
            {
                throw new IllegalArgumentException("a record with a " + Math.max(keyLength, 0) + "-byte key and " +
                    Math.max(valueLength, 0) + "-byte value does not fit in a batch of --batch-bytes=" + batchBytes);
            }
        }
        records++;
        bytes += Math.max(keyLength, 0) + Math.max(valueLength, 0);
    }

    private Slot slot(final int partition)
    {
        if (partition >= slots.length)
        {
            slots = Arrays.copyOf(slots, topic.partitionCount());
        }
        Slot slot = slots[partition];
        if (slot == null)
        {
            slot = new Slot(partition);
            slots[partition] = slot;
        }
        return slot;
    }

    private void sendBatch(final Slot slot)
    {
        final int length = slot.builder.build();
        final ByteBuffer buffer = slot.buffers[slot.current];
        buffer.limit(length).position(0);
        final AppendRequest request = slot.requests[slot.current].batch(buffer);
        idle.reset();
        int result;
        while ((result = slot.partition.offer(request)) == Partition.BACK_PRESSURED)
        {
            idle.idle();
        }
        if (result == Partition.CLOSED)
        {
            throw new IllegalStateException(slot.partition + " is closed");
        }
        slot.current = (slot.current + 1) % inFlight;
        awaitCompletion(slot, slot.current);
        slot.buffers[slot.current].clear();
        slot.builder.wrap(slot.views[slot.current], 0, batchBytes);
    }

    private void awaitCompletion(final Slot slot, final int index)
    {
        final AppendRequest request = slot.requests[index];
        if (request.batch() == null)
        {
            return;
        }
        idle.reset();
        while (!request.isDone())
        {
            idle.idle();
        }
        if (request.status() == AppendRequest.FAILED)
        {
            throw new IllegalStateException(
                "append to " + slot.partition + " failed: " + request.failure().getMessage(), request.failure());
        }
    }

    long records()
    {
        return records;
    }

    long bytes()
    {
        return bytes;
    }

    /**
     * Send every partial batch and wait until every batch in flight is acknowledged.
     */
    @Override
    public void close()
    {
        for (final Slot slot : slots)
        {
            if (slot != null)
            {
                if (!slot.builder.isEmpty())
                {
                    sendBatch(slot);
                }
                for (int i = 0; i < inFlight; i++)
                {
                    awaitCompletion(slot, i);
                }
            }
        }
    }
}
