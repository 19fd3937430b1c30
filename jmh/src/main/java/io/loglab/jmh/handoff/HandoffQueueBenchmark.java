package io.loglab.jmh.handoff;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.jmh.support.JvmFlags;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The producer-to-writer hand-off alone, no log behind it: N producer threads offer to one queue that one consumer
 * thread polls, for the queue the engine uses (JCTools {@code MpscArrayQueue}) and the alternatives: Agrona's
 * {@code ManyToOneConcurrentArrayQueue} and {@code ManyToOneRingBuffer}, and the JDK's {@code ArrayBlockingQueue}.
 * All hold {@value Handoff#CAPACITY} messages. The queues pass a reference to a request each producer allocated up
 * front; the ring buffer copies a {@value Handoff#MESSAGE_BYTES}-byte message in (a 64-byte record) and the consumer
 * reads it in place, so it does a little more work per message but hands over bytes rather than an object.
 * <p>
 * Groups: {@code oneProducer} (1 producer, 1 consumer) and {@code threeProducers} (3 and 1); {@code -tg} changes the
 * split. Every thread spins without backing off, so with more threads than cores the scores show the scheduler too.
 * <p>
 * Scores: read {@code :polled}, messages handed over per second (see {@link HandoffCounters}); the primary score
 * counts calls, failed ones included.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class HandoffQueueBenchmark
{
    @Param({"jctools", "agronaQueue", "agronaRingBuffer", "arrayBlockingQueue"})
    String queue;

    private Handoff handoff;

    @Setup(Level.Trial)
    public void setup()
    {
        handoff = Handoff.create(queue);
    }

    /**
     * What one producer hands over, allocated once: a request for the queues, a message for the ring buffer.
     */
    @State(Scope.Thread)
    public static class Producer
    {
        final AppendRequest request = new AppendRequest();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Handoff.MESSAGE_BYTES]);

        @Setup(Level.Trial)
        public void setup()
        {
            message.putLong(0, Thread.currentThread().getId());
        }
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public boolean oneProducerOffer(final Producer producer, final HandoffCounters counters)
    {
        return offer(producer, counters);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public boolean oneProducerPoll(final HandoffCounters counters, final Blackhole blackhole)
    {
        return poll(counters, blackhole);
    }

    @Benchmark
    @Group("threeProducers")
    @GroupThreads(3)
    public boolean threeProducersOffer(final Producer producer, final HandoffCounters counters)
    {
        return offer(producer, counters);
    }

    @Benchmark
    @Group("threeProducers")
    @GroupThreads(1)
    public boolean threeProducersPoll(final HandoffCounters counters, final Blackhole blackhole)
    {
        return poll(counters, blackhole);
    }

    private boolean offer(final Producer producer, final HandoffCounters counters)
    {
        if (handoff.offer(producer.request, producer.message))
        {
            counters.offered++;
            return true;
        }
        counters.offerFailed++;
        return false;
    }

    private boolean poll(final HandoffCounters counters, final Blackhole blackhole)
    {
        if (handoff.poll(blackhole))
        {
            counters.polled++;
            return true;
        }
        counters.pollFailed++;
        return false;
    }
}
