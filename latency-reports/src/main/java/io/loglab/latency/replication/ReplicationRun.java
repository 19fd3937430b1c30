package io.loglab.latency.replication;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.latency.harness.FixedRateSchedule;
import io.loglab.replication.cluster.ClusterContext;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.replication.cluster.LocalController;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.node.AcksListener;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.ReplicaConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a {@link ReplicationWorkload} on an embedded cluster of as many nodes as replicas (one JVM, Aeron UDP on
 * loopback, the local controller): one producer thread batches due records (up to the batch size), appends each batch
 * to the leader's partition, and for acks=all waits on the leader's node for the commit. Each record's latency runs
 * from when it was due on the fixed schedule (so a producer that falls behind is measured, not hidden) or, closed
 * loop, from when its batch was sent, to its acknowledgement: written on the leader for acks=1, committed and visible
 * for acks=all.
 * <p>
 * Threading: the calling thread produces and records; the leader's writer thread stamps each append's completion and
 * the leader's node thread each commit (volatile stores the producer reads).
 */
final class ReplicationRun implements AcksListener
{
    static final String TOPIC = "bench";
    private static final int SLOTS = 256;
    private static final int BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 32;
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long READY_TIMEOUT_MS = 30_000;
    private static final long DRAIN_GRACE_NS = TimeUnit.SECONDS.toNanos(10);

    private final ReplicationWorkload workload;
    private final long warmupNs;
    private final long durationNs;
    private final Slot[] slots = new Slot[SLOTS];
    /** Leader's node thread: volatile store of each commit's time, by slot. Producer: volatile load. */
    private final AtomicLongArray committedAt = new AtomicLongArray(SLOTS);
    /** Leader's node thread: written before {@link #committedAt}. */
    private final AckOutcome[] outcomes = new AckOutcome[SLOTS];
    private final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final StageLog stages = new StageLog();
    private final UnsafeBuffer value;
    /** Records not acknowledged as committed, by why: an {@link AckOutcome}, or the append's failure. */
    private final Map<String, Long> refusals = new TreeMap<>();
    /** Bytes and records of every batch appended: what a record takes in the log, batch header included. */
    private long appendedBytes;
    private long appendedRecords;

    /**
     * One batch in flight, reused: its request and bytes, which records it holds, and when its append completed.
     */
    private static final class Slot implements AppendListener
    {
        final AppendRequest request = new AppendRequest();
        final ByteBuffer bytes;
        final UnsafeBuffer buffer;
        long firstRecord;
        int records;
        long sentNs;
        boolean awaitingCommit;
        /** Writer thread: stored before the request's status is published (release); producer: read after it. */
        long writtenNs;

        Slot(final int capacity)
        {
            bytes = ByteBuffer.allocateDirect(capacity);
            buffer = new UnsafeBuffer(bytes);
            request.listener(this);
        }

        @Override
        public void onAppendComplete(final AppendRequest completed)
        {
            writtenNs = System.nanoTime();
        }
    }

