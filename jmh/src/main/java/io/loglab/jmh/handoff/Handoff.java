package io.loglab.jmh.handoff;

import io.loglab.engine.partition.AppendRequest;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The contract {@link HandoffQueueBenchmark} measures: many producers offer without blocking, one consumer takes one
 * message at a time. Reference queues pass a pre-allocated {@link AppendRequest} (as {@code Partition.offer} does);
 * the ring buffer has no references, so its producers copy a small message in and the consumer reads it in place.
 */
abstract class Handoff
{
    /** Same for every implementation: the engine's default append queue capacity. */
    static final int CAPACITY = 1024;
    /** Ring buffer payload: with its 8-byte header, a 64-byte record, so 1024 of them fill 64 KiB exactly. */
    static final int MESSAGE_BYTES = 56;

    private static final int MESSAGE_TYPE_ID = 1;

    abstract boolean offer(AppendRequest request, DirectBuffer message);

    abstract boolean poll(Blackhole blackhole);

    static Handoff create(final String type)
    {
        return switch (type)
        {
            case "jctools" -> new JctoolsMpsc();
            case "agronaQueue" -> new QueueHandoff(new ManyToOneConcurrentArrayQueue<>(CAPACITY));
            case "agronaRingBuffer" -> new AgronaRingBuffer();
            case "arrayBlockingQueue" -> new QueueHandoff(new ArrayBlockingQueue<>(CAPACITY));
            default -> throw new IllegalArgumentException(
                "queue=" + type + ": expected jctools, agronaQueue, agronaRingBuffer or arrayBlockingQueue");
        };
    }

    /** What the engine uses; the writer takes with {@code relaxedPoll}, as a {@code WriterShard} drains a partition. */
    private static final class JctoolsMpsc extends Handoff
    {
        private final MpscArrayQueue<AppendRequest> queue = new MpscArrayQueue<>(CAPACITY);

        @Override
        boolean offer(final AppendRequest request, final DirectBuffer message)
        {
            return queue.offer(request);
        }

        @Override
        boolean poll(final Blackhole blackhole)
        {
            final AppendRequest request = queue.relaxedPoll();
            blackhole.consume(request);
            return request != null;
        }
    }

    /**
     * Any {@link Queue} with non-blocking {@code offer}/{@code poll}: Agrona's many-to-one array queue, and
     * {@link ArrayBlockingQueue}, whose lock is what is being compared.
     */
    private static final class QueueHandoff extends Handoff
    {
        private final Queue<AppendRequest> queue;

        QueueHandoff(final Queue<AppendRequest> queue)
        {
            this.queue = queue;
        }

        @Override
        boolean offer(final AppendRequest request, final DirectBuffer message)
        {
            return queue.offer(request);
        }

        @Override
        boolean poll(final Blackhole blackhole)
        {
            final AppendRequest request = queue.poll();
            blackhole.consume(request);
            return request != null;
        }
    }

    /** Producers copy {@link #MESSAGE_BYTES} in; the consumer reads the first word of each message where it lies. */
    private static final class AgronaRingBuffer extends Handoff
    {
        private final ManyToOneRingBuffer ringBuffer = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(CAPACITY * 64 + RingBufferDescriptor.TRAILER_LENGTH)));
        private final MessageHandler handler = this::onMessage;
        private Blackhole blackhole;

        @Override
        boolean offer(final AppendRequest request, final DirectBuffer message)
        {
            return ringBuffer.write(MESSAGE_TYPE_ID, message, 0, MESSAGE_BYTES);
        }

        @Override
        boolean poll(final Blackhole blackhole)
        {
            // The handler is made once (a method reference per call would allocate); it finds the Blackhole here.
            this.blackhole = blackhole;
            return ringBuffer.read(handler, 1) == 1;
        }

        private void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            blackhole.consume(buffer.getLong(index));
        }
    }
}
