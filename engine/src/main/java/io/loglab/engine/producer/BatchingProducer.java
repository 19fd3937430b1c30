package io.loglab.engine.producer;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import static io.loglab.engine.record.Record.NULL_LENGTH;
import static io.loglab.engine.record.RecordBatchDescriptor.HEADER_LENGTH;

/**
 * The producer client: accumulates records into one uncompressed RecordBatch v2 per partition and sends a batch when
 * it is full, when its first record has waited {@link ProducerContext#lingerNs}, or when asked ({@link #sendNow},
 * {@link #flush}), keeping at most {@link ProducerContext#inFlightPerPartition} batches in flight per partition in an
 * {@link AppendWindow} of reusable requests. Outcomes reach the {@link ProducerListener} in order per partition.
 * Windows are created on a partition's first record, so a producer over a topic of a thousand partitions pays only
 * for those it uses; after warm-up nothing is allocated per record or per batch.
 * <p>
 * A record too large for a batch of {@code batchBytes} goes in a batch of its own sized for it (as Kafka's producer
 * does), up to {@code max.message.bytes}; a larger one is refused before anything is added.
 * <p>
 * When a partition's window is full, a <em>blocking</em> producer waits, collecting completions (and so calling the
 * listener) as it does; a <em>non-blocking</em> one returns {@link #BACK_PRESSURED} with nothing added, and collects
 * completions only in {@link #poll}, so an open-loop load generator knows exactly when it stalled.
 * <p>
 * An <em>ordered</em> producer sends batches strictly in the order of the records in them, across partitions: a
 * batch holds consecutive records of one partition, and the next batch (which may fill meanwhile) is offered only
 * once the one before it is acknowledged. After a failure it offers nothing more: every later batch is reported
 * failed, unsent. So the records stored are exactly a prefix of those sent. The price is one batch in flight at a
 * time, and for records whose partitions alternate (keyed input spread over several partitions, or round-robin), a
 * batch per run of records to one partition: down to one record per batch and one append round trip per record.
 * <p>
 * Threading: one producer thread calls everything; {@link AppendWindow} says how requests pass to the writers.
 */
public final class BatchingProducer
{
    /** {@link #send} found no room for the record and added nothing: poll, then try again. */
    public static final int BACK_PRESSURED = -1;

    private final Partition[] partitions;
    private final PartitionBatch[] batches;
    private final ProducerListener listener;
    private final BatchSender sender;
    private final Partitioner partitioner;
    private final NanoClock clock;
    private final int batchBytes;
    private final long lingerNs;
    private final int inFlightPerPartition;
    private final int maxRecordBytes;
    private final boolean blocking;
    private final IdleStrategy idleStrategy;

    /**
     * A producer over the partitions a topic has now (partitions added later are not seen).
     */
    public BatchingProducer(final Topic topic, final ProducerContext ctx)
    {
        this(partitionsOf(topic), ctx);
    }

    /**
     * A producer over some partitions, numbered by their index in the array; they must share one configuration.
     */
    public BatchingProducer(final Partition[] partitions, final ProducerContext ctx)
    {
        ctx.conclude();
        if (partitions.length == 0)
        {
            throw new IllegalArgumentException("a producer needs at least one partition");
        }
        final int maxMessageBytes = partitions[0].config().maxMessageBytes();
        this.maxRecordBytes = ctx.maxRecordBytes() == 0 ? maxMessageBytes : ctx.maxRecordBytes();
        if (maxRecordBytes > maxMessageBytes)
        {
            throw new IllegalArgumentException("maxRecordBytes=" + maxRecordBytes + " is larger than " +
                partitions[0] + "'s max.message.bytes=" + maxMessageBytes);
        }
        if (ctx.batchBytes() > maxRecordBytes)
        {
            throw new IllegalArgumentException("batchBytes=" + ctx.batchBytes() + " is larger than " +
                partitions[0] + "'s max.message.bytes=" + maxRecordBytes);
        }
        this.partitions = partitions.clone();
        this.batches = new PartitionBatch[partitions.length];
        this.listener = ctx.listener();
        this.sender = new BatchSender(partitions.length, listener, ctx.idleStrategy(), ctx.ordered());
        this.partitioner = ctx.partitioner();
        this.clock = ctx.clock();
        this.batchBytes = ctx.batchBytes();
        this.lingerNs = ctx.lingerNs();
        this.inFlightPerPartition = ctx.inFlightPerPartition();
        this.blocking = ctx.blocking();
        this.idleStrategy = ctx.idleStrategy();
    }

