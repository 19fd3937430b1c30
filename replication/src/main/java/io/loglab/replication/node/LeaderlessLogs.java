package io.loglab.replication.node;

import io.loglab.engine.log.ReadableLog;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Under majority commit, the partitions this node replicates that the controller left without a leader, to elect
 * the most up-to-date log: each one's log is reported once its replica is quiet (it follows no one, and the appends
 * of its former follower role are all written, so its log end holds everything it ever reported to the old leader),
 * and again every heartbeat until the partition is led or followed in a later epoch, so a lost report, or a
 * controller that changed, still hears it.
 * <p>
 * Threading: the node's thread only.
 */
final class LeaderlessLogs
{
    private record Key(String topic, int partition)
    {
    }

    private final NodeContext ctx;
    /** Whether the replica of a topic's partition here is quiet ({@link PartitionReplica#isQuiet}, or none). */
    private final BiPredicate<String, Integer> quiet;
    /** Each stopped partition's leaderless epoch. */
    private final Map<Key, Integer> stopped = new HashMap<>();

    LeaderlessLogs(final NodeContext ctx, final BiPredicate<String, Integer> quiet)
    {
        this.ctx = ctx;
        this.quiet = quiet;
    }

    /**
     * The partition's replica here has stopped for leaderless epoch {@code leaderEpoch}: report its log, now if it is
     * quiet, else at the heartbeat it is.
     */
    void stopped(final String topic, final int partition, final int leaderEpoch)
    {
        stopped.put(new Key(topic, partition), leaderEpoch);
        report(topic, partition, leaderEpoch);
    }

    /**
     * The partition is led in {@code leaderEpoch}, by this node or another: reports for an older leaderless epoch
     * end (a stale decision ends none).
     */
    void led(final String topic, final int partition, final int leaderEpoch)
    {
        if (!stopped.isEmpty())
        {
            stopped.computeIfPresent(new Key(topic, partition), (key, epoch) -> epoch < leaderEpoch ? null : epoch);
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
        try
        {
            if (!ctx.logs().hasTopic(topic) || !quiet.test(topic, partition))
            {
                return;
            }
            final ReadableLog log = ctx.logs().topic(topic).partition(partition).log();
            // The log end before the epochs (as PartitionLogView reads them): the epoch is never older than the end.
            final long logEnd = log.logEndOffset();
            ctx.controller().reportLog(ctx.nodeId(), ctx.incarnation(), topic, partition, leaderEpoch,
                log.epochCache().latestEpoch(), logEnd);
        }
        catch (final RuntimeException ex)
        {
            // One partition's failure stops no other's report.
            ctx.errorHandler().onError(ex);
        }
    }
}
