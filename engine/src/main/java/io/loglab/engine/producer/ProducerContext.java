package io.loglab.engine.producer;

import io.loglab.engine.topic.KeyHashPartitioner;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.StickyPartitioner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

import static io.loglab.engine.record.RecordBatchDescriptor.HEADER_LENGTH;

/**
 * Settings of a {@link BatchingProducer}: the Aeron-style Context. Defaults follow Kafka's producer where it has the
 * same setting ({@code batch.size}, {@code linger.ms}).
 */
public final class ProducerContext
{
    /** Kafka's {@code batch.size}. */
    public static final int BATCH_BYTES_DEFAULT = 16 * 1024;
    /** Kafka's {@code linger.ms} since 4.0. */
    public static final long LINGER_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(5);
    public static final int IN_FLIGHT_PER_PARTITION_DEFAULT = 4;

    private int batchBytes = BATCH_BYTES_DEFAULT;
    private long lingerNs = LINGER_NS_DEFAULT;
    private int inFlightPerPartition = IN_FLIGHT_PER_PARTITION_DEFAULT;
    private int maxRecordBytes;
    private Partitioner partitioner;
    private ProducerListener listener = ProducerListener.NONE;
    private NanoClock clock = SystemNanoClock.INSTANCE;
    private IdleStrategy idleStrategy;
    private boolean blocking = true;
    private boolean ordered;

    /**
     * Check the settings and fill in the defaults that are objects.
     *
     * @throws IllegalArgumentException naming the bad setting.
     */
    public ProducerContext conclude()
    {
        if (batchBytes <= HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                "batchBytes=" + batchBytes + ": must be larger than a batch header (" + HEADER_LENGTH + " bytes)");
        }
        if (lingerNs < 0)
        {
            throw new IllegalArgumentException("lingerNs=" + lingerNs + ": must not be negative");
        }
        if (inFlightPerPartition < 1)
        {
            throw new IllegalArgumentException(
                "inFlightPerPartition=" + inFlightPerPartition + ": must be at least 1");
        }
        if (maxRecordBytes < 0)
        {
            throw new IllegalArgumentException("maxRecordBytes=" + maxRecordBytes + ": must not be negative");
        }
        if (partitioner == null)
        {
            partitioner = new KeyHashPartitioner(new StickyPartitioner());
        }
        if (idleStrategy == null)
        {
            idleStrategy = new BackoffIdleStrategy();
        }
        return this;
    }

    /**
     * Bytes of a batch, header included; a record too large for one goes in a batch of its own.
     */
    public ProducerContext batchBytes(final int batchBytes)
    {
        this.batchBytes = batchBytes;
        return this;
    }

    public int batchBytes()
    {
        return batchBytes;
    }

    /**
     * How long a batch's first record waits for others before {@link BatchingProducer#poll} sends the batch.
     */
    public ProducerContext lingerNs(final long lingerNs)
    {
        this.lingerNs = lingerNs;
        return this;
    }

    public long lingerNs()
    {
        return lingerNs;
    }

    /**
     * Requests in each partition's {@link AppendWindow}: batches in flight at once per partition. An ordered producer
     * offers one at a time over all partitions, and a second request per partition lets the next batch fill while
     * one is in flight.
     */
    public ProducerContext inFlightPerPartition(final int inFlightPerPartition)
    {
        this.inFlightPerPartition = inFlightPerPartition;
        return this;
    }

    public int inFlightPerPartition()
    {
        return inFlightPerPartition;
    }

    /**
     * The largest batch a single record may take; 0 (the default) for the partitions' {@code max.message.bytes},
     * which it may not exceed.
     */
    public ProducerContext maxRecordBytes(final int maxRecordBytes)
    {
        this.maxRecordBytes = maxRecordBytes;
        return this;
    }

    public int maxRecordBytes()
    {
        return maxRecordBytes;
    }

    /**
     * Chooses the partition in {@link BatchingProducer#send}; owned by the producer's thread. Default: Kafka's murmur2
     * of the key, sticky for null keys.
     */
    public ProducerContext partitioner(final Partitioner partitioner)
    {
        this.partitioner = partitioner;
        return this;
    }

    public Partitioner partitioner()
    {
        return partitioner;
    }

    public ProducerContext listener(final ProducerListener listener)
    {
        this.listener = listener;
        return this;
    }

    public ProducerListener listener()
    {
        return listener;
    }

    /**
     * The clock a batch's linger is measured on; {@link BatchingProducer#poll}'s {@code nowNs} must come from it.
     */
    public ProducerContext clock(final NanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public NanoClock clock()
    {
        return clock;
    }

    /**
     * How a blocking producer waits for room (and {@link BatchingProducer#awaitIdle} for completions). Default:
     * Agrona's backoff, which parks soon: the writer threads need the cores.
     */
    public ProducerContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * True (the default): meeting a full window, {@link BatchingProducer#send} waits. False: it returns
     * {@link BatchingProducer#BACK_PRESSURED} with nothing added.
     */
    public ProducerContext blocking(final boolean blocking)
    {
        this.blocking = blocking;
        return this;
    }

    public boolean blocking()
    {
        return blocking;
    }

    /**
     * True: batches are sent strictly in the order of their records over all partitions, one in flight at a time,
     * and nothing is offered after a failure (see {@link BatchingProducer}). Default false.
     */
    public ProducerContext ordered(final boolean ordered)
    {
        this.ordered = ordered;
        return this;
    }

    public boolean ordered()
    {
        return ordered;
    }
}
