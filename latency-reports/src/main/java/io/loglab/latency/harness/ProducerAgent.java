package io.loglab.latency.harness;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.BatchingProducer;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.producer.ProducerListener;
import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import static io.loglab.engine.record.Record.NULL_LENGTH;
import static io.loglab.engine.record.RecordBatchDescriptor.HEADER_LENGTH;

/**
 * One producer thread's duty cycle: the engine's producer client, a non-blocking {@link BatchingProducer}, over this
 * thread's partitions (its lanes, numbered as the client numbers them), records spread round-robin over them. What
 * is measured is the client the CLI uses too.
 * <p>
 * Open loop (a {@link FixedRateSchedule}): every record due by now is added, each carrying its intended send time;
 * when the client answers {@link BatchingProducer#BACK_PRESSURED} (the lane's window is full) the producer stalls on
 * that record, and the schedule keeps running, so a stall is paid for by every record meant to be sent during it
 * (coordinated omission corrected). The client sends a batch when it is full or its first record has waited linger;
 * the producer sends it at once ({@link BatchingProducer#sendNow}) when the lane's next record is due only after the
 * linger deadline (waiting would add latency and no records).
 * <p>
 * Closed loop (no schedule): records are added as fast as the window allows, each measured from when it was added.
 * <p>
 * Each record's intended time waits in its lane's ring, allocated once, until the client reports the batch holding
 * it; the client reports each partition's batches in the order sent and every record exactly once, so each report
 * pops {@code recordCount} times. The client runs on this agent's clock: the time handed to {@link #doWork}.
 * <p>
 * Threading: the producer thread only; what others read is in {@link ProducerMeasurements}.
 */
final class ProducerAgent implements LoadAgent, ProducerListener
{
    /** Records added per duty cycle at most, so acknowledgements are observed promptly while catching up. */
    static final int MAX_ADDS_PER_CYCLE = 1024;
    private static final long STOP_POLL_NANOS = 50_000;
    /** Never a {@link System#nanoTime()} a run meets: Agrona's queues need a value they never hold. */
    private static final long NO_TIME = Long.MIN_VALUE;

    private final String name;
    private final Partition[] partitions;
    private final BatchingProducer producer;
    private final LongArrayQueue[] intendedNanos;
    /** By lane; null when acknowledgements are durable already (flush=every) or never during a run (flush=os). */
    private final DurableTracker[] durableTrackers;
    private final FixedRateSchedule schedule;
    private final EpochClock epochClock;
    private final UnsafeBuffer value;
    private final ProducerMeasurements measurements = new ProducerMeasurements();
    private long nowNanos;
    private long nextRecord;

    /**
     * @param partitions      this producer's lanes.
     * @param client          the client's batch size, linger and window; the agent makes it non-blocking, on its own
     *                        clock, reporting to it.
     * @param schedule        null for closed loop.
     * @param recordSize      value bytes per record (at least the 8-byte intended time).
     * @param durableTracked  records tracked until durable per partition; 0 for none.
     * @param epochClock      for record timestamps.
     */
    ProducerAgent(
        final String name,
        final Partition[] partitions,
        final ProducerContext client,
        final FixedRateSchedule schedule,
        final int recordSize,
        final int durableTracked,
        final EpochClock epochClock)
    {
        this.name = name;
        this.partitions = partitions.clone();
        this.schedule = schedule;
        this.epochClock = epochClock;
        this.value = new UnsafeBuffer(ByteBuffer.allocateDirect(RecordValue.length(recordSize)));
        this.producer = new BatchingProducer(partitions, client.listener(this).blocking(false).clock(this::nowNanos));
        final int ringCapacity = client.inFlightPerPartition() * recordsPerBatch(client.batchBytes(), value.capacity());
        this.intendedNanos = new LongArrayQueue[partitions.length];
        this.durableTrackers = durableTracked > 0 ? new DurableTracker[partitions.length] : null;
        for (int lane = 0; lane < partitions.length; lane++)
        {
            intendedNanos[lane] = new LongArrayQueue(ringCapacity, NO_TIME);
            if (durableTrackers != null)
            {
                durableTrackers[lane] = new DurableTracker(durableTracked);
            }
        }
    }

    /**
     * The most records a batch of {@code batchBytes} can hold, all of the smallest size: a lane's ring holds as many
     * for each request of its window (the batch being filled takes a request too), so it never grows.
     */
    private static int recordsPerBatch(final int batchBytes, final int valueLength)
    {
        final int smallestRecord = RecordBatchBuilder.recordLength(0, 0, NULL_LENGTH, valueLength, null);
        return Math.max(1, (batchBytes - HEADER_LENGTH) / smallestRecord);
    }

