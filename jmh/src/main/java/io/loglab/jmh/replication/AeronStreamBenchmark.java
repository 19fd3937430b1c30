package io.loglab.jmh.replication;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.ByteCounters;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.transport.aeron.LoopbackPorts;
import io.loglab.transport.aeron.SharedMediaDriver;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
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

/**
 * The ceiling for {@link ReplicaStreamBenchmark}: Aeron alone, as its {@code EmbeddedThroughput} sample measures it
 * (that sample is not on Maven Central, so this is its loop on our settings): one exclusive UDP publication offering
 * {@code batchBytes}-byte messages as fast as flow control lets it, and one subscription on the same loopback
 * endpoint polled by a thread of its own, both through one embedded media driver launched as the embedded cluster
 * launches it (SHARED threading, backoff idle, 16 MiB terms, 64 KiB datagrams, Aeron's default receiver window).
 * Nothing is stored or answered: the difference from the replica stream is the cost of the logs and the protocol.
 * <p>
 * Scores: messages offered per second, and {@code :bytes} per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP, "-Xms1g", "-Xmx1g"})
public class AeronStreamBenchmark
{
    private static final int STREAM_ID = 1001;
    private static final int FRAGMENT_LIMIT = 64;

    @Param({"16384", "65536"})
    int batchBytes;

    private Path dir;
    private SharedMediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private Thread subscriber;
    /** Benchmark thread: volatile store at tear-down. Subscriber thread: volatile load each poll. */
    private volatile boolean running;
    private UnsafeBuffer message;
    private final IdleStrategy backPressured = new BackoffIdleStrategy();

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        dir = BenchDirectory.create("loglab-aeron-stream-");
        driver = SharedMediaDriver.launch(new TransportContext().aeronDirectory(dir.resolve("aeron"))
            .termLength(EmbeddedCluster.TERM_LENGTH));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory().toString()));
        final String channel = new ChannelUriStringBuilder().media("udp")
            .endpoint("127.0.0.1:" + LoopbackPorts.freeUdpPort()).mtu(TransportContext.LOOPBACK_MTU)
            .termLength(EmbeddedCluster.TERM_LENGTH).build();
        subscription = aeron.addSubscription(channel, STREAM_ID);
        publication = aeron.addExclusivePublication(channel, STREAM_ID);
        while (!publication.isConnected())
        {
            Thread.onSpinWait();
        }
        message = new UnsafeBuffer(ByteBuffer.allocateDirect(batchBytes));
        running = true;
        subscriber = new Thread(this::poll, "aeron-stream-subscriber");
        subscriber.start();
    }

    private void poll()
    {
        final FragmentHandler discard = (buffer, offset, length, header) -> { };
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (running)
        {
            idle.idle(subscription.poll(discard, FRAGMENT_LIMIT));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        subscriber.join();
        CloseHelper.closeAll(publication, subscription, aeron, driver);
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public long offer(final ByteCounters counters)
    {
        long position;
        backPressured.reset();
        while ((position = publication.offer(message, 0, batchBytes)) < 0)
        {
            if (position != ExclusivePublication.BACK_PRESSURED && position != ExclusivePublication.ADMIN_ACTION)
            {
                throw new IllegalStateException("offer refused, not back pressure: " + position);
            }
            backPressured.idle();
        }
        counters.bytes += batchBytes;
        return position;
    }
}