    private static Partition[] partitionsOf(final Topic topic)
    {
        final Partition[] partitions = new Partition[topic.partitionCount()];
        for (int p = 0; p < partitions.length; p++)
        {
            partitions[p] = topic.partition(p);
        }
        return partitions;
    }

    /**
     * Add a record to the batch of the partition the partitioner chooses. A partitioner that moves on every call
     * (round-robin) moves on for a back-pressured record too.
     *
     * @param key   null for a null key.
     * @param value null for a null value (a tombstone).
     * @return the partition, or {@link #BACK_PRESSURED} (non-blocking only) with nothing added.
     * @throws IllegalArgumentException with nothing added, if a batch holding only this record would be larger than
     *                                  {@code max.message.bytes}.
     */
    public int send(
        final long timestampMs,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        final int partition = partitioner.partition(key, keyOffset, keyLength, partitions.length);
        return sendTo(partition, timestampMs, key, keyOffset, keyLength, value, valueOffset, valueLength);
    }

    /**
     * Add a record to the batch of {@code partition}, as {@link #send} does.
     */
    public int sendTo(
        final int partition,
        final long timestampMs,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        final int ownBatchBytes =
            ownBatchBytes(key, keyLength, value, valueLength, maxRecordBytes, partitions[partition]);
        final PartitionBatch batch = batch(partition);
        final int unsent = sender.unsentPartition();
        if (unsent != BatchSender.NONE && unsent != partition && !sendNow(batches[unsent], blocking))
        {
            return BACK_PRESSURED;
        }
        if (batch.isSealed() && !sender.dispatch(batch, blocking))
        {
            return BACK_PRESSURED;
        }
        if (batch.isOpen())
        {
            if (batch.builder.tryAppend(timestampMs, key, keyOffset, keyLength, value, valueOffset, valueLength, null))
            {
                return partition;
            }
            seal(batch);
            if (!sender.dispatch(batch, blocking))
            {
                return BACK_PRESSURED;
            }
        }
        final int capacity = Math.max(batchBytes, ownBatchBytes);
        if (!sender.open(batch, capacity, clock.nanoTime(), blocking))
        {
            return BACK_PRESSURED;
        }
        if (!batch.builder.tryAppend(timestampMs, key, keyOffset, keyLength, value, valueOffset, valueLength, null))
        {
            throw new IllegalStateException(
                "a record of " + ownBatchBytes + " bytes did not fit an empty batch of " + capacity);
        }
        if (capacity > batchBytes)
        {
            // A batch of its own is full with its one record.
            seal(batch);
            sender.dispatch(batch, blocking);
        }
        return partition;
    }

    /**
     * The bytes of an uncompressed batch holding only this record: what {@code max.message.bytes} bounds. Public so
     * that a producer over a broker refuses exactly the records this one refuses, in the same words.
     *
     * @param key    null for a null key.
     * @param value  null for a null value.
     * @param target what the limit belongs to (a partition, a topic), for the message.
     * @throws IllegalArgumentException if the batch would be larger than {@code maxRecordBytes}.
     */
    public static int ownBatchBytes(
        final DirectBuffer key,
        final int keyLength,
        final DirectBuffer value,
        final int valueLength,
        final int maxRecordBytes,
        final Object target)
    {
        final int ownBatchBytes = HEADER_LENGTH + RecordBatchBuilder.recordLength(
            0, 0, key == null ? NULL_LENGTH : keyLength, value == null ? NULL_LENGTH : valueLength, null);
        if (ownBatchBytes > maxRecordBytes)
        {
            throw new IllegalArgumentException("a record with a " + Math.max(keyLength, 0) + "-byte key and a " +
                Math.max(valueLength, 0) + "-byte value takes a batch of " + ownBatchBytes + " bytes, larger than " +
                target + "'s max.message.bytes=" + maxRecordBytes);
        }
        return ownBatchBytes;
    }

