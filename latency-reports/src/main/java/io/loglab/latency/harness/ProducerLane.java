package io.loglab.latency.harness;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import org.agrona.DirectBuffer;

/**
 * One partition as one producer sees it: a ring of reusable batches, the oldest {@code inFlight} of them offered and
 * awaiting acknowledgement, the next one being filled. When every batch is in flight the lane is full and the
 * producer stalls; the records it could not add stay due at their intended times.
 * <p>
 * Threading: the producer thread only.
 */
final class ProducerLane
{
    private final AppendTarget target;
    private final OutboundBatch[] ring;
    private final DurableTracker durableTracker;
    private int head;
    private int inFlight;

    /**
     * @param durableTracker null when acknowledgements are durable already (flush=every) or never become durable
     *                       during a run (flush=os).
     */
    ProducerLane(final AppendTarget target, final OutboundBatch[] ring, final DurableTracker durableTracker)
    {
        this.target = target;
        this.ring = ring;
        this.durableTracker = durableTracker;
    }

    /**
     * Add a record to the batch being filled, sending that batch first if the record does not fit.
     *
     * @return false, with nothing added, when no batch can take it: all in flight, or the full one back-pressured.
     * @throws IllegalStateException if the partition is closed or one record is larger than a batch.
     */
    boolean tryAdd(
        final long timestampMs,
        final DirectBuffer value,
        final int valueLength,
        final long intendedNanos,
        final long nowNanos)
    {
        OutboundBatch batch = filling();
        if (batch == null)
        {
            return false;
        }
        if (batch.tryAdd(timestampMs, value, valueLength, intendedNanos, nowNanos))
        {
            return true;
        }
        if (batch.isEmpty())
        {
            throw new IllegalStateException("a record with a " + valueLength + "-byte value does not fit in a batch");
        }
        if (!send())
        {
            return false;
        }
        batch = filling();
        return batch != null && batch.tryAdd(timestampMs, value, valueLength, intendedNanos, nowNanos);
    }

    /**
     * Seal and offer the batch being filled, if it holds records.
     *
     * @return true if it was offered (or there was nothing to send), false if back-pressured: it stays sealed and
     *         is offered again by the next call.
     * @throws IllegalStateException if the partition is closed.
     */
    boolean send()
    {
        final OutboundBatch batch = filling();
        if (batch == null || batch.isEmpty())
        {
            return batch != null;
        }
        batch.seal();
        final int result = target.offer(batch);
        if (result == Partition.BACK_PRESSURED)
        {
            return false;
        }
        if (result == Partition.CLOSED)
        {
            throw new IllegalStateException("partition " + target + " closed during the run");
        }
        inFlight++;
        return true;
    }

    /**
     * Account for every batch acknowledged since the last call, in the order sent, and for records that became
     * durable.
     *
     * @return records acknowledged.
     */
    int pollAcknowledgements(final long nowNanos, final ProducerMeasurements measurements)
    {
        int acknowledged = 0;
        while (inFlight > 0)
        {
            final OutboundBatch batch = ring[head];
            final int status = target.status(batch);
            if (status == AppendRequest.PENDING)
            {
                break;
            }
            if (status == AppendRequest.FAILED)
            {
                measurements.onFailed(batch, target.failure(batch));
            }
            else
            {
                final boolean durable = status == AppendRequest.DURABLE;
                measurements.onAcknowledged(batch, nowNanos, durable);
                if (!durable && durableTracker != null)
                {
                    durableTracker.add(batch, target.baseOffset(batch));
                }
                acknowledged += batch.recordCount();
            }
            batch.clear();
            head = (head + 1) % ring.length;
            inFlight--;
        }
        if (durableTracker != null)
        {
            durableTracker.onDurable(target.durableEndOffset(), nowNanos, measurements.ackDurable());
        }
        return acknowledged;
    }

    /**
     * The batch being filled, or null when every batch is in flight.
     */
    OutboundBatch filling()
    {
        return inFlight == ring.length ? null : ring[(head + inFlight) % ring.length];
    }

    int inFlight()
    {
        return inFlight;
    }

    long untrackedDurable()
    {
        return durableTracker == null ? 0 : durableTracker.untracked();
    }

    int pendingDurable()
    {
        return durableTracker == null ? 0 : durableTracker.pending();
    }
}
