package io.loglab.replication.node;

import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A follower's appends of its leader's batches through the partition's writer shard, a records message at a time:
 * each message's batches are copied out of the transport's buffer (valid only during the callback) into a slot of
 * its own and offered as follower appends ({@link AppendRequest#asFollower}). Slots are reused in order once every
 * request in them is answered, so nothing is allocated per message once they have grown.
 * <p>
 * {@link #poll} gives the answers in message order: every batch of a message written, or one refused (it did not
 * continue the log, was damaged, or met back pressure) with everything offered after it then void.
 * <p>
 * Threading: the node's thread; the writer thread only answers the requests, which the node then reads (acquire).
 */
final class FollowerAppends
{
    /** {@link #poll}: nothing answered yet. */
    static final int NONE = 0;
    /** {@link #poll}: a message's batches are all written. */
    static final int APPENDED = 1;
    /** {@link #poll}: a batch was refused or not offered. */
    static final int REFUSED = 2;

    private static final int SLOTS = 8;
    private static final int MIN_SLOT_BYTES = 64 * 1024;

    private final Partition partition;
    private final int capacity;
    private final Slot[] slots = new Slot[SLOTS];
    /** The oldest slot in use, and how many are. */
    private int head;
    private int inUse;

    FollowerAppends(final Partition partition, final int maxBatchBytes)
    {
        this.partition = partition;
        this.capacity = maxBatchBytes;
        for (int i = 0; i < SLOTS; i++)
        {
            slots[i] = new Slot(maxBatchBytes);
        }
    }

    /**
     * Is there room for another message's batches? The caller checks before it takes them.
     */
    boolean hasRoom()
    {
        return inUse < SLOTS;
    }

    /**
     * Is every batch offered answered?
     */
    boolean isIdle()
    {
        return inUse == 0;
    }

    /**
     * The most batch bytes a slot holds: a message with more is not taken.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * Do {@code length} bytes at {@code offset} hold whole batches end to end, at least one?
     */
    static boolean tilesWithBatches(final DirectBuffer buffer, final int offset, final int length)
    {
        int at = 0;
        while (at < length)
        {
            if (length - at < RecordBatchDescriptor.LOG_OVERHEAD)
            {
                return false;
            }
            final int batchLength = buffer.getInt(offset + at + RecordBatchDescriptor.BATCH_LENGTH_OFFSET,
                ByteOrder.BIG_ENDIAN);
            if (batchLength < RecordBatchDescriptor.MIN_BATCH_LENGTH ||
                batchLength > length - at - RecordBatchDescriptor.LOG_OVERHEAD)
            {
                return false;
            }
            at += RecordBatchDescriptor.totalLength(batchLength);
        }
        return length > 0;
    }

    /**
     * Copy a message's batches (checked with {@link #tilesWithBatches}) into a free slot and offer each in order; a
     * batch that cannot be offered (damaged, or back pressure) voids the rest of the message.
     */
    void append(final DirectBuffer buffer, final int offset, final int length)
    {
        final Slot slot = slots[(head + inUse) % SLOTS];
        slot.fill(buffer, offset, length);
        inUse++;
        for (int i = 0; i < slot.count; i++)
        {
            final AppendRequest request = slot.requests[i];
            try
            {
                if (partition.offer(request) != Partition.OFFERED)
                {
                    slot.refuseFrom(i);
                    return;
                }
            }
            catch (final InvalidRecordBatchException | IllegalArgumentException refused)
            {
                slot.refuseFrom(i);
                return;
            }
        }
    }

    /**
     * The oldest message's answer, once every request in it is answered; its slot is then free.
     *
     * @return {@link #NONE}, {@link #APPENDED} or {@link #REFUSED}.
     */
    int poll()
    {
        if (inUse == 0)
        {
            return NONE;
        }
        final Slot slot = slots[head];
        boolean refused = slot.offered < slot.count;
        for (int i = 0; i < slot.offered; i++)
        {
            final int status = slot.requests[i].status();
            if (status == AppendRequest.PENDING)
            {
                return NONE;
            }
            refused |= status == AppendRequest.FAILED;
        }
        head = (head + 1) % SLOTS;
        inUse--;
        return refused ? REFUSED : APPENDED;
    }

    /**
     * One message's batches: a copy of them, and one request with its own view of the copy per batch. The copy grows
     * to the longest message the slot has held (a power of two, at most the node's longest message), so a partition
     * that follows small messages holds little memory; the requests grow to the most batches a message has held.
     */
    private static final class Slot
    {
        private final int capacity;
        private ByteBuffer copy = ByteBuffer.allocateDirect(0);
        private final UnsafeBuffer copyBuffer = new UnsafeBuffer(copy);
        private AppendRequest[] requests = new AppendRequest[0];
        private int count;
        /** Requests offered; those after it were not, and void the message. */
        private int offered;

        Slot(final int capacity)
        {
            this.capacity = capacity;
        }

        /**
         * Copy a message in; the slot is free (every request of its last message answered).
         */
        void fill(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length > copy.capacity())
            {
                grow(length);
            }
            copyBuffer.putBytes(0, buffer, offset, length);
            count = 0;
            int at = 0;
            while (at < length)
            {
                final int total = RecordBatchDescriptor.totalLength(
                    copyBuffer.getInt(at + RecordBatchDescriptor.BATCH_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN));
                final AppendRequest request = request(count++);
                request.batch().limit(at + total).position(at);
                at += total;
            }
            offered = count;
        }

        void refuseFrom(final int index)
        {
            offered = index;
        }

        private void grow(final int length)
        {
            final int grown = Math.max(MIN_SLOT_BYTES, Integer.highestOneBit(length - 1) << 1);
            copy = ByteBuffer.allocateDirect(Math.min(capacity, grown));
            copyBuffer.wrap(copy);
            for (final AppendRequest request : requests)
            {
                request.batch(copy.duplicate());
            }
        }

        private AppendRequest request(final int index)
        {
            if (index == requests.length)
            {
                final AppendRequest[] grown = Arrays.copyOf(requests, Math.max(4, requests.length * 2));
                for (int i = requests.length; i < grown.length; i++)
                {
                    grown[i] = new AppendRequest().asFollower(true).batch(copy.duplicate());
                }
                requests = grown;
            }
            final AppendRequest request = requests[index];
            request.batch().clear();
            return request;
        }
    }
}
