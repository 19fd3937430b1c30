package io.loglab.cli;

import io.loglab.engine.producer.BatchingProducer;
import io.loglab.engine.producer.ProducerContext;
import io.loglab.engine.topic.KeyHashPartitioner;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.RoundRobinPartitioner;
import io.loglab.engine.topic.StickyPartitioner;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab produce}: generated records, or records read from standard input, through the engine's
 * {@link BatchingProducer}. Whatever ends the run (the end of the input, a malformed record, a failed append), it
 * stops taking records, waits for what is in flight, and prints every partition's final acknowledged offset, so
 * the last lines always say what is stored.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
        "Append records to a topic and report acknowledged offsets as they advance:",
        "  partition=P last-acked-offset=O durable=true|false",
        "at most every 100 ms per partition, and once more per partition at the end, whatever ended the run.",
        "",
        "With --count, generates records, many batches in flight per partition. Without it, reads records from",
        "standard input in the --format given and keeps their order: everything before a bad or failed record is",
        "stored and acknowledged, nothing after it, and the error names it (line N, or record N at byte P).",
        "Batches are sent when full or after --linger-ms, so 'tail -f FILE | loglab produce ...' works.",
        "",
        "Input formats (bytes pass unchanged; lines end at \\n only):",
        "  text    key<TAB>value lines; a line without a tab has a null key",
        "  base64  KEY<TAB>VALUE lines, each field base64, '-' for null (a null value is a tombstone)",
        "  binary  records of: int32 key length (-1 for null), key, int32 value length (-1 for null), value",
        "          (big-endian); what 'loglab consume --format binary' writes",
        "",
        "Exit status: 0 all stored, 1 an append failed, 2 bad arguments or bad input."
    })
