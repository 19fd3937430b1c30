package io.loglab.engine.partition;

import io.loglab.engine.log.PartitionLog;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.jctools.queues.MpscArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * The single writer of one partition, run as an Agrona {@link Agent} on its own thread. Each duty cycle it drains
 * whatever producers have queued, appends it with one gathering write (natural batching: the more that waits, the
 * more one write carries), fsyncs per the flush policy (one fsync for the whole drain: group commit), completes the
 * requests, and every so often applies retention.
 * <p>
 * Threading: this agent's thread owns the {@link PartitionLog}'s write side and every field here.
 */
final class PartitionWriter implements Agent
{
    static final int MAX_DRAIN = 256;

    private final String roleName;
    private final PartitionLog log;
    private final MpscArrayQueue<AppendRequest> queue;
    private final EpochClock clock;
    private final long retentionCheckIntervalMs;
    private final boolean flushOnInterval;
    private final long flushIntervalMs;
    private final boolean durableOnWrite;
    private final AppendRequest[] drained = new AppendRequest[MAX_DRAIN];
    private final ByteBuffer[] batches = new ByteBuffer[MAX_DRAIN];
    private long lastFlushMs;
    private long nextRetentionCheckMs;

    PartitionWriter(
        final String roleName,
        final PartitionLog log,
        final MpscArrayQueue<AppendRequest> queue,
        final EpochClock clock,
        final long retentionCheckIntervalMs)
    {
        this.roleName = roleName;
        this.log = log;
        this.queue = queue;
        this.clock = clock;
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.flushOnInterval = log.config().flushPolicy().onInterval();
        this.flushIntervalMs = log.config().flushPolicy().intervalMs();
        this.durableOnWrite = log.config().flushPolicy().durableOnWrite();
        this.lastFlushMs = clock.time();
        this.nextRetentionCheckMs = lastFlushMs + retentionCheckIntervalMs;
    }

    @Override
    public int doWork() throws IOException
    {
        final long nowMs = clock.time();
        int workCount = appendDrained(nowMs);
        // Timers move before the work, so a log that has failed reports once per interval, not every duty cycle.
        if (flushOnInterval && nowMs - lastFlushMs >= flushIntervalMs)
        {
            lastFlushMs = nowMs;
            log.flush();
            workCount++;
        }
        if (nowMs >= nextRetentionCheckMs)
        {
            nextRetentionCheckMs = nowMs + retentionCheckIntervalMs;
            workCount += log.applyRetention(nowMs);
        }
        return workCount;
    }

    private int appendDrained(final long nowMs)
    {
        int count = 0;
        AppendRequest request;
        while (count < MAX_DRAIN && (request = queue.relaxedPoll()) != null)
        {
            drained[count] = request;
            batches[count] = request.batch();
            count++;
        }
        int done = 0;
        while (done < count)
        {
            try
            {
                final int appended = log.append(batches, done, count - done, nowMs);
                for (int i = done; i < done + appended; i++)
                {
                    final ByteBuffer batch = batches[i];
                    final long baseOffset = getLong(batch, batch.position() + BASE_OFFSET_OFFSET);
                    drained[i].complete(
                        baseOffset,
                        baseOffset + getInt(batch, batch.position() + LAST_OFFSET_DELTA_OFFSET),
                        durableOnWrite);
                }
                done += appended;
            }
            catch (final Throwable ex)
            {
                // Whatever went wrong, every producer waiting on these requests must hear of it.
                for (int i = done; i < count; i++)
                {
                    drained[i].fail(ex);
                }
                done = count;
            }
        }
        for (int i = 0; i < count; i++)
        {
            drained[i] = null;
            batches[i] = null;
        }
        return count;
    }

    /**
     * Append what producers queued before the partition stopped taking requests, then close the log cleanly.
     */
    @Override
    public void onClose()
    {
        final long nowMs = clock.time();
        while (!queue.isEmpty())
        {
            appendDrained(nowMs);
        }
        try
        {
            log.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("closing " + log.dir(), ex);
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
