package io.loglab.latency.harness;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.RegionRemovedException;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordIterator;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One partition as one consumer reads it: its own {@link LogReader} from the log start, its position, and the
 * end-to-end latency of every record (now minus the intended send time in the value). When retention has deleted
 * the position it learns so from {@link LogReader#OFFSET_OUT_OF_RANGE}, counts what it lost and resumes at the log
 * start.
 * <p>
 * Threading: the consumer thread writes everything. {@link #position()} and the out-of-range figures are published
 * with {@link AtomicLong#lazySet} (single writer) for the sampler and coordinator.
 */
final class ConsumerLane
{
    /** Marks {@link #firstOutOfRangeNanos()} as never. */
    static final long NEVER = Long.MIN_VALUE;

    private final Partition partition;
    private final LogReader reader;
    private final ByteBuffer buffer;
    private final UnsafeBuffer view;
    private final RecordIterator records = new RecordIterator();
    private final NanoClock clock;
    private final long countFromNanos;
    /** Consumer: lazySet. Sampler: get. Offset of the next record to consume. */
    private final AtomicLong position = new AtomicLong();
    /** Consumer: lazySet once. Coordinator: get. First out-of-range at or after countFromNanos. */
    private final AtomicLong firstOutOfRangeNanos = new AtomicLong(NEVER);
    /** Consumer: lazySet. Coordinator: get. Records deleted before being read, from countFromNanos on. */
    private final AtomicLong skippedRecords = new AtomicLong();

    /**
     * @param readBytes      bytes fetched per read at most (a larger batch is still read whole).
     * @param countFromNanos out-of-range events before this time (the warm-up) are handled but not reported.
     */
    ConsumerLane(final Partition partition, final int readBytes, final NanoClock clock, final long countFromNanos)
    {
        this.partition = partition;
        this.reader = partition.newReader();
        this.buffer = ByteBuffer.allocateDirect(readBytes);
        this.view = new UnsafeBuffer(buffer);
        this.clock = clock;
        this.countFromNanos = countFromNanos;
        position.lazySet(partition.logStartOffset());
    }

    /**
     * Read what is available from the position, taking at most {@code maxRecords}.
     *
     * @return records consumed.
     */
    int poll(final long maxRecords, final SingleWriterRecorder endToEnd) throws IOException
    {
        final long from = position.get();
        if (reader.read(from, buffer.capacity()) == LogReader.OFFSET_OUT_OF_RANGE)
        {
            onOutOfRange(from);
            return 0;
        }
        if (reader.length() == 0)
        {
            return 0;
        }
        buffer.clear();
        try
        {
            reader.copyTo(buffer);
        }
        catch (final RegionRemovedException removed)
        {
            // Retention deleted the segment after the lookup: the next read says the offset is out of range.
            return 0;
        }
        final long nowNanos = clock.nanoTime();
        final int length = reader.length();
        long next = from;
        int consumed = 0;
        records.wrap(view, 0, length, from);
        while (consumed < maxRecords && records.next())
        {
            final Record record = records.record();
            final long intendedNanos = RecordValue.intendedNanos(view, record.valueOffset());
            endToEnd.recordValue(Math.max(0, nowNanos - intendedNanos));
            next = record.offset() + 1;
            consumed++;
        }
        position.lazySet(next);
        return consumed;
    }

    private void onOutOfRange(final long from)
    {
        final long logStartOffset = partition.logStartOffset();
        if (from >= logStartOffset)
        {
            // Retention moved the start between the reader's range check and its segment lookup: just read again.
            return;
        }
        final long nowNanos = clock.nanoTime();
        if (nowNanos - countFromNanos >= 0)
        {
            if (firstOutOfRangeNanos.get() == NEVER)
            {
                firstOutOfRangeNanos.lazySet(nowNanos);
            }
            skippedRecords.lazySet(skippedRecords.get() + logStartOffset - from);
        }
        position.lazySet(logStartOffset);
    }

    Partition partition()
    {
        return partition;
    }

    long position()
    {
        return position.get();
    }

    long firstOutOfRangeNanos()
    {
        return firstOutOfRangeNanos.get();
    }

    long skippedRecords()
    {
        return skippedRecords.get();
    }
}
