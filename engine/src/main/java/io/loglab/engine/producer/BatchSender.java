package io.loglab.engine.producer;

import io.loglab.engine.partition.Partition;
import org.agrona.concurrent.IdleStrategy;

/**
 * The sending half of a {@link BatchingProducer}: offers sealed batches to their windows, collects the completions
 * of every window and passes them to the listener, and, for an ordered producer, keeps one batch in flight at a
 * time and offers nothing after the first failure.
 * <p>
 * Threading: the producer thread only.
 */
final class BatchSender implements ProducerListener
{
    static final int NONE = -1;

    private final PartitionBatch[] batches;
    private final ProducerListener listener;
    private final IdleStrategy idle;
    private final boolean ordered;
    private int count;
    private int inFlight;
    /** Ordered: the partition whose batch is open or sealed and not yet offered; at most one. */
    private int unsentPartition = NONE;
    /** Ordered: the failure after which nothing more is offered. */
    private Throwable halt;

    BatchSender(final int partitionCount, final ProducerListener listener, final IdleStrategy idle,
        final boolean ordered)
    {
        this.batches = new PartitionBatch[partitionCount];
        this.listener = listener;
        this.idle = idle;
        this.ordered = ordered;
    }

    void add(final PartitionBatch batch)
    {
        batches[count++] = batch;
    }

    /**
     * The partitions' batches, in the order they were added; {@link #count()} of them.
     */
    PartitionBatch batch(final int i)
    {
        return batches[i];
    }

    int count()
    {
        return count;
    }

    int inFlight()
    {
        return inFlight;
    }

    /**
     * Ordered: the partition holding the one batch not yet offered, or {@link #NONE}.
     */
    int unsentPartition()
    {
        return unsentPartition;
    }

    /**
     * A batch was opened on {@code batch}'s partition.
     */
    void opened(final PartitionBatch batch)
    {
        if (ordered)
        {
            unsentPartition = batch.index();
        }
    }

    /**
     * Whether a sealed batch would leave now: always, unless ordered and another is in flight.
     */
    boolean mayOffer()
    {
        return !ordered || inFlight == 0 || halt != null;
    }

    /**
     * Open a batch on {@code batch}'s partition; when {@code wait}, collect completions until its window has room.
     *
     * @return false if the window is full and {@code wait} is false.
     */
    boolean open(final PartitionBatch batch, final int capacity, final long nowNs, final boolean wait)
    {
        if (!batch.open(capacity, nowNs))
        {
            if (!wait)
            {
                return false;
            }
            idle.reset();
            while (!batch.open(capacity, nowNs))
            {
                idle.idle(collect());
            }
        }
        opened(batch);
        return true;
    }

    /**
     * Offer a sealed batch; when {@code wait}, collect completions until it leaves.
     *
     * @return true if it left (see {@link #tryDispatch}).
     */
    boolean dispatch(final PartitionBatch batch, final boolean wait)
    {
        if (tryDispatch(batch))
        {
            return true;
        }
        if (!wait)
        {
            return false;
        }
        idle.reset();
        while (!tryDispatch(batch))
        {
            idle.idle(collect());
        }
        return true;
    }

    /**
     * Offer a sealed batch unless ordering forbids it yet; after an ordered failure, report it failed instead.
     *
     * @return true if the batch left: offered, refused by a closed partition (its window reports it failed, in
     *         order), or failed unsent; false if it must be offered again later.
     */
    boolean tryDispatch(final PartitionBatch batch)
    {
        if (halt != null)
        {
            batch.sent();
            unsentPartition = NONE;
            listener.onFailed(batch.index(), batch.builder.recordCount(),
                new IllegalStateException("not sent: an earlier batch failed", halt));
            return true;
        }
        if (ordered && inFlight > 0)
        {
            return false;
        }
        if (batch.window.offer(batch.sealedLength()) == Partition.BACK_PRESSURED)
        {
            return false;
        }
        inFlight++;
        batch.sent();
        if (ordered)
        {
            unsentPartition = NONE;
        }
        return true;
    }

    /**
     * Report every completed batch of every window, in order per window.
     *
     * @return batches reported.
     */
    int collect()
    {
        int reported = 0;
        for (int i = 0; i < count; i++)
        {
            reported += batches[i].window.poll(this);
        }
        return reported;
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
        inFlight--;
        listener.onAcknowledged(partition, baseOffset, lastOffset, recordCount, sizeInBytes, durable);
    }

    @Override
    public void onFailed(final int partition, final int recordCount, final Throwable cause)
    {
        inFlight--;
        if (ordered && halt == null)
        {
            halt = cause;
        }
        listener.onFailed(partition, recordCount, cause);
    }
}