    @Override
    public int doWork(final long nowNanos)
    {
        this.nowNanos = nowNanos;
        // Acknowledgements first (told to this agent as listener), so the records they free room for go out now.
        int work = producer.poll(nowNanos);
        work += trackDurable(nowNanos);
        work += addDueRecords(nowNanos);
        work += sendEarly(nowNanos);
        return work;
    }

    private int trackDurable(final long nowNanos)
    {
        int durable = 0;
        if (durableTrackers != null)
        {
            for (int lane = 0; lane < partitions.length; lane++)
            {
                durable += durableTrackers[lane].onDurable(
                    partitions[lane].durableEndOffset(), nowNanos, measurements.ackDurable());
            }
        }
        return durable;
    }

    private int addDueRecords(final long nowNanos)
    {
        final long due = schedule == null ? Long.MAX_VALUE : schedule.dueBy(nowNanos);
        final long timestampMs = epochClock.time();
        int added = 0;
        while (nextRecord < due && added < MAX_ADDS_PER_CYCLE)
        {
            final long intended = schedule == null ? nowNanos : schedule.intendedNanos(nextRecord);
            RecordValue.putIntendedNanos(value, intended);
            final int lane = (int)(nextRecord % partitions.length);
            if (producer.sendTo(lane, timestampMs, null, 0, 0, value, 0, value.capacity()) ==
                BatchingProducer.BACK_PRESSURED)
            {
                break;
            }
            // A non-blocking client reports outcomes only from poll, so the record's batch is not reported yet.
            intendedNanos[lane].addLong(intended);
            measurements.onAdded(intended, nowNanos);
            nextRecord++;
            added++;
        }
        return added;
    }

    /**
     * Send each lane's batch whose linger deadline has come (the client's poll sent those due before this cycle's
     * records were added) or that would wait for nothing: the lane's next record is due only after the deadline.
     */
    private int sendEarly(final long nowNanos)
    {
        int sent = 0;
        for (int lane = 0; lane < partitions.length; lane++)
        {
            final long deadline = producer.lingerDeadlineNs(lane);
            if (deadline != Long.MAX_VALUE && (deadline <= nowNanos || nextIntendedNanos(lane) > deadline) &&
                producer.sendNow(lane))
            {
                sent++;
            }
        }
        return sent;
    }

    /**
     * When lane {@code lane} gets its next record. In closed loop records come as fast as the window allows, so only
     * the linger deadline applies: report a time that never beats it.
     */
    private long nextIntendedNanos(final int lane)
    {
        if (schedule == null)
        {
            return Long.MIN_VALUE;
        }
        final long behind = Math.floorMod(lane - nextRecord, (long)partitions.length);
        return schedule.intendedNanos(nextRecord + behind);
    }

    @Override
    public void onAcknowledged(
        final int lane,
        final long baseOffset,
        final long lastOffset,
        final int recordCount,
        final int sizeInBytes,
        final boolean durable)
    {
        final LongArrayQueue intended = intendedNanos[lane];
        final DurableTracker durableTracker = durable || durableTrackers == null ? null : durableTrackers[lane];
        for (int i = 0; i < recordCount; i++)
        {
            final long intendedNanos = intended.pollLong();
            measurements.onRecordAcknowledged(intendedNanos, nowNanos, durable);
            if (durableTracker != null)
            {
                durableTracker.add(baseOffset + i, intendedNanos);
            }
        }
        measurements.onBatchAcknowledged(recordCount, sizeInBytes);
    }

    @Override
    public void onFailed(final int lane, final int recordCount, final Throwable cause)
    {
        final LongArrayQueue intended = intendedNanos[lane];
        for (int i = 0; i < recordCount; i++)
        {
            intended.pollLong();
        }
        measurements.onFailed(recordCount, cause);
    }

    /**
     * Add no more records; wait (polling, bounded by the deadline) for the batches in flight, so none is left with
     * the engine when it closes. Batches the client still sends meanwhile (their linger ran out) are waited for too.
     */
    @Override
    public void onStop(final long deadlineNanos)
    {
        long now = System.nanoTime();
        while (inFlight() > 0 && now < deadlineNanos)
        {
            nowNanos = now;
            producer.poll(now);
            trackDurable(now);
            LockSupport.parkNanos(STOP_POLL_NANOS);
            now = System.nanoTime();
        }
    }

    /**
     * The agent's clock, which the client reads for linger: the time of the current duty cycle.
     */
    private long nowNanos()
    {
        return nowNanos;
    }

    /**
     * Batches offered to the engine and not yet reported.
     */
    int inFlight()
    {
        return producer.inFlight();
    }

    long untrackedDurable()
    {
        long untracked = 0;
        if (durableTrackers != null)
        {
            for (final DurableTracker tracker : durableTrackers)
            {
                untracked += tracker.untracked();
            }
        }
        return untracked;
    }

    ProducerMeasurements measurements()
    {
        return measurements;
    }

    @Override
    public String name()
    {
        return name;
    }
}
