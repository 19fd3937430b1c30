package io.loglab.latency.replication;

import io.loglab.replication.node.ReplicationProbe;
import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage attribution of acks=all latency: the nodes' probe events (when the leader sent a follower records up to
 * an offset, when the follower took them, wrote them, when the leader heard its position, when the high watermark
 * passed) kept as (offset, time) in the order each node's thread saw them, and the producer's batches (when due, sent,
 * written, acknowledged), matched after the run: for each batch the first event of each stage past its last offset.
 * <p>
 * Threading: each event list has one writer, a node's thread (one list per stage and node); the producer's list is the
 * producer's. They are read by the producer's thread once the cluster is closed, which stopped every node thread.
 */
final class StageLog implements ReplicationProbe
{
    private static final int MAX_NODE = 8;
    /** No such event: a stage not reached (the run ended) or not taken (acks=1). */
    static final long NONE = Long.MIN_VALUE;
    private static final String[] STAGES = {
        "queued at the producer", "leader write", "leader to send", "wire to follower", "follower write",
        "position back", "until high watermark", "until acknowledged"};

    private final Events[] sent = events();
    private final Events[] taken = events();
    private final Events[] written = events();
    private final Events[] heard = events();
    private final Events committed = new Events();
    /** Producer thread: each measured batch's last offset and times (due, sent, written, acknowledged). */
    private final LongArrayList batchLast = new LongArrayList();
    private final LongArrayList batchTimes = new LongArrayList();

    /**
     * (offset, {@link System#nanoTime()}) pairs in the order one thread saw them.
     */
    private static final class Events
    {
        final LongArrayList offsets = new LongArrayList();
        final LongArrayList nanos = new LongArrayList();
        int cursor;

        void add(final long offset)
        {
            offsets.addLong(offset);
            nanos.addLong(System.nanoTime());
        }

        /**
         * The time of the first event past {@code lastOffset} from the cursor on, moving it; {@link #NONE} if there
         * is none.
         */
        long firstPast(final long lastOffset)
        {
            while (cursor < offsets.size() && offsets.getLong(cursor) <= lastOffset)
            {
                cursor++;
            }
            return cursor < offsets.size() ? nanos.getLong(cursor) : NONE;
        }
    }

    private static Events[] events()
    {
        final Events[] events = new Events[MAX_NODE + 1];
        for (int i = 0; i <= MAX_NODE; i++)
        {
            events[i] = new Events();
        }
        return events;
    }

    @Override
    public void recordsSent(final int leader, final int follower, final UUID topicId, final int partition,
        final long endOffset)
    {
        sent[follower].add(endOffset);
    }

    @Override
    public void recordsTaken(final int follower, final UUID topicId, final int partition, final long endOffset)
    {
        taken[follower].add(endOffset);
    }

    @Override
    public void recordsWritten(final int follower, final UUID topicId, final int partition, final long logEndOffset)
    {
        written[follower].add(logEndOffset);
    }

    @Override
    public void positionHeard(final int leader, final int follower, final UUID topicId, final int partition,
        final long logEndOffset)
    {
        heard[follower].add(logEndOffset);
    }

    @Override
    public void committed(final int leader, final UUID topicId, final int partition, final long highWatermark)
    {
        committed.add(highWatermark);
    }

    /**
     * Producer thread: a measured batch ending at {@code lastOffset}.
     */
    void batch(final long lastOffset, final long dueNs, final long sentNs, final long writtenNs, final long ackNs)
    {
        batchLast.addLong(lastOffset);
        batchTimes.addLong(dueNs);
        batchTimes.addLong(sentNs);
        batchTimes.addLong(writtenNs);
        batchTimes.addLong(ackNs);
    }

    /**
     * Once the nodes have stopped: each stage's distribution over the measured batches, for the followers of
     * {@code leader} among nodes 1 to {@code nodes}.
     */
    List<StageLatency> stages(final int leader, final int nodes)
    {
        final Histogram[] histograms = new Histogram[STAGES.length];
        for (int i = 0; i < STAGES.length; i++)
        {
            histograms[i] = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        }
        for (int b = 0; b < batchLast.size(); b++)
        {
            final long last = batchLast.getLong(b);
            final long due = batchTimes.getLong(4 * b);
            final long sentNs = batchTimes.getLong(4 * b + 1);
            final long writtenNs = batchTimes.getLong(4 * b + 2);
            final long ackNs = batchTimes.getLong(4 * b + 3);
            record(histograms[0], due, sentNs);
            record(histograms[1], sentNs, writtenNs);
            for (int f = 1; f <= nodes; f++)
            {
                if (f != leader)
                {
                    final long sentToFollower = sent[f].firstPast(last);
                    final long takenNs = taken[f].firstPast(last);
                    final long writtenOnFollower = written[f].firstPast(last);
                    record(histograms[2], writtenNs, sentToFollower);
                    record(histograms[3], sentToFollower, takenNs);
                    record(histograms[4], takenNs, writtenOnFollower);
                    record(histograms[5], writtenOnFollower, heard[f].firstPast(last));
                }
            }
            final long committedNs = committed.firstPast(last);
            record(histograms[6], writtenNs, committedNs);
            record(histograms[7], committedNs, ackNs);
        }
        final List<StageLatency> stages = new ArrayList<>();
        for (int i = 0; i < STAGES.length; i++)
        {
            final Histogram h = histograms[i];
            stages.add(new StageLatency(STAGES[i], h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0));
        }
        return stages;
    }

    private static void record(final Histogram histogram, final long fromNs, final long toNs)
    {
        if (fromNs != NONE && toNs != NONE)
        {
            histogram.recordValue(Math.max(0, toNs - fromNs));
        }
    }
}
