package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatchDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leader epoch -> offset of the first batch written in that epoch, for one partition's log (Kafka's
 * {@code LeaderEpochFileCache}). A follower that rejoins asks the leader where the follower's last epoch ended
 * ({@link #endOffsetFor}) and truncates there. Both fields of the entries ascend strictly.
 * <p>
 * Persisted in {@code leader-epoch-checkpoint} on every change (none for a read-only view), and rebuilt from the
 * batches' own leader epochs when that file is missing or damaged: it is derived data, never trusted over the log.
 * <p>
 * Threading: the log's writer thread makes every change and publishes a new immutable array with a release store
 * ({@link #entries} is volatile); any thread may query it.
 */
public final class LeaderEpochCache
{
    /** No epoch: a log without batches, or an epoch this cache cannot place. */
    public static final int UNDEFINED_EPOCH = -1;
    /** No offset: paired with {@link #UNDEFINED_EPOCH}. */
    public static final long UNDEFINED_OFFSET = -1;

    /**
     * @param epoch       a leader epoch.
     * @param startOffset offset of the first batch written in it.
     */
    public record EpochEntry(int epoch, long startOffset)
    {
        public EpochEntry
        {
            if (epoch < 0 || startOffset < 0)
            {
                throw new IllegalArgumentException("epoch " + epoch + " at offset " + startOffset + ": both must " +
                    "not be negative");
            }
        }
    }

    /**
     * @param epoch     the largest epoch at most the one asked for, or {@link #UNDEFINED_EPOCH}.
     * @param endOffset where it ended: the start of the next epoch, or the log end offset for the latest one.
     */
    public record EpochEndOffset(int epoch, long endOffset)
    {
        static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);
    }

    private static final EpochEntry[] EMPTY = new EpochEntry[0];

    /** Null for a read-only view, which persists nothing. */
    private final LeaderEpochCheckpointFile checkpoint;
    /** Writer thread: volatile store of a new array. Any thread: volatile load. Never mutated in place. */
    private volatile EpochEntry[] entries;

    LeaderEpochCache(final LeaderEpochCheckpointFile checkpoint, final List<EpochEntry> initial)
    {
        this.checkpoint = checkpoint;
        this.entries = EMPTY;
        for (final EpochEntry entry : initial)
        {
            assignInMemory(entry.epoch(), entry.startOffset());
        }
    }

    /**
     * Writer thread: record that {@code epoch} starts at {@code startOffset}. Does nothing when it is the latest
     * epoch already and starts no earlier; entries that would break the ascending order (a later or equal epoch, or a
     * start at or past this one) are removed first, as Kafka does.
     *
     * @return true if the cache changed (and was persisted).
     */
    boolean assign(final int epoch, final long startOffset) throws IOException
    {
        if (!assignInMemory(epoch, startOffset))
        {
            return false;
        }
        persist();
        return true;
    }

    /**
     * Writer thread, after an append: record each epoch a batch of {@code [from, from + count)} starts (a ByteBuffer
     * holding one stored batch between its position and limit), persisting once if any was newer.
     */
    void assignNewer(final ByteBuffer[] batches, final int from, final int count) throws IOException
    {
        boolean changed = false;
        for (int i = from; i < from + count; i++)
        {
            final ByteBuffer batch = batches[i];
            final int epoch = RecordBatchDescriptor.getInt(batch, batch.position() +
                RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET);
            if (epoch > latestEpoch())
            {
                changed |= assignInMemory(epoch, RecordBatchDescriptor.getLong(batch, batch.position() +
                    RecordBatchDescriptor.BASE_OFFSET_OFFSET));
            }
        }
        if (changed)
        {
            persist();
        }
    }

    /**
     * Writer thread, while loading: take an epoch seen in the batches if it is newer than every entry, without
     * persisting (the loader persists once).
     *
     * @return true if the cache changed.
     */
    boolean assignInMemoryIfNewer(final EpochEntry entry)
    {
        return entry.epoch() > latestEpoch() && assignInMemory(entry.epoch(), entry.startOffset());
    }

    private boolean assignInMemory(final int epoch, final long startOffset)
    {
        final EpochEntry entry = new EpochEntry(epoch, startOffset);
        final EpochEntry[] current = entries;
        final EpochEntry latest = current.length == 0 ? null : current[current.length - 1];
        if (latest != null && latest.epoch() == epoch && latest.startOffset() <= startOffset)
        {
            return false;
        }
        int keep = current.length;
        while (keep > 0 && (current[keep - 1].epoch() >= epoch || current[keep - 1].startOffset() >= startOffset))
        {
            keep--;
        }
        final EpochEntry[] updated = Arrays.copyOf(current, keep + 1);
        updated[keep] = entry;
        entries = updated;
        return true;
    }

    /**
     * Latest epoch with batches, or {@link #UNDEFINED_EPOCH}.
     */
    public int latestEpoch()
    {
        final EpochEntry[] current = entries;
        return current.length == 0 ? UNDEFINED_EPOCH : current[current.length - 1].epoch();
    }

    /**
     * Where {@code requestedEpoch} ended in this log, as Kafka's {@code OffsetsForLeaderEpoch} answers: the largest
     * epoch at most the one requested, and the start offset of the first later epoch (the log end offset when the
     * requested epoch is the latest). An epoch older than every entry ends where the first entry starts; an epoch
     * newer than every entry, or {@link #UNDEFINED_EPOCH}, gives {@link EpochEndOffset#UNDEFINED}.
     */
    public EpochEndOffset endOffsetFor(final int requestedEpoch, final long logEndOffset)
    {
        final EpochEntry[] current = entries;
        if (requestedEpoch == UNDEFINED_EPOCH || current.length == 0)
        {
            return EpochEndOffset.UNDEFINED;
        }
        if (current[current.length - 1].epoch() == requestedEpoch)
        {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        int higher = 0;
        while (higher < current.length && current[higher].epoch() <= requestedEpoch)
        {
            higher++;
        }
        if (higher == current.length)
        {
            return EpochEndOffset.UNDEFINED;
        }
        final int floorEpoch = higher == 0 ? requestedEpoch : current[higher - 1].epoch();
        return new EpochEndOffset(floorEpoch, current[higher].startOffset());
    }

    /**
     * Epoch of the batch holding {@code offset}, or {@link #UNDEFINED_EPOCH} when it lies before every entry.
     */
    public int epochForOffset(final long offset)
    {
        int epoch = UNDEFINED_EPOCH;
        for (final EpochEntry entry : entries)
        {
            if (entry.startOffset() > offset)
            {
                break;
            }
            epoch = entry.epoch();
        }
        return epoch;
    }

    /**
     * Writer thread, when the log is truncated to end at {@code endOffset}: remove entries starting at or after it.
     */
    void truncateFromEnd(final long endOffset) throws IOException
    {
        final EpochEntry[] current = entries;
        int keep = current.length;
        while (keep > 0 && current[keep - 1].startOffset() >= endOffset)
        {
            keep--;
        }
        if (keep < current.length)
        {
            entries = Arrays.copyOf(current, keep);
            persist();
        }
    }

    /**
     * Writer thread, when the log start offset moves to {@code startOffset}: entries starting at or before it are
     * removed but the last of them, which now starts at {@code startOffset} (Kafka's rule: the epoch of the first
     * offset kept is still known).
     */
    void truncateFromStart(final long startOffset) throws IOException
    {
        final EpochEntry[] current = entries;
        int removed = 0;
        while (removed < current.length && current[removed].startOffset() <= startOffset)
        {
            removed++;
        }
        if (removed == 0 || (removed == 1 && current[0].startOffset() == startOffset))
        {
            return;
        }
        final EpochEntry[] updated = new EpochEntry[current.length - removed + 1];
        updated[0] = new EpochEntry(current[removed - 1].epoch(), startOffset);
        System.arraycopy(current, removed, updated, 1, current.length - removed);
        entries = updated;
        persist();
    }

    /**
     * Writer thread: forget every entry, for a log truncated fully.
     */
    void clear() throws IOException
    {
        if (entries.length > 0)
        {
            entries = EMPTY;
            persist();
        }
    }

    /**
     * A moment's copy of the entries, oldest first.
     */
    public List<EpochEntry> entries()
    {
        return List.of(entries);
    }

    /**
     * Writer thread: write the checkpoint as the cache stands (after it was rebuilt, say).
     */
    void persist() throws IOException
    {
        if (checkpoint != null)
        {
            checkpoint.write(new ArrayList<>(List.of(entries)));
        }
    }

    @Override
    public String toString()
    {
        return "LeaderEpochCache" + Arrays.toString(entries);
    }
}
