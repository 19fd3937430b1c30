package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchDescriptor;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The idempotent producers' state of one log, as Kafka keeps it: per producer id, its epoch and its last
 * {@value #BATCHES_KEPT} batches (first and last sequence, base and last offset), derived from the batch headers
 * alone, so any copy of the log (a follower's too) derives the same. An idempotent batch is checked before it is
 * appended:
 * <ul>
 *     <li>the same epoch and the same sequences as one of the kept batches: a retry, answered with the original
 *     offsets and not appended again ({@link #DUPLICATE});</li>
 *     <li>an older epoch: fenced ({@link #FENCED}, Kafka's INVALID_PRODUCER_EPOCH);</li>
 *     <li>a newer epoch that does not start at sequence 0, or the same epoch not continuing the last sequence:
 *     {@link #OUT_OF_SEQUENCE} (Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER);</li>
 *     <li>a producer id the log has no state for: any sequence is taken, as Kafka 4 takes it.</li>
 * </ul>
 * Batches without a producer id are not checked. The table is built on the writer thread when the first idempotent
 * batch arrives, and again after a truncation or a failed append: from the latest {@link ProducerStateSnapshots
 * snapshot} at or below the log end, then the headers of the batches after it (all of them when there is none, which
 * stalls that shard for the length of the scan). Once built, it is snapshotted at every roll and at close.
 * <p>
 * Threading: the log's writer thread only.
 */
public final class ProducerStateTable
{
    /** Append it. */
    public static final int APPEND = 0;
    /** A retry of a kept batch: {@link #duplicateBaseOffset()} and {@link #duplicateLastOffset()} say where it is. */
    public static final int DUPLICATE = 1;
    /** Its epoch is older than the producer's. */
    public static final int FENCED = 2;
    /** Its sequence does not follow the producer's last. */
    public static final int OUT_OF_SEQUENCE = 3;
    /** A retry of a batch checked but not yet written: ask again once it is. */
    public static final int IN_FLIGHT = 4;

    static final int BATCHES_KEPT = 5;
    private static final int SNAPSHOT_MAGIC = 0x4C4C5053;
    private static final short SNAPSHOT_VERSION = 1;
    /** Magic, version, CRC32C of what follows, offset, producer count. */
    private static final int SNAPSHOT_HEADER_BYTES = 4 + 2 + 4 + 8 + 4;
    private static final int SNAPSHOT_CRC_FROM = 10;
    private static final int SNAPSHOT_ENTRY_BYTES = 4 + 4 + 8 + 8;
    private static final long NOT_WRITTEN = -1;
    private static final int SCAN_WINDOW_BYTES = 64 * 1024;

    private static final class Producer
    {
        private short epoch;
        private int count;
        private int next;
        private final int[] firstSequence = new int[BATCHES_KEPT];
        private final int[] lastSequence = new int[BATCHES_KEPT];
        private final long[] baseOffset = new long[BATCHES_KEPT];
        private final long[] lastOffset = new long[BATCHES_KEPT];

        private int newest()
        {
            return (next + BATCHES_KEPT - 1) % BATCHES_KEPT;
        }

        private void add(final int first, final int last, final long base, final long lastOffsetOf)
        {
            firstSequence[next] = first;
            lastSequence[next] = last;
            baseOffset[next] = base;
            lastOffset[next] = lastOffsetOf;
            next = (next + 1) % BATCHES_KEPT;
            count = Math.min(BATCHES_KEPT, count + 1);
        }

        private int find(final int first, final int last)
        {
            for (int i = 0; i < count; i++)
            {
                final int slot = (next + BATCHES_KEPT - 1 - i) % BATCHES_KEPT;
                if (firstSequence[slot] == first && lastSequence[slot] == last)
                {
                    return slot;
                }
            }
            return -1;
        }
    }

    private final Long2ObjectHashMap<Producer> producers = new Long2ObjectHashMap<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final RecordBatch header = new RecordBatch();
    private boolean built;
    private long duplicateBaseOffset;
    private long duplicateLastOffset;

    /**
     * Check the batch between {@code batch}'s position and limit (not yet stamped with its offsets), and if it is to
     * be appended, take its sequences into the state now, so a later batch of the same drain is checked against it;
     * {@link #onAppended} records where it went.
     *
     * @return {@link #APPEND}, {@link #DUPLICATE}, {@link #FENCED}, {@link #OUT_OF_SEQUENCE} or {@link #IN_FLIGHT}.
     */
    public int check(final ByteBuffer batch)
    {
        final RecordBatch h = wrap(batch);
        final long producerId = h.producerId();
        if (producerId == RecordBatchDescriptor.NO_PRODUCER_ID)
        {
            return APPEND;
        }
        final short epoch = h.producerEpoch();
        final int first = h.baseSequence();
        final int last = lastSequence(first, h.lastOffsetDelta());
        final Producer producer = producers.get(producerId);
        if (producer == null)
        {
            final Producer created = new Producer();
            created.epoch = epoch;
            created.add(first, last, NOT_WRITTEN, NOT_WRITTEN);
            producers.put(producerId, created);
            return APPEND;
        }
        if (epoch < producer.epoch)
        {
            return FENCED;
        }
        if (epoch > producer.epoch)
        {
            if (first != 0)
            {
                return OUT_OF_SEQUENCE;
            }
            producer.epoch = epoch;
            producer.count = 0;
            producer.add(first, last, NOT_WRITTEN, NOT_WRITTEN);
            return APPEND;
        }
        final int kept = producer.find(first, last);
        if (kept >= 0)
        {
            if (producer.baseOffset[kept] == NOT_WRITTEN)
            {
                return IN_FLIGHT;
            }
            duplicateBaseOffset = producer.baseOffset[kept];
            duplicateLastOffset = producer.lastOffset[kept];
            return DUPLICATE;
        }
        if (producer.count > 0 && first != nextSequence(producer.lastSequence[producer.newest()]))
        {
            return OUT_OF_SEQUENCE;
        }
        producer.add(first, last, NOT_WRITTEN, NOT_WRITTEN);
        return APPEND;
    }

    /**
     * A batch {@link #check} passed was written, stamped with its offsets.
     */
    public void onAppended(final ByteBuffer batch)
    {
        final RecordBatch h = wrap(batch);
        if (h.producerId() == RecordBatchDescriptor.NO_PRODUCER_ID)
        {
            return;
        }
        final Producer producer = producers.get(h.producerId());
        final int slot = producer == null ? -1 :
            producer.find(h.baseSequence(), lastSequence(h.baseSequence(), h.lastOffsetDelta()));
        if (slot >= 0)
        {
            producer.baseOffset[slot] = h.baseOffset();
            producer.lastOffset[slot] = h.lastOffset();
        }
    }

    /**
     * Where the batch the last {@link #check} found {@link #DUPLICATE} was stored.
     */
    public long duplicateBaseOffset()
    {
        return duplicateBaseOffset;
    }

    public long duplicateLastOffset()
    {
        return duplicateLastOffset;
    }

    /**
     * This table, unless it already was built: from the latest sound snapshot in {@code dir} at or below
     * {@code logEndOffset}, then the batch headers of {@code segments} (oldest first) after it.
     */
    ProducerStateTable builtFrom(final Path dir, final LogSegment[] segments, final long logEndOffset)
        throws IOException
    {
        if (!built)
        {
            producers.clear();
            final long from = ProducerStateSnapshots.load(dir, logEndOffset, this);
            rebuild(segments, from);
            built = true;
        }
        return this;
    }

    boolean isBuilt()
    {
        return built;
    }

    /**
     * The state of the batches below {@code offset} (those written, not ones checked and still in flight), as a
     * snapshot's bytes.
     */
    ByteBuffer snapshot(final long offset)
    {
        int size = SNAPSHOT_HEADER_BYTES;
        for (final Producer producer : producers.values())
        {
            size += 8 + 2 + 4 + producer.count * SNAPSHOT_ENTRY_BYTES;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(size);
        bytes.putInt(SNAPSHOT_MAGIC).putShort(SNAPSHOT_VERSION).putInt(0).putLong(offset).putInt(producers.size());
        final Long2ObjectHashMap<Producer>.EntryIterator entries = producers.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final Producer producer = entries.getValue();
            bytes.putLong(entries.getLongKey()).putShort(producer.epoch);
            final int countAt = bytes.position();
            bytes.putInt(0);
            int written = 0;
            for (int i = producer.count - 1; i >= 0; i--)
            {
                final int slot = (producer.next + BATCHES_KEPT - 1 - i) % BATCHES_KEPT;
                if (producer.baseOffset[slot] != NOT_WRITTEN && producer.lastOffset[slot] < offset)
                {
                    bytes.putInt(producer.firstSequence[slot]).putInt(producer.lastSequence[slot])
                        .putLong(producer.baseOffset[slot]).putLong(producer.lastOffset[slot]);
                    written++;
                }
            }
            bytes.putInt(countAt, written);
        }
        bytes.flip();
        bytes.putInt(6, crc(bytes));
        return bytes;
    }

    /**
     * Take the state a snapshot of {@code offset} holds, replacing any.
     *
     * @return false, with the table left empty, when the bytes are not a sound snapshot of that offset.
     */
    boolean restore(final ByteBuffer bytes, final long offset)
    {
        producers.clear();
        try
        {
            if (bytes.remaining() < SNAPSHOT_HEADER_BYTES || bytes.getInt(0) != SNAPSHOT_MAGIC ||
                bytes.getShort(4) != SNAPSHOT_VERSION || bytes.getInt(6) != crc(bytes) || bytes.getLong(10) != offset)
            {
                return false;
            }
            bytes.position(SNAPSHOT_HEADER_BYTES);
            final int count = bytes.getInt(18);
            for (int p = 0; p < count; p++)
            {
                final long producerId = bytes.getLong();
                final Producer producer = new Producer();
                producer.epoch = bytes.getShort();
                final int entries = bytes.getInt();
                if (entries < 0 || entries > BATCHES_KEPT)
                {
                    producers.clear();
                    return false;
                }
                for (int i = 0; i < entries; i++)
                {
                    producer.add(bytes.getInt(), bytes.getInt(), bytes.getLong(), bytes.getLong());
                }
                producers.put(producerId, producer);
            }
            if (bytes.hasRemaining())
            {
                producers.clear();
                return false;
            }
            return true;
        }
        catch (final java.nio.BufferUnderflowException ex)
        {
            producers.clear();
            return false;
        }
    }

    private static int crc(final ByteBuffer bytes)
    {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes.array(), bytes.arrayOffset() + SNAPSHOT_CRC_FROM, bytes.limit() - SNAPSHOT_CRC_FROM);
        return (int)crc.getValue();
    }

    /**
     * The batches changed under the table (a truncation), or an append it checked failed: read them again when next
     * asked.
     */
    public void invalidate()
    {
        built = false;
    }

    /**
     * Add the batches from {@code fromOffset} on to the state.
     */
    private void rebuild(final LogSegment[] segments, final long fromOffset) throws IOException
    {
        final FileBatchIterator iterator = new FileBatchIterator(SCAN_WINDOW_BYTES);
        for (int s = 0; s < segments.length; s++)
        {
            final LogSegment segment = segments[s];
            if (s + 1 < segments.length && segments[s + 1].baseOffset() <= fromOffset)
            {
                continue;
            }
            iterator.reset(segment.file(), segment.offsetIndex().lookup(Math.max(fromOffset, segment.baseOffset())),
                segment.size());
            while (iterator.next())
            {
                final RecordBatch batch = iterator.batch();
                final long producerId = batch.producerId();
                if (producerId == RecordBatchDescriptor.NO_PRODUCER_ID || batch.baseOffset() < fromOffset)
                {
                    continue;
                }
                Producer producer = producers.get(producerId);
                if (producer == null || batch.producerEpoch() != producer.epoch)
                {
                    producer = new Producer();
                    producer.epoch = batch.producerEpoch();
                    producers.put(producerId, producer);
                }
                producer.add(batch.baseSequence(), lastSequence(batch.baseSequence(), batch.lastOffsetDelta()),
                    batch.baseOffset(), batch.lastOffset());
            }
        }
    }

    private RecordBatch wrap(final ByteBuffer batch)
    {
        view.wrap(batch, batch.position(), batch.remaining());
        return header.wrap(view, 0);
    }

    private static int lastSequence(final int first, final int lastOffsetDelta)
    {
        return (int)(((long)first + lastOffsetDelta) % ((long)Integer.MAX_VALUE + 1));
    }

    private static int nextSequence(final int sequence)
    {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }
}
