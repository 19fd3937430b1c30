package io.loglab.engine.partition;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.PartitionLog;
import org.agrona.ErrorHandler;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The timers of a shard's open partitions: the interval flush ({@link FlushPolicy#onInterval()}) and the retention
 * check, kept in a heap by each partition's next deadline. A duty cycle looks at the earliest only, so a shard of a
 * thousand idle partitions stays cheap, and its idle strategy parks until that deadline at most.
 * <p>
 * Threading: the shard thread only, as are the partitions' timer fields.
 */
final class ShardTimers
{
    private static final int MAX_DUE_PER_CYCLE = 64;
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final long retentionCheckIntervalMs;
    private final ErrorHandler errorHandler;
    private final PriorityQueue<Partition> heap =
        new PriorityQueue<>(Comparator.comparingLong(partition -> partition.timerDeadlineMs));

    ShardTimers(final long retentionCheckIntervalMs, final ErrorHandler errorHandler)
    {
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.errorHandler = errorHandler;
    }

    /**
     * A partition's log has just opened: its timers start now.
     */
    void start(final Partition partition, final long nowMs)
    {
        final FlushPolicy flushPolicy = partition.config().flushPolicy();
        partition.nextFlushMs = flushPolicy.onInterval() ? nowMs + flushPolicy.intervalMs() : Long.MAX_VALUE;
        partition.nextRetentionMs = nowMs + retentionCheckIntervalMs;
        partition.timerDeadlineMs = Math.min(partition.nextFlushMs, partition.nextRetentionMs);
        heap.offer(partition);
    }

    /**
     * Run the timers that are due, a bounded number per cycle so appends are not held up. A partition no longer open
     * leaves the heap when its turn comes. A failure goes to the error handler; the partition's timers go on.
     *
     * @return work done.
     */
    int runDue(final long nowMs)
    {
        int workCount = 0;
        Partition partition;
        for (int i = 0; i < MAX_DUE_PER_CYCLE && (partition = heap.peek()) != null &&
            partition.timerDeadlineMs <= nowMs; i++)
        {
            heap.poll();
            final PartitionLog log = partition.lazyLog().ifOpen();
            if (log == null)
            {
                continue;
            }
            // Timers move before the work, so a log that has failed reports once per interval, not every cycle.
            if (nowMs >= partition.nextFlushMs)
            {
                partition.nextFlushMs = nowMs + partition.config().flushPolicy().intervalMs();
                workCount++;
                try
                {
                    log.flush();
                }
                catch (final Throwable ex)
                {
                    errorHandler.onError(ex);
                }
            }
            if (nowMs >= partition.nextRetentionMs)
            {
                partition.nextRetentionMs = nowMs + retentionCheckIntervalMs;
                workCount++;
                try
                {
                    workCount += log.applyRetention(nowMs);
                }
                catch (final Throwable ex)
                {
                    errorHandler.onError(ex);
                }
            }
            partition.timerDeadlineMs = Math.min(partition.nextFlushMs, partition.nextRetentionMs);
            heap.offer(partition);
        }
        return workCount;
    }

    /**
     * Nanoseconds until the earliest deadline, 0 if one is due, {@link Long#MAX_VALUE} if there is none.
     */
    long nanosUntilNext(final long nowMs)
    {
        final Partition next = heap.peek();
        if (next == null)
        {
            return Long.MAX_VALUE;
        }
        final long untilMs = Math.max(0, next.timerDeadlineMs - nowMs);
        return untilMs >= Long.MAX_VALUE / NANOS_PER_MILLI ? Long.MAX_VALUE : untilMs * NANOS_PER_MILLI;
    }
}