    /**
     * Collect completions (telling the listener), offer batches that were back-pressured, and send batches whose
     * first record has waited {@code lingerNs} by {@code nowNs} (on the context's clock).
     *
     * @return work done: batches reported and sent.
     */
    public int poll(final long nowNs)
    {
        int work = sender.collect();
        for (int i = 0, count = sender.count(); i < count; i++)
        {
            final PartitionBatch batch = sender.batch(i);
            if (batch.isSealed())
            {
                work += sender.tryDispatch(batch) ? 1 : 0;
            }
            else if (batch.isOpen() && nowNs - batch.openedNs() >= lingerNs && sender.mayOffer())
            {
                // An ordered batch that could not leave yet keeps filling rather than linger sealed.
                seal(batch);
                sender.tryDispatch(batch);
                work++;
            }
        }
        return work;
    }

    /**
     * Send {@code partition}'s batch now, if it holds records. Blocking, wait until it is offered.
     *
     * @return true if nothing of the partition's is left unsent; false (non-blocking) if the batch is sealed but
     *         could not be offered yet, and {@link #poll} offers it later.
     */
    public boolean sendNow(final int partition)
    {
        final PartitionBatch batch = batches[partition];
        return batch == null || sendNow(batch, blocking);
    }

    /**
     * {@link #sendNow} every partition's batch.
     *
     * @return true if nothing is left unsent.
     */
    public boolean flush()
    {
        boolean sent = true;
        for (int i = 0, count = sender.count(); i < count; i++)
        {
            sent &= sendNow(sender.batch(i), blocking);
        }
        return sent;
    }

    /**
     * Send every batch and wait, collecting completions, until every record added is acknowledged or failed.
     *
     * @param timeoutNs real time to wait at most.
     * @return true if nothing is left unsent or in flight; false if the time ran out first.
     */
    public boolean awaitIdle(final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (true)
        {
            int work = sender.collect();
            for (int i = 0, count = sender.count(); i < count; i++)
            {
                final PartitionBatch batch = sender.batch(i);
                if (batch.isUnsent() && sendNow(batch, false))
                {
                    work++;
                }
            }
            if (isIdle())
            {
                return true;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return false;
            }
            idleStrategy.idle(work);
        }
    }

    /**
     * Whether every record added has been reported to the listener.
     */
    public boolean isIdle()
    {
        if (sender.inFlight() > 0)
        {
            return false;
        }
        for (int i = 0, count = sender.count(); i < count; i++)
        {
            if (sender.batch(i).isUnsent())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * When {@code partition}'s batch is due to be sent by linger (on the context's clock); {@link Long#MAX_VALUE}
     * when it has none. An open-loop generator may send sooner, with {@link #sendNow}, when its next record for
     * the partition is due only after this.
     */
    public long lingerDeadlineNs(final int partition)
    {
        final PartitionBatch batch = batches[partition];
        return batch == null || !batch.isUnsent() ? Long.MAX_VALUE : batch.openedNs() + lingerNs;
    }

    /**
     * Records added to {@code partition} and not yet offered.
     */
    public int unsentRecords(final int partition)
    {
        final PartitionBatch batch = batches[partition];
        return batch == null || !batch.isUnsent() ? 0 : batch.builder.recordCount();
    }

    /**
     * Batches offered and not yet reported, over all partitions.
     */
    public int inFlight()
    {
        return sender.inFlight();
    }

    public int inFlight(final int partition)
    {
        final PartitionBatch batch = batches[partition];
        return batch == null ? 0 : batch.window.inFlight();
    }

    public int partitionCount()
    {
        return partitions.length;
    }

    /**
     * The largest batch one record may take: {@code max.message.bytes} unless the context set less.
     */
    public int maxRecordBytes()
    {
        return maxRecordBytes;
    }

    private PartitionBatch batch(final int partition)
    {
        PartitionBatch batch = batches[partition];
        if (batch == null)
        {
            listener.onFirstRecord(partition);
            batch = new PartitionBatch(
                new AppendWindow(partition, partitions[partition], inFlightPerPartition, batchBytes));
            batches[partition] = batch;
            sender.add(batch);
        }
        return batch;
    }

    private void seal(final PartitionBatch batch)
    {
        batch.seal();
        partitioner.onBatchComplete(batch.index(), partitions.length);
    }

    private boolean sendNow(final PartitionBatch batch, final boolean wait)
    {
        if (batch.isOpen())
        {
            seal(batch);
        }
        return !batch.isSealed() || sender.dispatch(batch, wait);
    }
}
