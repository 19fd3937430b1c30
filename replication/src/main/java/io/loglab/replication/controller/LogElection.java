package io.loglab.replication.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's "most up-to-date log wins" for one majority-commit topic's partitions, as {@link ControllerState} runs it:
 * the logs each leaderless partition's replicas reported (latest epoch, log end), and the choice among them once a
 * majority of all its replicas have reported from their current incarnations and are alive. Committed records are
 * on a majority of logs, so on one of those reporters, and on the one chosen (logs of the same latest epoch are
 * prefixes of one another: one leader per epoch). Sorted maps only, so every member of a replicated controller
 * chooses alike.
 * <p>
 * Threading: the controller's, as {@link ControllerState}.
 */
final class LogElection
{
    /**
     * Whether node {@code nodeId} is alive in incarnation {@code incarnation} now.
     */
    @FunctionalInterface
    interface Liveness
    {
        boolean isCurrent(int nodeId, long incarnation);
    }

    /** A replica's log as its node reported it in a leaderless epoch. */
    private record LogReport(long incarnation, int latestEpoch, long logEndOffset)
    {
    }

    /** By partition: each reporting node's latest report. */
    private final List<Map<Integer, LogReport>> reports = new ArrayList<>();

    LogElection(final int partitionCount)
    {
        for (int p = 0; p < partitionCount; p++)
        {
            reports.add(new TreeMap<>());
        }
    }

    /**
     * Node {@code nodeId}'s log of {@code partition}, in incarnation {@code incarnation}: replaces its earlier report.
     */
    void report(final int partition, final int nodeId, final long incarnation, final int latestEpoch,
        final long logEndOffset)
    {
        reports.get(partition).put(nodeId, new LogReport(incarnation, latestEpoch, logEndOffset));
    }

    /**
     * Forget the partition's reports: a new election starts, or one ended.
     */
    void clear(final int partition)
    {
        reports.get(partition).clear();
    }

    /**
     * The replica with the latest epoch, then the longest log (the first in replica order on a tie), among those that
     * reported and are alive in the incarnation they reported from; {@link PartitionState#NO_LEADER} while those are
     * no majority of {@code replicas}.
     */
    int choose(final int partition, final int[] replicas, final Liveness liveness)
    {
        final Map<Integer, LogReport> reported = reports.get(partition);
        int counted = 0;
        int leader = PartitionState.NO_LEADER;
        LogReport best = null;
        for (final int replica : replicas)
        {
            final LogReport report = reported.get(replica);
            if (report == null || !liveness.isCurrent(replica, report.incarnation()))
            {
                continue;
            }
            counted++;
            if (best == null || report.latestEpoch() > best.latestEpoch() ||
                report.latestEpoch() == best.latestEpoch() && report.logEndOffset() > best.logEndOffset())
            {
                best = report;
                leader = replica;
            }
        }
        return counted > replicas.length / 2 ? leader : PartitionState.NO_LEADER;
    }
}
