package io.loglab.latency.harness;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One producer thread's duty cycle over its partitions ({@link ProducerLane}s), records spread round-robin over
 * them.
 * <p>
 * Open loop (a {@link FixedRateSchedule}): every record due by now is added, each carrying its intended send time;
 * when a lane has every batch in flight the producer stalls on that record, and the schedule keeps running, so a
 * stall is paid for by every record meant to be sent during it (coordinated omission corrected). A batch is sent
 * when full, when its first record has waited linger, or at once when the lane's next record is due only after the
 * linger deadline (waiting would add latency and no records).
 * <p>
 * Closed loop (no schedule): records are added as fast as batches free up, each measured from when it was added.
 * <p>
 * Threading: the producer thread only; what others read is in {@link ProducerMeasurements}.
 */
final class ProducerAgent implements LoadAgent
{
    /** Records added per duty cycle at most, so acknowledgements are observed promptly while catching up. */
    static final int MAX_ADDS_PER_CYCLE = 1024;
    private static final long STOP_POLL_NANOS = 50_000;

    private final String name;
    private final ProducerLane[] lanes;
    private final FixedRateSchedule schedule;
    private final long lingerNanos;
    private final EpochClock epochClock;
    private final UnsafeBuffer value;
    private final ProducerMeasurements measurements = new ProducerMeasurements();
    private long nextRecord;

    /**
     * @param schedule    null for closed loop.
     * @param recordSize  value bytes per record (at least the 8-byte intended time).
     * @param epochClock  for record timestamps.
     */
    ProducerAgent(
        final String name,
        final ProducerLane[] lanes,
        final FixedRateSchedule schedule,
        final long lingerNanos,
        final int recordSize,
        final EpochClock epochClock)
    {
        this.name = name;
        this.lanes = lanes;
        this.schedule = schedule;
        this.lingerNanos = lingerNanos;
        this.epochClock = epochClock;
        this.value = new UnsafeBuffer(ByteBuffer.allocateDirect(RecordValue.length(recordSize)));
    }

    @Override
    public int doWork(final long nowNanos)
    {
        int work = pollAcknowledgements(nowNanos);
        work += addDueRecords(nowNanos);
        work += sendLingering(nowNanos);
        return work;
    }

    private int pollAcknowledgements(final long nowNanos)
    {
        int acknowledged = 0;
        for (final ProducerLane lane : lanes)
        {
            acknowledged += lane.pollAcknowledgements(nowNanos, measurements);
        }
        return acknowledged;
    }

    private int addDueRecords(final long nowNanos)
    {
        final long due = schedule == null ? Long.MAX_VALUE : schedule.dueBy(nowNanos);
        final long timestampMs = epochClock.time();
        int added = 0;
        while (nextRecord < due && added < MAX_ADDS_PER_CYCLE)
        {
            final long intendedNanos = schedule == null ? nowNanos : schedule.intendedNanos(nextRecord);
            RecordValue.putIntendedNanos(value, intendedNanos);
            final ProducerLane lane = lanes[(int)(nextRecord % lanes.length)];
            if (!lane.tryAdd(timestampMs, value, value.capacity(), intendedNanos, nowNanos))
            {
                break;
            }
            measurements.onAdded(intendedNanos, nowNanos);
            nextRecord++;
            added++;
        }
        return added;
    }

    private int sendLingering(final long nowNanos)
    {
        int sent = 0;
        for (int i = 0; i < lanes.length; i++)
        {
            final OutboundBatch batch = lanes[i].filling();
            if (batch != null && !batch.isEmpty())
            {
                final long deadline = batch.firstAddedNanos() + lingerNanos;
                if ((nowNanos >= deadline || nextIntendedNanos(i) > deadline) && lanes[i].send())
                {
                    sent++;
                }
            }
        }
        return sent;
    }

    /**
     * When lane {@code laneIndex} gets its next record. In closed loop records come as fast as batches free up, so
     * only the linger deadline applies: report a time that never beats it.
     */
    private long nextIntendedNanos(final int laneIndex)
    {
        if (schedule == null)
        {
            return Long.MIN_VALUE;
        }
        final long behind = Math.floorMod(laneIndex - nextRecord, (long)lanes.length);
        return schedule.intendedNanos(nextRecord + behind);
    }

    /**
     * Add no more records; wait (polling, bounded by the deadline) for the batches in flight, so none is left with
     * the engine when it closes.
     */
    @Override
    public void onStop(final long deadlineNanos)
    {
        long now = System.nanoTime();
        while (inFlight() > 0 && now < deadlineNanos)
        {
            pollAcknowledgements(now);
            LockSupport.parkNanos(STOP_POLL_NANOS);
            now = System.nanoTime();
        }
    }

    private int inFlight()
    {
        int inFlight = 0;
        for (final ProducerLane lane : lanes)
        {
            inFlight += lane.inFlight();
        }
        return inFlight;
    }

    long untrackedDurable()
    {
        long untracked = 0;
        for (final ProducerLane lane : lanes)
        {
            untracked += lane.untrackedDurable();
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
