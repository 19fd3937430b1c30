package io.loglab.engine.producer;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.loglab.engine.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;

/**
 * One partition's window of reusable {@link AppendRequest}s, each with its own direct buffer: the lower layer of the
 * producer client. A caller {@link #claim}s the buffer of the next request, writes one RecordBatch v2 into it,
 * {@link #offer}s it, and learns the outcomes from {@link #poll}, in the order offered. A request is reused only after
 * {@link #poll} has reported it, so after warm-up nothing is allocated. {@link BatchingProducer} builds its batches
 * on this; a caller with batches of its own (a hand-off benchmark offering pre-built batches) uses it directly.
 * <p>
 * Claims go round the requests in ring order, and a buffer keeps its bytes until its owner writes it again (the
 * writer stamps only the base offset and leader epoch, which the CRC does not cover), so a caller may fill each
 * buffer once and offer it again and again.
 * <p>
 * Threading: one producer thread calls everything. Between {@link #offer} and completion the partition's writer
 * owns the request and its buffer; the writer publishes the outcome with a release store of the request's status,
 * which {@link #poll} reads with an acquire load before it touches the request or the buffer again.
 */
public final class AppendWindow
{
    private final int index;
    private final Partition partition;
    private final AppendRequest[] requests;
    private final ByteBuffer[] buffers;
    private final UnsafeBuffer[] views;
    /** Why a request failed without reaching the writer (the partition was closed); null once reported. */
    private final Throwable[] refusals;
    private int head;
    private int inFlight;

    /**
     * @param index       reported to the listener as the partition: the caller's own numbering.
     * @param capacity    requests in the window: how many batches may be in flight at once.
     * @param bufferBytes initial size of each request's buffer; {@link #claim} grows one on demand.
     */
    public AppendWindow(final int index, final Partition partition, final int capacity, final int bufferBytes)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("a window needs at least one request, capacity was " + capacity);
        }
        this.index = index;
        this.partition = partition;
        this.requests = new AppendRequest[capacity];
        this.buffers = new ByteBuffer[capacity];
        this.views = new UnsafeBuffer[capacity];
        this.refusals = new Throwable[capacity];
        for (int i = 0; i < capacity; i++)
        {
            requests[i] = new AppendRequest();
            buffers[i] = ByteBuffer.allocateDirect(bufferBytes);
            views[i] = new UnsafeBuffer(buffers[i]);
        }
    }

    /**
     * The buffer of the next request to offer, at least {@code minBytes} long: a request whose buffer is smaller
     * gets a new one (allocated here, and kept). Claiming again before {@link #offer} returns the same buffer.
     *
     * @return null when every request is in flight or not yet reported by {@link #poll}.
     */
    public UnsafeBuffer claim(final int minBytes)
    {
        if (inFlight == requests.length)
        {
            return null;
        }
        final int slot = slot(inFlight);
        if (buffers[slot].capacity() < minBytes)
        {
            buffers[slot] = ByteBuffer.allocateDirect(minBytes);
            views[slot].wrap(buffers[slot]);
        }
        return views[slot];
    }

    /**
     * Offer the first {@code length} bytes of the claimed buffer, one RecordBatch v2, to the partition.
     *
     * @return {@link Partition#OFFERED}; {@link Partition#BACK_PRESSURED}, with nothing changed (offer again later);
     *         or {@link Partition#CLOSED}, in which case the batch takes its place in the window all the same and
     *         {@link #poll} reports it failed, in order.
     * @throws IllegalStateException if every request is in flight (nothing was claimed).
     * @throws io.loglab.engine.record.InvalidRecordBatchException if the batch is malformed.
     * @throws IllegalArgumentException if it is larger than the partition's {@code max.message.bytes}.
     */
    public int offer(final int length)
    {
        if (inFlight == requests.length)
        {
            throw new IllegalStateException("every request of " + partition + "'s window is in flight");
        }
        final int slot = slot(inFlight);
        final ByteBuffer buffer = buffers[slot];
        buffer.limit(length).position(0);
        final int result = partition.offer(requests[slot].batch(buffer));
        if (result == Partition.BACK_PRESSURED)
        {
            return result;
        }
        if (result == Partition.CLOSED)
        {
            refusals[slot] = new IllegalStateException(partition + " is closed");
        }
        inFlight++;
        return result;
    }

    /**
     * Report, in the order offered, every request that has completed, stopping at the first still pending; each
     * reported request is free to be claimed again.
     *
     * @return batches reported.
     */
    public int poll(final ProducerListener listener)
    {
        int reported = 0;
        while (inFlight > 0)
        {
            final int slot = head;
            final AppendRequest request = requests[slot];
            final Throwable refusal = refusals[slot];
            // The acquire load of the status comes first: until it says done, the writer owns the buffer.
            final int status = refusal != null ? AppendRequest.FAILED : request.status();
            if (status == AppendRequest.PENDING)
            {
                break;
            }
            final int recordCount = views[slot].getInt(RECORDS_COUNT_OFFSET, ByteOrder.BIG_ENDIAN);
            final int sizeInBytes = buffers[slot].limit();
            refusals[slot] = null;
            release();
            if (status == AppendRequest.FAILED)
            {
                listener.onFailed(index, recordCount, refusal != null ? refusal : request.failure());
            }
            else
            {
                listener.onAcknowledged(index, request.baseOffset(), request.lastOffset(), recordCount, sizeInBytes,
                    status == AppendRequest.DURABLE);
            }
            reported++;
        }
        return reported;
    }

    private void release()
    {
        head = slot(1);
        inFlight--;
    }

    private int slot(final int fromHead)
    {
        final int slot = head + fromHead;
        return slot >= requests.length ? slot - requests.length : slot;
    }

    /**
     * The caller's number for this partition, as reported to listeners.
     */
    public int index()
    {
        return index;
    }

    public Partition partition()
    {
        return partition;
    }

    /**
     * Requests in the window.
     */
    public int capacity()
    {
        return requests.length;
    }

    /**
     * Requests offered and not yet reported by {@link #poll}.
     */
    public int inFlight()
    {
        return inFlight;
    }

    public boolean isFull()
    {
        return inFlight == requests.length;
    }
}
