package io.loglab.replication.node;

import io.loglab.engine.log.ReadableLog;

import java.util.HashMap;
import java.util.Map;

/**
 * Under majority commit, the partitions this node replicates that the controller left without a leader, to elect
 * the most up-to-date log: each one's log is reported once its replica has stopped (so it follows no one, and its
 * log end holds everything it ever reported to the old leader), and again every heartbeat until the partition is
 * led or followed again, so a lost report, or a controller that changed, still hears it.
 * <p>
 * Threading: the node's thread only.
 */
final class LeaderlessLogs
{
    private record Key(String topic, int partition)
    {
    }

    private final NodeContext ctx;
    /** Each stopped partition's leaderless epoch. */
    private final Map<Key, Integer> stopped = new HashMap<>();

    LeaderlessLogs(final NodeContext ctx)
    {
        this.ctx = ctx;
    }

    /**
     * The partition's replica here has stopped for leaderless epoch {@code leaderEpoch}: report its log.
     */
    void stopped(final String topic, final int partition, final int leaderEpoch)
    {
        stopped.put(new Key(topic, partition), leaderEpoch);
        report(topic, partition, leaderEpoch);
    }

    /**
     * The partition has a leader again, this node or another.
     */
    void led(final String topic, final int partition)
    {
        if (!stopped.isEmpty())
        {
            stopped.remove(new Key(topic, partition));
        }
    }

    /**
     * The topic was deleted.
     */
    void forget(final String topic)
    {
        if (!stopped.isEmpty())
        {
            stopped.keySet().removeIf(key -> key.topic().equals(topic));
        }
    }

    /**
     * Report every partition still without a leader.
     */
    void reportAll()
    {
        stopped.forEach((key, epoch) -> report(key.topic(), key.partition(), epoch));
    }

    private void report(final String topic, final int partition, final int leaderEpoch)
    {
        if (!ctx.logs().hasTopic(topic))
        {
            return;
        }
        final ReadableLog log = ctx.logs().topic(topic).partition(partition).log();
        // The log end before the epochs (as PartitionLogView reads them): the epoch is never older than the end.
        final long logEnd = log.logEndOffset();
        ctx.controller().reportLog(ctx.nodeId(), ctx.incarnation(), topic, partition, leaderEpoch,
            log.epochCache().latestEpoch(), logEnd);
    }
}