final class ProduceCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    /** How long the writers may take to answer what is in flight at the end: only a wedged writer takes this long. */
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final byte[] KEY_PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);
    /** Requests per partition when reading standard input: one in flight, the next filling. */
    private static final int ORDERED_WINDOW = 2;
    private static final int BATCH_BYTES_DEFAULT = 64 * 1024;

    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--topic", required = true, description = "Topic name.")
    String topic;

    @Option(names = "--count", description = "Generate this many records instead of reading standard input.")
    Long count;

    @Option(names = "--size", description = "Value size of generated records in bytes (default: ${DEFAULT-VALUE}).")
    int size = 100;

    @Option(names = "--keys", description = "Distinct keys of generated records, spread by Kafka's murmur2 hash; " +
        "0 for null keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--format", description = "Format of standard input: " + RecordFormat.NAMES +
        " (default: text); see above.")
    String format;

    @Option(names = "--batch-bytes", description = "Batch size in bytes, at most the topic's max.message.bytes; a " +
        "record too large for a batch goes in a batch of its own (default: " + BATCH_BYTES_DEFAULT + ", or " +
        "max.message.bytes if smaller).")
    Integer batchBytes;

    @Option(names = "--linger-ms", description = "Send a batch once its first record has waited this long " +
        "(default: ${DEFAULT-VALUE}).")
    long lingerMs = 5;

    @Option(names = "--null-keys", description = "Partitioning of null-key records: sticky or round-robin " +
        "(default: ${DEFAULT-VALUE}).")
    String nullKeys = "sticky";

    @Option(names = "--in-flight", description = "Batches in flight per partition with --count (default: " +
        "${DEFAULT-VALUE}); standard input is sent one batch at a time, to keep its order.")
    int inFlight = 4;

    @Override
    public Integer call() throws Exception
    {
        final RecordFormat inputFormat = validate();
        final long startNs = System.nanoTime();
        final LogManager manager = CliSupport.openExisting(dir);
        final AckReporter reporter;
        final BatchingProducer producer;
        try
        {
            final Topic target = manager.topic(topic);
            reporter = new AckReporter(target, System.out, System.err, SystemNanoClock.INSTANCE);
            producer = new BatchingProducer(target, context(target, reporter));
        }
        catch (final RuntimeException ex)
        {
            manager.close();
            throw ex;
        }

        Exception stopped = null;
        long bytes = 0;
        try
        {
            if (count != null)
            {
                bytes = generate(producer, reporter, startNs);
            }
            else
            {
                final StdinImport stdin = new StdinImport(producer, reporter,
                    new RecordInput(inputFormat, producer.maxRecordBytes()), new InputPump(System.in).start(),
                    System.err);
                try
                {
                    stdin.run();
                }
                finally
                {
                    bytes = stdin.bytes();
                }
            }
        }
        catch (final Exception ex)
        {
            stopped = ex;
        }
        boolean drained = false;
        try
        {
            drained = producer.awaitIdle(DRAIN_TIMEOUT_NS);
        }
        finally
        {
            try
            {
                manager.close();
            }
            catch (final RuntimeException ex)
            {
                stopped = first(stopped, ex);
            }
            reporter.printFinal();
        }

        if (reporter.firstFailure() != null)
        {
            // An append failed: that comes first, even before a bad record met later.
            throw appendFailed(reporter, inputFormat);
        }
        if (!drained)
        {
            throw new IllegalStateException("batches still unanswered after " +
                TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NS) + " s: the final lines say what was acknowledged",
                stopped);
        }
        if (stopped instanceof IllegalArgumentException)
        {
            throw new IllegalArgumentException(stopped.getMessage() + " (everything before it is stored)", stopped);
        }
        if (stopped != null)
        {
            throw stopped;
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        System.err.printf("produced %d records (%d bytes of keys and values) to %s in %.2f s: %.0f records/s%n",
            reporter.acknowledgedRecords(), bytes, topic, seconds, reporter.acknowledgedRecords() / seconds);
        return 0;
    }

    private static Exception first(final Exception first, final Exception next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private IllegalStateException appendFailed(final AckReporter reporter, final RecordFormat inputFormat)
    {
        final Throwable cause = reporter.firstFailure();
        final String failed = "append to " + topic + "-" + reporter.firstFailedPartition() + " failed: " +
            (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        if (count != null)
        {
            return new IllegalStateException(failed + "; " + reporter.acknowledgedRecords() + " records were " +
                "acknowledged, " + reporter.failedRecords() + " not stored", cause);
        }
        // Ordered: the records acknowledged are exactly those before the first record of the failed batch.
        final long failedRecord = reporter.acknowledgedRecords() + 1;
        return new IllegalStateException(inputFormat.describe(failedRecord) + ": not stored, nor anything after it: " +
            failed, cause);
    }

    private RecordFormat validate()
    {
        if (count != null && count < 0)
        {
            throw new IllegalArgumentException("--count must not be negative, was " + count);
        }
        if (size < 0)
        {
            throw new IllegalArgumentException("--size must not be negative, was " + size);
        }
        if (keys < 0)
        {
            throw new IllegalArgumentException("--keys must not be negative, was " + keys);
        }
        if (batchBytes != null && batchBytes < 128)
        {
            throw new IllegalArgumentException("--batch-bytes must be at least 128, was " + batchBytes);
        }
        if (inFlight < 1)
        {
            throw new IllegalArgumentException("--in-flight must be at least 1, was " + inFlight);
        }
        if (lingerMs < 0)
        {
            throw new IllegalArgumentException("--linger-ms must not be negative, was " + lingerMs);
        }
        if (count != null && format != null)
        {
            throw new IllegalArgumentException("--format is for standard input and cannot go with --count");
        }
        return format == null ? RecordFormat.TEXT : RecordFormat.parse(format);
    }

    private ProducerContext context(final Topic target, final AckReporter reporter)
    {
        return new ProducerContext()
            .batchBytes(batchBytes != null ? batchBytes :
                Math.min(BATCH_BYTES_DEFAULT, target.config().maxMessageBytes()))
            .lingerNs(TimeUnit.MILLISECONDS.toNanos(lingerMs))
            .inFlightPerPartition(count != null ? inFlight : ORDERED_WINDOW)
            .ordered(count == null)
            .partitioner(partitioner())
            .listener(reporter);
    }

    private Partitioner partitioner()
    {
        return switch (nullKeys)
        {
            case "sticky" -> new KeyHashPartitioner(new StickyPartitioner());
            case "round-robin" -> new KeyHashPartitioner(new RoundRobinPartitioner());
            default -> throw new IllegalArgumentException(
                "--null-keys must be sticky or round-robin, was " + nullKeys);
        };
    }

    /**
     * @return key and value bytes sent.
     */
    private long generate(final BatchingProducer producer, final AckReporter reporter, final long startNs)
    {
        // Values: the record's sequence number in ASCII, then 'x' padding; keys: "key-<n mod keys>".
        final UnsafeBuffer value = new UnsafeBuffer(new byte[Math.max(size, 20)]);
        value.setMemory(0, value.capacity(), (byte)'x');
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_PREFIX.length + 20]);
        key.putBytes(0, KEY_PREFIX);
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        long bytes = 0;
        for (long sequence = 0; sequence < count && reporter.firstFailure() == null; sequence++)
        {
            if (size > 0)
            {
                value.putLongAscii(0, sequence);
            }
            final long timestamp = System.currentTimeMillis();
            if (keys > 0)
            {
                final int keyLength = KEY_PREFIX.length + key.putLongAscii(KEY_PREFIX.length, sequence % keys);
                producer.send(timestamp, key, 0, keyLength, value, 0, size);
                bytes += keyLength;
            }
            else
            {
                producer.send(timestamp, null, 0, 0, value, 0, size);
            }
            bytes += size;
            if ((sequence & 0xFFF) == 0)
            {
                final long nowNs = System.nanoTime();
                producer.poll(nowNs);
                reporter.tick(nowNs);
                if (nowNs >= nextProgressNs)
                {
                    final double seconds = (nowNs - startNs) / 1e9;
                    System.err.printf("progress: %d of %d records in %.1f s (%.0f records/s)%n",
                        sequence, count, seconds, sequence / seconds);
                    nextProgressNs += PROGRESS_INTERVAL_NS;
                }
            }
        }
        return bytes;
    }
}
