package io.loglab.cli;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.ProducerListener;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.NanoClock;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Prints {@code partition=P last-acked-offset=O durable=true|false} whenever a partition's acknowledged offset
 * advances, at most every 100 ms per partition (a line held back is printed by {@link #tick}), and flushes each line
 * at once so a killed run still leaves its last acknowledgements behind; {@link #printFinal} prints every
 * partition's line once more at the end, whatever ended the run. "durable" compares the offset with the partition's
 * durable end offset, which is right for every flush policy. It also keeps what a failure report needs: records
 * acknowledged, and the first failure.
 * <p>
 * Threading: the producing thread only; the producer calls it from its own calls.
 */
final class AckReporter implements ProducerListener
{
    private static final long PRINT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NONE = -1;

    private final Topic topic;
    private final PrintStream out;
    private final PrintStream err;
    private final NanoClock clock;
    private final long[] acked;
    private final long[] printed;
    private final long[] lastPrintNs;
    /** Where each partition's log ended before this run's first record for it; {@link #NONE} if it got none. */
    private final long[] startEndOffsets;
    private long acknowledgedRecords;
    private long failedRecords;
    private Throwable firstFailure;
    private int firstFailedPartition = -1;

    AckReporter(final Topic topic, final PrintStream out, final PrintStream err, final NanoClock clock)
    {
        this.topic = topic;
        this.out = out;
        this.err = err;
        this.clock = clock;
        final int partitions = topic.partitionCount();
        acked = new long[partitions];
        printed = new long[partitions];
        lastPrintNs = new long[partitions];
        startEndOffsets = new long[partitions];
        final long nowNs = clock.nanoTime();
        for (int p = 0; p < partitions; p++)
        {
            acked[p] = NONE;
            printed[p] = NONE;
            lastPrintNs[p] = nowNs - PRINT_INTERVAL_NS;
            startEndOffsets[p] = NONE;
        }
    }

    @Override
    public void onFirstRecord(final int partition)
    {
        // Read here, not up front: a partition this run never sends to keeps its log unopened.
        startEndOffsets[partition] = topic.partition(partition).logEndOffset();
    }

    @Override
    public void onAcknowledged(
        final int partition,
        final long baseOffset,
        final long lastOffset,
        final int recordCount,
        final int sizeInBytes,
        final boolean durable)
    {
        acked[partition] = lastOffset;
        acknowledgedRecords += recordCount;
        final long nowNs = clock.nanoTime();
        if (nowNs - lastPrintNs[partition] >= PRINT_INTERVAL_NS)
        {
            print(partition, nowNs);
        }
    }

    @Override
    public void onFailed(final int partition, final int recordCount, final Throwable cause)
    {
        failedRecords += recordCount;
        if (firstFailure == null)
        {
            firstFailure = cause;
            firstFailedPartition = partition;
        }
    }

    /**
     * Print the lines held back whose interval has passed.
     */
    void tick(final long nowNs)
    {
        for (int p = 0; p < acked.length; p++)
        {
            if (acked[p] != printed[p] && nowNs - lastPrintNs[p] >= PRINT_INTERVAL_NS)
            {
                print(p, nowNs);
            }
        }
    }

    /**
     * When {@link #tick} next has a line to print; {@link Long#MAX_VALUE} when none is held back.
     */
    long nextPrintNs()
    {
        long next = Long.MAX_VALUE;
        for (int p = 0; p < acked.length; p++)
        {
            if (acked[p] != printed[p])
            {
                next = Math.min(next, lastPrintNs[p] + PRINT_INTERVAL_NS);
            }
        }
        return next;
    }

    private void print(final int partition, final long nowNs)
    {
        final long offset = acked[partition];
        final boolean durable = offset != NONE && offset < topic.partition(partition).durableEndOffset();
        out.println("partition=" + partition + " last-acked-offset=" + offset + " durable=" + durable);
        out.flush();
        printed[partition] = offset;
        lastPrintNs[partition] = nowNs;
    }

    /**
     * Once the topic's logs are closed (and so flushed): one last line per partition. Where a log this run sent to
     * holds more than was acknowledged (an append written but reported failed), say so on standard error, since the
     * line alone would understate what is stored.
     */
    void printFinal()
    {
        final long nowNs = clock.nanoTime();
        for (int p = 0; p < acked.length; p++)
        {
            print(p, nowNs);
            if (startEndOffsets[p] == NONE)
            {
                continue;
            }
            final Partition partition = topic.partition(p);
            final long lastStored = partition.logEndOffset() - 1;
            final long expected = acked[p] != NONE ? acked[p] : startEndOffsets[p] - 1;
            if (lastStored != expected)
            {
                err.println("warning: " + partition + " holds offsets up to " + lastStored + " but " +
                    (acked[p] == NONE ? "none was acknowledged in this run" : "the last acknowledged is " + acked[p]));
            }
        }
    }

    long acknowledgedRecords()
    {
        return acknowledgedRecords;
    }

    long failedRecords()
    {
        return failedRecords;
    }

    /**
     * The first batch failure, or null.
     */
    Throwable firstFailure()
    {
        return firstFailure;
    }

    int firstFailedPartition()
    {
        return firstFailedPartition;
    }
}