    ReplicationRun(final ReplicationWorkload workload, final long warmupSeconds, final long durationSeconds)
    {
        this.workload = workload;
        this.warmupNs = TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.durationNs = TimeUnit.SECONDS.toNanos(durationSeconds);
        for (int i = 0; i < SLOTS; i++)
        {
            slots[i] = new Slot(BATCH_OVERHEAD + workload.batchRecords() * (workload.recordBytes() + RECORD_OVERHEAD));
        }
        final byte[] bytes = new byte[workload.recordBytes()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)('a' + i % 26);
        }
        value = new UnsafeBuffer(bytes);
    }

    @Override
    public void onAcknowledged(final UUID topicId, final int partition, final long token, final AckOutcome outcome)
    {
        outcomes[(int)token] = outcome;
        committedAt.set((int)token, System.nanoTime());
    }

    ReplicationMeasurement run(final Path dir) throws Exception
    {
        final int leaderId;
        final ReplicationMeasurement measured;
        final ReplicaConfig replicaConfig = new ReplicaConfig(workload.commitRule(),
            Math.min(2, workload.replicationFactor()), 10_000, 1024 * 1024, 50, 300);
        try (EmbeddedCluster cluster = new EmbeddedCluster(new ClusterContext().dir(dir)
            .nodeCount(workload.replicationFactor()).driverProfile(workload.driver()).replicaConfig(replicaConfig)
            .controller(new LocalController(new ControllerConfig(5_000), SystemEpochClock.INSTANCE,
                Throwable::printStackTrace))
            .acksListener(this).probe(stages)))
        {
            cluster.createTopic(TOPIC, 1, new TopicSettings(workload.replicationFactor(),
                Math.min(2, workload.replicationFactor()), false, workload.commitRule()),
                new LogConfig().flushPolicy(workload.fsync() ? FlushPolicy.EVERY : FlushPolicy.OS), 30_000);
            final EmbeddedCluster.Leader leader = cluster.awaitLeader(TOPIC, 0, workload.replicationFactor(),
                READY_TIMEOUT_MS);
            leaderId = leader.node().id();
            measured = produce(leader.node().replicas(), leader.status().topicId(), leader.node().partition(TOPIC, 0));
        }
        // The nodes have stopped: their probe events can be read.
        return workload.acksAll() ? measured.withStages(stages.stages(leaderId, workload.replicationFactor())) :
            measured;
    }

    private ReplicationMeasurement produce(final ReplicaNode node, final UUID topicId, final Partition partition)
    {
        final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        final long measureStartNs = startNs + warmupNs;
        final long endNs = measureStartNs + durationNs;
        final FixedRateSchedule schedule = workload.isFixedRate() ?
            new FixedRateSchedule(startNs, workload.recordsPerSecond()) : null;
        long nextRecord = 0;
        int head = 0;
        int inUse = 0;
        long acknowledgedInWindow = 0;
        long acknowledgedInWarmup = 0;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs >= endNs && (inUse == 0 || nowNs >= endNs + DRAIN_GRACE_NS))
            {
                break;
            }
            boolean progressed = workload.acksAll() && awaitCommits(head, inUse, node, topicId, partition);
            // Completions, oldest first: appends and commits both come in offset order.
            while (inUse > 0)
            {
                final Slot slot = slots[head];
                final long ackNs = acknowledged(slot, head);
                if (ackNs == 0)
                {
                    break;
                }
                if (ackNs > 0 && ackNs >= measureStartNs && ackNs < endNs)
                {
                    acknowledgedInWindow += slot.records;
                }
                else if (ackNs > 0 && ackNs < measureStartNs)
                {
                    acknowledgedInWarmup += slot.records;
                }
                if (ackNs > 0)
                {
                    record(slot, schedule, ackNs, measureStartNs, endNs);
                    final long dueNs = schedule == null ? slot.sentNs : schedule.intendedNanos(slot.firstRecord);
                    if (workload.acksAll() && dueNs >= measureStartNs && dueNs < endNs)
                    {
                        stages.batch(slot.request.lastOffset(), dueNs, slot.sentNs, slot.writtenNs, ackNs);
                    }
                }
                head = (head + 1) % SLOTS;
                inUse--;
                progressed = true;
            }
            // Sends.
            while (nowNs < endNs && inUse < SLOTS)
            {
                final long due = schedule == null ? nextRecord + workload.batchRecords() : schedule.dueBy(nowNs);
                if (due <= nextRecord)
                {
                    break;
                }
                final int index = (head + inUse) % SLOTS;
                final int records = (int)Math.min(due - nextRecord, workload.batchRecords());
                if (!send(slots[index], partition, nextRecord, records, nowNs))
                {
                    break;
                }
                nextRecord += records;
                inUse++;
                progressed = true;
            }
            // Fixed rate: sleep until the next record is due, so the producer takes no core of its own from the
            // nodes (completions wait: their times were taken when they happened). Closed loop: only when idle.
            if (schedule != null)
            {
                final long untilDue = schedule.intendedNanos(nextRecord) - System.nanoTime();
                if (untilDue > 0)
                {
                    LockSupport.parkNanos(untilDue);
                }
            }
            else if (!progressed)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        final double seconds = durationNs / 1e9;
        return new ReplicationMeasurement(workload, acknowledgedInWindow / seconds, latencies.getTotalCount(),
            micros(latencies.getValueAtPercentile(50)), micros(latencies.getValueAtPercentile(90)),
            micros(latencies.getValueAtPercentile(99)), micros(latencies.getValueAtPercentile(99.9)),
            micros(latencies.getValueAtPercentile(99.99)), micros(latencies.getMaxValue()), Map.copyOf(refusals),
            List.of(), appendedRecords == 0 ? Double.NaN : (double)appendedBytes / appendedRecords,
            acknowledgedInWarmup, null);
    }

    /**
     * @return when the slot's batch was acknowledged, 0 if not yet, or -1 if it was refused.
     */
    private long acknowledged(final Slot slot, final int index)
    {
        final AppendRequest request = slot.request;
        if (!request.isDone())
        {
            return 0;
        }
        if (request.status() == AppendRequest.FAILED)
        {
            refusals.merge("append failed: " + request.failure(), (long)slot.records, Long::sum);
            return -1;
        }
        if (!workload.acksAll())
        {
            return slot.writtenNs;
        }
        if (!slot.awaitingCommit)
        {
            return 0;
        }
        final long ackNs = committedAt.get(index);
        if (ackNs != 0 && outcomes[index] != AckOutcome.COMMITTED)
        {
            refusals.merge(outcomes[index].name(), (long)slot.records, Long::sum);
            return -1;
        }
        return ackNs;
    }

    /**
     * Wait on the node for the commit of every batch written since the last pass, as soon as it is written.
     *
     * @return whether any was.
     */
    private boolean awaitCommits(final int head, final int inUse, final ReplicaNode node, final UUID topicId,
        final Partition partition)
    {
        boolean any = false;
        for (int i = 0; i < inUse; i++)
        {
            final int index = (head + i) % SLOTS;
            final Slot slot = slots[index];
            if (!slot.awaitingCommit)
            {
                if (!slot.request.isDone())
                {
                    break;
                }
                if (slot.request.status() != AppendRequest.FAILED)
                {
                    slot.awaitingCommit = true;
                    committedAt.set(index, 0);
                    node.awaitCommit(topicId, partition.id(), slot.request.lastOffset() + 1, slot.request.leaderEpoch(),
                        index);
                    any = true;
                }
            }
        }
        return any;
    }

    private void record(final Slot slot, final FixedRateSchedule schedule, final long ackNs,
        final long measureStartNs, final long endNs)
    {
        for (int i = 0; i < slot.records; i++)
        {
            final long fromNs = schedule == null ? slot.sentNs : schedule.intendedNanos(slot.firstRecord + i);
            if (fromNs >= measureStartNs && fromNs < endNs)
            {
                latencies.recordValue(Math.max(0, ackNs - fromNs));
            }
        }
    }

    private boolean send(final Slot slot, final Partition partition, final long firstRecord, final int records,
        final long nowNs)
    {
        builder.wrap(slot.buffer, 0, slot.bytes.capacity()).reset();
        final long timestamp = System.currentTimeMillis();
        for (int i = 0; i < records; i++)
        {
            builder.tryAppend(timestamp, null, 0, 0, value, 0, value.capacity(), null);
        }
        final int length = builder.build();
        slot.request.batch(slot.bytes.clear().limit(length));
        if (partition.offer(slot.request) != Partition.OFFERED)
        {
            return false;
        }
        appendedBytes += length;
        appendedRecords += records;
        slot.firstRecord = firstRecord;
        slot.records = records;
        slot.sentNs = nowNs;
        slot.awaitingCommit = false;
        return true;
    }

    private static double micros(final long nanos)
    {
        return nanos / 1000.0;
    }
}
