package io.loglab.jmh.replication;

import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.jmh.support.Batches;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.BenchLogs;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.RecordCounters;
import io.loglab.replication.cluster.ClusterContext;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.replication.cluster.LocalController;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A leader streaming record batches to its followers over Aeron UDP: an embedded cluster of {@code replicas} nodes
 * (one JVM, one shared media driver, SHARED threading, 64 KiB datagrams on loopback, as {@code loglab bench
 * replication} runs it) with one partition, ISR commit. Each operation appends one batch on the leader and returns
 * once at most {@code inFlight} batches are past the high watermark, so the score is the rate at which batches are
 * written on the leader, streamed, written on every follower and reported back: the replica stream's throughput.
 * With {@code inFlight} 1 an operation is one batch's whole round trip, leader write to commit (sample it with
 * {@code -bm sample}).
 * <p>
 * Its ceiling is Aeron's own throughput on the same machine and driver settings, {@link AeronStreamBenchmark} with
 * the same {@code batchBytes}: run both in one invocation to read them side by side.
 * <p>
 * Scores: batches/s; {@code :records} and {@code :bytes} per second (bytes of record batches, each sent to every
 * follower).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP, "-Xms1g", "-Xmx1g"})
public class ReplicaStreamBenchmark
{
    private static final String TOPIC = "stream";
    private static final long READY_TIMEOUT_MS = 30_000;
    private static final long WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);

    @Param({"100"})
    int recordSize;

    @Param({"16384", "65536"})
    String batchBytes;

    @Param({"2", "3"})
    int replicas;

    @Param({"64"})
    int inFlight;

    private Path dir;
    private EmbeddedCluster cluster;
    private Partition leader;
    private ReadableLog leaderLog;
    private AppendRequest[] requests;
    private ByteBuffer[] batches;
    private int records;
    private int batchLength;
    private long appended;

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        dir = BenchDirectory.create("loglab-replica-stream-");
        cluster = new EmbeddedCluster(new ClusterContext().dir(dir).nodeCount(replicas)
            .replicaConfig(new ReplicaConfig(CommitRule.ISR, replicas, 10_000, 1024 * 1024, 50, 300))
            .controller(new LocalController(new ControllerConfig(5_000), SystemEpochClock.INSTANCE,
                Throwable::printStackTrace)));
        cluster.createTopic(TOPIC, 1, new TopicSettings(replicas, replicas, false, CommitRule.ISR),
            BenchLogs.appendConfig("os"), 30_000);
        leader = cluster.awaitLeader(TOPIC, 0, replicas, READY_TIMEOUT_MS).node().partition(TOPIC, 0);
        leaderLog = leader.log();
        final ByteBuffer batch = Batches.build(recordSize, batchBytes, System.currentTimeMillis());
        records = Batches.recordCount(batch);
        batchLength = batch.remaining();
        requests = new AppendRequest[inFlight];
        batches = new ByteBuffer[inFlight];
        for (int i = 0; i < inFlight; i++)
        {
            // One copy each: the writer stamps the base offset into a batch while it owns it.
            batches[i] = ByteBuffer.allocateDirect(batchLength).put(batch.duplicate()).flip();
            requests[i] = new AppendRequest();
        }
        appended = leader.logEndOffset();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        cluster.close();
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public void stream(final RecordCounters counters)
    {
        final int slot = (int)(appended / records % inFlight);
        final AppendRequest request = requests[slot];
        // The slot's previous batch (if any: a request never offered has none) is committed once the high watermark
        // passes it and its append is answered: the window has room.
        final long windowStart = appended - (long)(inFlight - 1) * records;
        while (leaderLog.highWatermark() < windowStart || request.batch() != null && !request.isDone())
        {
            LockSupport.parkNanos(WAIT_PARK_NS);
        }
        if (request.status() == AppendRequest.FAILED)
        {
            throw new IllegalStateException("append failed: " + request.failure());
        }
        request.batch(batches[slot].clear());
        while (leader.offer(request) != Partition.OFFERED)
        {
            LockSupport.parkNanos(WAIT_PARK_NS);
        }
        appended += records;
        if (inFlight == 1)
        {
            while (leaderLog.highWatermark() < appended)
            {
                LockSupport.parkNanos(WAIT_PARK_NS);
            }
        }
        counters.records += records;
        counters.bytes += batchLength;
    }
}
