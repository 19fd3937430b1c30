package io.loglab.cli;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.BatchingProducer;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.producer.ProducerListener;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code produce --dir}: records through the engine's {@link BatchingProducer}, into a data directory this process
 * opens. Lines read {@code partition=P last-acked-offset=O durable=true|false}, "durable" comparing the offset with
 * the partition's durable end offset, which is right for every flush policy. Standard input goes through an
 * <em>ordered</em> producer (one batch in flight across partitions, nothing offered after a failure), so what is
 * stored is always every record before some record and none after it.
 * <p>
 * Threading: the producing thread; the producer calls the listener methods from its own calls.
 */
final class EngineSender implements RecordSender, ProducerListener
{
    /** Requests per partition when ordered: one in flight, the next filling. */
    private static final int ORDERED_WINDOW = 2;
    /** How long the writers may take to answer what is in flight at the end: only a wedged writer takes this long. */
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final LogManager manager;
    private final Topic topic;
    private final PrintStream err;
    private final AckReporter reporter;
    private final BatchingProducer producer;
    /** Where each partition's log ended before this run's first record for it; {@link AckReporter#NONE} if none. */
    private final long[] startEndOffsets;

    private EngineSender(
        final LogManager manager,
        final Topic topic,
        final Batching batching,
        final PrintStream out,
        final PrintStream err)
    {
        this.manager = manager;
        this.topic = topic;
        this.err = err;
        reporter = new AckReporter(topic.partitionCount(), this::line, out, SystemNanoClock.INSTANCE);
        startEndOffsets = new long[topic.partitionCount()];
        Arrays.fill(startEndOffsets, AckReporter.NONE);
        producer = new BatchingProducer(topic, new ProducerContext()
            .batchBytes(batching.batchBytes(topic.config().maxMessageBytes()))
            .lingerNs(TimeUnit.MILLISECONDS.toNanos(batching.lingerMs()))
            .inFlightPerPartition(batching.ordered() ? ORDERED_WINDOW : batching.inFlight())
            .ordered(batching.ordered())
            .partitioner(batching.partitioner())
            .listener(this));
    }

    /**
     * Open {@code dir} (which must exist) and a producer over its topic.
     */
    static EngineSender open(final Path dir, final Batching batching, final PrintStream out, final PrintStream err)
        throws IOException
    {
        final LogManager manager = CliSupport.openExisting(dir);
        try
        {
            return new EngineSender(manager, manager.topic(batching.topic()), batching, out, err);
        }
        catch (final RuntimeException ex)
        {
            manager.close();
            throw ex;
        }
    }

    private String line(final int partition, final long lastOffset, final long records)
    {
        final boolean durable = lastOffset != AckReporter.NONE &&
            lastOffset < topic.partition(partition).durableEndOffset();
        return "partition=" + partition + " last-acked-offset=" + lastOffset + " durable=" + durable;
    }

    @Override
    public AckReporter reporter()
    {
        return reporter;
    }

    @Override
    public int maxRecordBytes()
    {
        return producer.maxRecordBytes();
    }

    @Override
    public void send(
        final long timestampMs,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        producer.send(timestampMs, key, keyOffset, keyLength, value, valueOffset, valueLength);
    }

    @Override
    public void poll(final long nowNs)
    {
        producer.poll(nowNs);
    }

    @Override
    public long pollDeadlineNs(final long nowNs)
    {
        if (producer.isIdle())
        {
            return Long.MAX_VALUE;
        }
        long dueNs = nowNs + IN_FLIGHT_POLL_NS;
        for (int p = 0; p < producer.partitionCount(); p++)
        {
            dueNs = Math.min(dueNs, producer.lingerDeadlineNs(p));
        }
        return dueNs;
    }

    @Override
    public boolean awaitIdle()
    {
        return producer.awaitIdle(DRAIN_TIMEOUT_NS);
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
        reporter.acknowledged(partition, lastOffset, recordCount);
    }

    @Override
    public void onFailed(final int partition, final int recordCount, final Throwable cause)
    {
        reporter.failed(partition, recordCount, cause);
    }

    @Override
    public IllegalStateException failure(final RecordFormat inputFormat)
    {
        final Throwable cause = reporter.firstFailure();
        final String failed = "append to " + topic.name() + "-" + reporter.firstFailedPartition() + " failed: " +
            reporter.firstFailureMessage();
        if (inputFormat == null)
        {
            return new IllegalStateException(failed + "; " + reporter.acknowledgedRecords() + " records were " +
                "acknowledged, " + reporter.failedRecords() + " not stored", cause);
        }
        // Ordered: the records acknowledged are exactly those before the first record of the failed batch.
        final long failedRecord = reporter.acknowledgedRecords() + 1;
        return new IllegalStateException(inputFormat.describe(failedRecord) + ": not stored, nor anything after it: " +
            failed, cause);
    }

    /**
     * Close the data directory (flushing the logs), then print the final lines. Where a log this run sent to holds
     * more than was acknowledged (an append written but reported failed), say so on standard error, since the line
     * alone would understate what is stored.
     */
    @Override
    public void close()
    {
        try
        {
            manager.close();
        }
        finally
        {
            reporter.printFinal();
            for (int p = 0; p < startEndOffsets.length; p++)
            {
                if (startEndOffsets[p] != AckReporter.NONE)
                {
                    warnIfMoreStored(p);
                }
            }
        }
    }

    private void warnIfMoreStored(final int partitionId)
    {
        final Partition partition = topic.partition(partitionId);
        final long lastStored = partition.logEndOffset() - 1;
        final long acked = reporter.lastAcked(partitionId);
        final long expected = acked != AckReporter.NONE ? acked : startEndOffsets[partitionId] - 1;
        if (lastStored != expected)
        {
            err.println("warning: " + partition + " holds offsets up to " + lastStored + " but " + (acked ==
                AckReporter.NONE ? "none was acknowledged in this run" : "the last acknowledged is " + acked));
        }
    }
}
