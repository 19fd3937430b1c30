package io.loglab.engine.partition;

import io.loglab.engine.log.CompactedSegments;
import io.loglab.engine.log.LogCompactor;
import io.loglab.engine.log.PartitionLog;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cleaner thread (Kafka's {@code LogCleaner}, one thread): every {@code backoffMs} it looks at the open logs whose
 * {@code cleanup.policy} compacts, picks the one with the largest dirty ratio at or above its
 * {@code min.cleanable.dirty.ratio}, compacts it ({@link LogCompactor}) while its writer goes on appending, and sends
 * the swap to the partition's writer shard, which alone changes the log's segments. After a pass it looks again at
 * once, so a backlog of dirty logs is worked through without waiting.
 * <p>
 * Threading: partitions are {@link #add}ed from any thread through a queue; everything else is the cleaner thread's,
 * but for the counters, written (ordered stores) by it and read by any thread.
 */
final class LogCleaner implements Agent
{
    /** How long the cleaner waits for a writer to run a swap before giving the copies up. */
    private static final long SWAP_TIMEOUT_MS = Partition.CLOSE_TIMEOUT_MS;

    private static final class Entry
    {
        final Partition partition;
        /** Where the log's dirty part starts; -1 until read from its checkpoint. */
        long cleanedTo = -1;

        Entry(final Partition partition)
        {
            this.partition = partition;
        }
    }

    private final LogCompactor compactor;
    private final EpochClock clock;
    private final long backoffMs;
    private final ErrorHandler errorHandler;
    /** Any thread offers; the cleaner thread polls. */
    private final MpscUnboundedArrayQueue<Partition> added = new MpscUnboundedArrayQueue<>(64);
    private final List<Entry> entries = new ArrayList<>();
    private long nextLookMs;
    /** Cleaner thread: volatile store after each pass swapped in. Any thread: volatile load. */
    private volatile long passes;

    LogCleaner(final int dedupeBufferBytes, final EpochClock clock, final long backoffMs,
        final ErrorHandler errorHandler)
    {
        this.compactor = new LogCompactor(dedupeBufferBytes);
        this.clock = clock;
        this.backoffMs = backoffMs;
        this.errorHandler = errorHandler;
    }

    /**
     * Any thread: a partition whose log compacts, looked at from its first open on, until it closes.
     */
    void add(final Partition partition)
    {
        added.offer(partition);
    }

    @Override
    public int doWork()
    {
        int work = added.drain(partition -> entries.add(new Entry(partition)));
        final long nowMs = clock.time();
        if (nowMs < nextLookMs)
        {
            return work;
        }
        nextLookMs = nowMs + backoffMs;
        Entry dirtiest = null;
        PartitionLog dirtiestLog = null;
        LogCompactor.Cleanable best = null;
        for (final Iterator<Entry> it = entries.iterator(); it.hasNext(); )
        {
            final Entry entry = it.next();
            if (entry.partition.queue().isClosed())
            {
                it.remove();
                continue;
            }
            final PartitionLog log = entry.partition.lazyLog().logVolatile();
            if (log == null)
            {
                continue;
            }
            try
            {
                if (entry.cleanedTo < 0)
                {
                    entry.cleanedTo = LogCompactor.cleanedTo(log);
                }
                final LogCompactor.Cleanable cleanable = compactor.cleanable(log, entry.cleanedTo, nowMs);
                if (cleanable != null && cleanable.dirtyRatio() >= log.config().minCleanableDirtyRatio() &&
                    (best == null || cleanable.dirtyRatio() > best.dirtyRatio()))
                {
                    dirtiest = entry;
                    dirtiestLog = log;
                    best = cleanable;
                }
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        if (dirtiest != null && clean(dirtiest, dirtiestLog, best, nowMs))
        {
            nextLookMs = nowMs;
            work++;
        }
        return work;
    }

    private boolean clean(final Entry entry, final PartitionLog log, final LogCompactor.Cleanable cleanable,
        final long nowMs)
    {
        final CompactedSegments compacted;
        try
        {
            compacted = compactor.compact(log, cleanable, nowMs);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
            return false;
        }
        if (compacted == null)
        {
            return false;
        }
        entry.cleanedTo = compacted.cleanedTo();
        final CompletableFuture<Integer> swapped = entry.partition.swapCompacted(compacted);
        try
        {
            if (!BoundedWait.await(swapped, SWAP_TIMEOUT_MS, entry.partition))
            {
                throw BoundedWait.timedOut(entry.partition, "swap compacted segments in", SWAP_TIMEOUT_MS);
            }
        }
        catch (final RuntimeException ex)
        {
            compacted.discard();
            if (!entry.partition.queue().isClosed())
            {
                errorHandler.onError(ex);
            }
            return false;
        }
        if (swapped.join() == 0)
        {
            return false;
        }
        passes = passes + 1;
        return true;
    }

    /**
     * Any thread: make a pass under way give up at its next batch; for the thread stopping the cleaner.
     */
    void cancel()
    {
        compactor.cancel();
    }

    /**
     * Passes whose copies were swapped in so far.
     */
    long passes()
    {
        return passes;
    }

    @Override
    public String roleName()
    {
        return WriterShards.CLEANER_THREAD_NAME;
    }
}
