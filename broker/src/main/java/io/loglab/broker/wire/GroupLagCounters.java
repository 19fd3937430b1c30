package io.loglab.broker.wire;

import io.loglab.broker.group.CommittedOffset;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.TopicPartitionId;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.stat.CountersFile;
import io.loglab.engine.topic.LogManager;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Each group's lag on every partition it committed an offset for, as counters in the data directory's counters file
 * ({@link CountersFile}, printed by {@code loglab stat} beside each partition's log end offset): the partition's high
 * watermark (what ListOffsets answers for the latest offset, so the figure {@code loglab groups describe} and
 * Kafka's {@code kafka-consumer-groups --describe} show) minus the committed offset, never below 0.
 * <p>
 * Refreshed once a second. A counter is made the first time its group commits for its partition and freed when that
 * commit is removed, the group deleted, or the partition deleted. A partition whose log is still opening (or
 * refused) keeps its last figure until it can be read; one that has stored nothing has no counter yet. When the
 * counters file is full, the lags that do not fit are left out.
 * <p>
 * Threading: the network thread allocates, updates (ordered stores) and frees; any process reads.
 */
final class GroupLagCounters implements AutoCloseable
{
    static final long REFRESH_INTERVAL_MS = 1000;

    private record GroupPartition(String groupId, TopicPartitionId partition)
    {
    }

    private final CountersManager counters;
    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final Map<GroupPartition, AtomicCounter> lags = new HashMap<>();
    private final Set<GroupPartition> kept = new HashSet<>();
    private long nextRefreshMs;

    GroupLagCounters(final LogManager logs, final GroupCoordinator coordinator)
    {
        this.counters = logs.counters();
        this.logs = logs;
        this.coordinator = coordinator;
    }

    /**
     * Each pass of the network thread: refresh when a second has passed since the last refresh.
     */
    void poll(final long nowMs)
    {
        if (nowMs - nextRefreshMs >= 0)
        {
            nextRefreshMs = nowMs + REFRESH_INTERVAL_MS;
            refresh();
        }
    }

    private void refresh()
    {
        for (final String groupId : coordinator.groupsWithOffsets())
        {
            for (final Map.Entry<TopicPartitionId, CommittedOffset> committed :
                coordinator.committed(groupId).entrySet())
            {
                final TopicPartitionId id = committed.getKey();
                final Partition partition = Partitions.find(logs, id.topic(), id.partition());
                if (partition == null || !partition.isStored())
                {
                    continue;
                }
                final GroupPartition key = new GroupPartition(groupId, id);
                kept.add(key);
                final long highWatermark = highWatermark(partition);
                if (highWatermark < 0)
                {
                    continue;
                }
                AtomicCounter lag = lags.get(key);
                if (lag == null)
                {
                    lag = allocate("lag: group " + groupId + " " + id.topic() + "-" + id.partition());
                    if (lag == null)
                    {
                        continue;
                    }
                    lags.put(key, lag);
                }
                lag.setOrdered(Math.max(0, highWatermark - committed.getValue().offset()));
            }
        }
        lags.entrySet().removeIf(entry ->
        {
            final boolean gone = !kept.contains(entry.getKey());
            if (gone)
            {
                entry.getValue().close();
            }
            return gone;
        });
        kept.clear();
    }

    /**
     * The partition's high watermark, or -1 while its log is not open: the network thread never waits for an open.
     */
    private static long highWatermark(final Partition partition)
    {
        if (!partition.openAsync().isDone())
        {
            return -1;
        }
        try
        {
            return partition.log().highWatermark();
        }
        catch (final UncheckedIOException refusedOrClosed)
        {
            return -1;
        }
    }

    private AtomicCounter allocate(final String label)
    {
        try
        {
            return counters.newCounter(label, CountersFile.BROKER_TYPE_ID);
        }
        catch (final IllegalStateException full)
        {
            return null;
        }
    }

    /**
     * Free the counters: the broker stops.
     */
    @Override
    public void close()
    {
        lags.values().forEach(AtomicCounter::close);
        lags.clear();
    }
}
