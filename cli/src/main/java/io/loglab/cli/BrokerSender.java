package io.loglab.cli;

import io.loglab.broker.wire.RemoteLogClient;
import io.loglab.broker.wire.RemoteProducer;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.producer.BatchingProducer;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.topic.Partitioner;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code produce --bootstrap}: records through Kafka's producer ({@link RemoteProducer}) to a running broker. Lines
 * read {@code partition=P last-acked-offset=O acks=all|1}, O being the offset the broker gave the partition's latest
 * acknowledged record; with {@code acks=0} the broker answers nothing, so they read {@code partition=P sent=N acks=0},
 * the records this run wrote to the connection, with no offset.
 * <p>
 * Partitions are chosen here, by the engine's partitioner over the partition count the broker had at the start, as
 * with {@code --dir}: keyed records by murmur2 (where Kafka's own partitioner puts them too), null keys sticky or
 * round-robin. Kafka's producer tells no batch boundaries, so a sticky partitioner moves on once a partition was sent
 * a batch's worth of bytes, as Kafka's own sticky partitioner does.
 * <p>
 * Order: with acks=all (idempotent) Kafka keeps each partition's order with several requests in flight, with 0 or 1
 * only with one in flight, which is what standard input gets. Order across partitions is not kept (that would take
 * one request in flight for the whole run), so after a failed send, records sent after it to other partitions may
 * be stored; {@link #failure} counts them.
 * <p>
 * Threading: the producing thread calls everything; Kafka's network thread queues outcomes, which the producing
 * thread reports.
 */
final class BrokerSender implements RecordSender
{
    /** How long closing waits for records still unanswered before Kafka fails them. */
    private static final long CLOSE_TIMEOUT_MS = 10_000;
    private static final String NO_ACKS = "0";

    /** One record's outcome: {@code number} counts the records sent, from 1. */
    private record Outcome(int partition, long number, long offset, Exception failure)
    {
    }

    /**
     * Put by Kafka's network thread (and by the producing thread, for a record Kafka refuses within its send), taken
     * by the producing thread: the queue publishes each outcome.
     */
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final String bootstrap;
    private final String topic;
    private final String acks;
    private final int partitionCount;
    private final int maxRecordBytes;
    private final int batchBytes;
    private final Partitioner partitioner;
    private final AckReporter reporter;
    private final RemoteProducer producer;
    /** Bytes sent to each partition since it was last sent a batch's worth: when a sticky partitioner moves on. */
    private final long[] unbatchedBytes;
    private long sent;
    private long answered;
    /** The number of the first record that failed; {@link Long#MAX_VALUE} while none has. */
    private long firstFailedRecord = Long.MAX_VALUE;

    private BrokerSender(
        final String bootstrap,
        final Batching batching,
        final String acks,
        final RemoteLogClient.TopicDetail topic,
        final PrintStream out)
    {
        this.bootstrap = bootstrap;
        this.topic = batching.topic();
        this.acks = acks;
        partitionCount = topic.partitions().size();
        maxRecordBytes = Integer.parseInt(topic.settings().getOrDefault(LogConfig.MAX_MESSAGE_BYTES_PROP,
            Integer.toString(LogConfig.MAX_MESSAGE_BYTES_DEFAULT)));
        batchBytes = batching.batchBytes(maxRecordBytes);
        partitioner = batching.partitioner();
        unbatchedBytes = new long[partitionCount];
        reporter = new AckReporter(partitionCount, this::line, out, SystemNanoClock.INSTANCE);
        // Only the idempotent producer (acks=all) keeps a partition's order with more than one request in flight.
        final int inFlight = batching.ordered() && !acks.equals("all") ? 1 : batching.inFlight();
        producer = new RemoteProducer(bootstrap, this.topic,
            new RemoteProducer.Settings(acks, batchBytes, batching.lingerMs(), inFlight, maxRecordBytes));
    }

    /**
     * Ask the broker for the topic (its partitions and {@code max.message.bytes}), then open a producer to it.
     *
     * @param acks "all", "1" or "0".
     * @throws IllegalArgumentException if the broker has no such topic.
     */
    static BrokerSender open(final LogSource source, final Batching batching, final String acks,
        final PrintStream out) throws Exception
    {
        final RemoteLogClient.TopicDetail topic;
        try (RemoteLogClient client = source.client())
        {
            topic = LogSource.ask(source.bootstrap(), batching.topic(), () -> client.describe(batching.topic()));
        }
        return new BrokerSender(source.bootstrap(), batching, acks, topic, out);
    }

    private String line(final int partition, final long lastOffset, final long records)
    {
        return acks.equals(NO_ACKS) ? "partition=" + partition + " sent=" + records + " acks=0" :
            "partition=" + partition + " last-acked-offset=" + lastOffset + " acks=" + acks;
    }

    @Override
    public AckReporter reporter()
    {
        return reporter;
    }

    @Override
    public int maxRecordBytes()
    {
        return maxRecordBytes;
    }

    @Override
    public void send(
        final long timestampMs,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        if (!outcomes.isEmpty())
        {
            // A failure already answered stops the caller before its next record, not a chunk or 4096 records on.
            poll(System.nanoTime());
        }
        final int recordBytes = BatchingProducer.ownBatchBytes(key, keyLength, value, valueLength, maxRecordBytes,
            topic) - RecordBatchDescriptor.HEADER_LENGTH;
        final int partition = partitioner.partition(key, keyOffset, keyLength, partitionCount);
        final long number = sent + 1;
        producer.send(partition, timestampMs, copy(key, keyOffset, keyLength), copy(value, valueOffset, valueLength),
            (offset, failure) -> outcomes.add(new Outcome(partition, number, offset, failure)));
        sent = number;
        unbatchedBytes[partition] += recordBytes;
        if (unbatchedBytes[partition] >= batchBytes)
        {
            unbatchedBytes[partition] = 0;
            partitioner.onBatchComplete(partition, partitionCount);
        }
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    @Override
    public void poll(final long nowNs)
    {
        Outcome outcome;
        while ((outcome = outcomes.poll()) != null)
        {
            answered++;
            if (outcome.failure() == null)
            {
                reporter.acknowledged(outcome.partition(), outcome.offset(), 1);
            }
            else
            {
                reporter.failed(outcome.partition(), 1, outcome.failure());
                firstFailedRecord = Math.min(firstFailedRecord, outcome.number());
            }
        }
    }

    @Override
    public long pollDeadlineNs(final long nowNs)
    {
        return answered == sent ? Long.MAX_VALUE : nowNs + IN_FLIGHT_POLL_NS;
    }

    /**
     * Kafka's flush: what lingers is sent and every record answered, each within {@code delivery.timeout.ms}.
     */
    @Override
    public boolean awaitIdle()
    {
        producer.flush();
        poll(System.nanoTime());
        return answered == sent;
    }

    /**
     * Told for standard input as what is known: every record before the first that failed is stored (each was
     * acknowledged); of those sent after it, the ones acknowledged (to other partitions) are stored too.
     */
    @Override
    public IllegalStateException failure(final RecordFormat inputFormat)
    {
        final Throwable cause = reporter.firstFailure();
        final String failed = "send to " + topic + "-" + reporter.firstFailedPartition() + " at " + bootstrap +
            " failed: " + reporter.firstFailureMessage();
        final String stored = acks.equals(NO_ACKS) ? "sent (acks=0: unconfirmed)" : "stored";
        if (inputFormat == null)
        {
            return new IllegalStateException(failed + "; " + reporter.acknowledgedRecords() + " records were " +
                stored + ", " + reporter.failedRecords() + " were not", cause);
        }
        final long storedAfter = reporter.acknowledgedRecords() - (firstFailedRecord - 1);
        return new IllegalStateException(inputFormat.describe(firstFailedRecord) + ": not acknowledged: " + failed +
            "; every record before it is " + stored + "; of the " + (sent - firstFailedRecord) + " sent after it " +
            "before the failure was known, " + storedAfter + " are " + stored + " too (Kafka keeps each " +
            "partition's order, not the order across them); nothing later was sent", cause);
    }

    /**
     * Close Kafka's producer (failing, after a bounded wait, whatever is still unanswered), report what is left,
     * then print the final lines.
     */
    @Override
    public void close()
    {
        try
        {
            producer.close(CLOSE_TIMEOUT_MS);
        }
        finally
        {
            poll(System.nanoTime());
            reporter.printFinal();
        }
    }
}
