package io.loglab.cli;

import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.topic.Topic;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints {@code partition=P last-acked-offset=O durable=true|false} whenever a partition's acknowledged offset
 * advances, at most every 100 ms per partition, and flushes each line at once so a killed run still leaves its last
 * acknowledgements behind. "durable" compares the offset with the partition's durable end offset, which is right
 * for every flush policy.
 * <p>
 * Threading: writer threads record acknowledgements through {@link #listener(int)}; one reporter thread prints.
 */
final class AckReporter implements AutoCloseable
{
    private static final long PRINT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long NONE = -1;

    private final Topic topic;
    private final PrintStream out;
    /** Written by writer threads (max of acked last offsets), read by the reporter thread. */
    private final AtomicLongArray acked;
    // Reporter thread only.
    private final long[] printed;
    private final long[] lastPrintNs;
    private final Thread thread;
    private volatile boolean running = true;

    AckReporter(final Topic topic, final PrintStream out)
    {
        this.topic = topic;
        this.out = out;
        final int partitions = topic.partitionCount();
        acked = new AtomicLongArray(partitions);
        printed = new long[partitions];
        lastPrintNs = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            acked.set(p, NONE);
            printed[p] = NONE;
        }
        thread = new Thread(this::run, "loglab-ack-reporter");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The listener for requests to {@code partition}: records the last offset of every appended batch.
     */
    AppendListener listener(final int partition)
    {
        return request ->
        {
            if (request.failure() == null)
            {
                acked.accumulateAndGet(partition, request.lastOffset(), Math::max);
            }
        };
    }

    private void run()
    {
        while (running)
        {
            final long now = System.nanoTime();
            for (int p = 0; p < printed.length; p++)
            {
                if (acked.get(p) != printed[p] && now - lastPrintNs[p] >= PRINT_INTERVAL_NS)
                {
                    print(p);
                    lastPrintNs[p] = now;
                }
            }
            LockSupport.parkNanos(POLL_INTERVAL_NS);
        }
    }

    private void print(final int partition)
    {
        final long offset = acked.get(partition);
        final boolean durable = offset != NONE && offset < topic.partition(partition).durableEndOffset();
        out.println("partition=" + partition + " last-acked-offset=" + offset + " durable=" + durable);
        out.flush();
        printed[partition] = offset;
    }

    /**
     * Stop the reporter thread.
     */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.join();
    }

    /**
     * After the topic's logs are closed (and so flushed): one last line per partition.
     */
    void printFinal()
    {
        for (int p = 0; p < printed.length; p++)
        {
            print(p);
        }
    }
}
