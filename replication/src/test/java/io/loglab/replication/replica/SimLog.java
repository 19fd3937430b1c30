package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of one replica's partition log for the simulation: one value per batch, so an offset is an index from the
 * log start; what is written (the page cache) and what is fsynced; the high watermark the replica knows. Epoch
 * lookups answer as {@link LeaderEpochCache#endOffsetFor} does, from the batches' own epochs.
 */
final class SimLog implements ReplicaLog
{
    record Entry(int epoch, long value)
    {
    }

    private static final LeaderEpochCache.EpochEndOffset UNDEFINED = new LeaderEpochCache.EpochEndOffset(
        LeaderEpochCache.UNDEFINED_EPOCH, LeaderEpochCache.UNDEFINED_OFFSET);

    private final List<Entry> entries = new ArrayList<>();
    private long startOffset;
    private long durableEndOffset;
    private long highWatermark;

    @Override
    public long logStartOffset()
    {
        return startOffset;
    }

    @Override
    public long logEndOffset()
    {
        return startOffset + entries.size();
    }

    @Override
    public long durableEndOffset()
    {
        return durableEndOffset;
    }

    @Override
    public int latestEpoch()
    {
        return entries.isEmpty() ? LeaderEpochCache.UNDEFINED_EPOCH : entries.get(entries.size() - 1).epoch();
    }

    @Override
    public LeaderEpochCache.EpochEndOffset endOffsetFor(final int epoch)
    {
        if (epoch == LeaderEpochCache.UNDEFINED_EPOCH || entries.isEmpty())
        {
            return UNDEFINED;
        }
        if (latestEpoch() == epoch)
        {
            return new LeaderEpochCache.EpochEndOffset(epoch, logEndOffset());
        }
        int higher = 0;
        while (higher < entries.size() && entries.get(higher).epoch() <= epoch)
        {
            higher++;
        }
        if (higher == entries.size())
        {
            return UNDEFINED;
        }
        final int floor = higher == 0 ? epoch : entries.get(higher - 1).epoch();
        return new LeaderEpochCache.EpochEndOffset(floor, startOffset + higher);
    }

    long highWatermark()
    {
        return highWatermark;
    }

    void highWatermark(final long highWatermark)
    {
        this.highWatermark = highWatermark;
    }

    Entry at(final long offset)
    {
        return offset < startOffset || offset >= logEndOffset() ? null : entries.get((int)(offset - startOffset));
    }

    void append(final Entry entry)
    {
        if (entry.epoch() < Math.max(0, latestEpoch()))
        {
            throw new IllegalStateException("epoch " + entry.epoch() + " after " + latestEpoch());
        }
        entries.add(entry);
    }

    List<Entry> read(final long fromOffset, final int maxEntries)
    {
        final int from = (int)(fromOffset - startOffset);
        return new ArrayList<>(entries.subList(from, Math.min(entries.size(), from + maxEntries)));
    }

    void truncateTo(final long offset)
    {
        while (logEndOffset() > Math.max(offset, startOffset))
        {
            entries.remove(entries.size() - 1);
        }
        durableEndOffset = Math.min(durableEndOffset, logEndOffset());
        highWatermark = Math.min(highWatermark, logEndOffset());
    }

    void truncateFullyAndStartAt(final long offset)
    {
        entries.clear();
        startOffset = offset;
        durableEndOffset = offset;
        highWatermark = offset;
    }

    void fsync()
    {
        durableEndOffset = logEndOffset();
    }

    /**
     * A power loss: what was not fsynced is gone.
     */
    void loseUnflushedTail()
    {
        truncateTo(durableEndOffset);
    }
}
