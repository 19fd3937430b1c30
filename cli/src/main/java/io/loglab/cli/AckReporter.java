package io.loglab.cli;

import org.agrona.concurrent.NanoClock;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Prints a partition's acknowledgement line whenever it has acknowledged more records, at most every 100 ms per
 * partition (a line held back is printed by {@link #tick}), and flushes each line at once so a killed run still
 * leaves its last acknowledgements behind; {@link #printFinal} prints every partition's line once more at the end,
 * whatever ended the run. What a line says is the {@link RecordSender}'s: {@code durable=} for a data directory,
 * {@code acks=} for a broker. It also keeps what a failure report needs: records acknowledged, and the first failure.
 * <p>
 * Threading: the producing thread only; senders report to it from their own calls.
 */
final class AckReporter
{
    /** No offset acknowledged yet. */
    static final long NONE = -1;
    private static final long PRINT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * One partition's line, from what it acknowledged in this run.
     */
    @FunctionalInterface
    interface LineFormat
    {
        /**
         * @param lastOffset the last offset acknowledged, or {@link #NONE}.
         * @param records    records acknowledged.
         */
        String line(int partition, long lastOffset, long records);
    }

    private final LineFormat format;
    private final PrintStream out;
    private final NanoClock clock;
    private final long[] acked;
    private final long[] records;
    /** Each partition's {@link #records} when its line was last printed. */
    private final long[] printed;
    private final long[] lastPrintNs;
    private long acknowledgedRecords;
    private long failedRecords;
    private Throwable firstFailure;
    private int firstFailedPartition = -1;

    AckReporter(final int partitions, final LineFormat format, final PrintStream out, final NanoClock clock)
    {
        this.format = format;
        this.out = out;
        this.clock = clock;
        acked = new long[partitions];
        records = new long[partitions];
        printed = new long[partitions];
        lastPrintNs = new long[partitions];
        final long nowNs = clock.nanoTime();
        for (int p = 0; p < partitions; p++)
        {
            acked[p] = NONE;
            lastPrintNs[p] = nowNs - PRINT_INTERVAL_NS;
        }
    }

    /**
     * {@code recordCount} records up to {@code lastOffset} ({@link #NONE} when the broker gives none) are stored.
     */
    void acknowledged(final int partition, final long lastOffset, final int recordCount)
    {
        acked[partition] = lastOffset;
        records[partition] += recordCount;
        acknowledgedRecords += recordCount;
        final long nowNs = clock.nanoTime();
        if (nowNs - lastPrintNs[partition] >= PRINT_INTERVAL_NS)
        {
            print(partition, nowNs);
        }
    }

    void failed(final int partition, final int recordCount, final Throwable cause)
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
            if (records[p] != printed[p] && nowNs - lastPrintNs[p] >= PRINT_INTERVAL_NS)
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
            if (records[p] != printed[p])
            {
                next = Math.min(next, lastPrintNs[p] + PRINT_INTERVAL_NS);
            }
        }
        return next;
    }

    private void print(final int partition, final long nowNs)
    {
        out.println(format.line(partition, acked[partition], records[partition]));
        out.flush();
        printed[partition] = records[partition];
        lastPrintNs[partition] = nowNs;
    }

    /**
     * Once every record sent is answered: one last line per partition.
     */
    void printFinal()
    {
        final long nowNs = clock.nanoTime();
        for (int p = 0; p < acked.length; p++)
        {
            print(p, nowNs);
        }
    }

    /**
     * The last offset {@code partition} acknowledged in this run, or {@link #NONE}.
     */
    long lastAcked(final int partition)
    {
        return acked[partition];
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
     * The first failure, or null.
     */
    Throwable firstFailure()
    {
        return firstFailure;
    }

    int firstFailedPartition()
    {
        return firstFailedPartition;
    }

    /**
     * The first failure as the user reads it: its message, or lacking one, its type.
     */
    String firstFailureMessage()
    {
        return firstFailure.getMessage() == null ? firstFailure.toString() : firstFailure.getMessage();
    }
}
