package io.loglab.cli;

import io.loglab.cli.RecordSender.Batching;
import io.loglab.engine.topic.KeyHashPartitioner;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.RoundRobinPartitioner;
import io.loglab.engine.topic.StickyPartitioner;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab produce}: generated records, or records read from standard input, into a data directory through
 * the engine's producer or to a running broker through Kafka's (a {@link RecordSender} each). Whatever ends the run
 * (the end of the input, a malformed record, a failed send), it stops taking records, waits for what is in flight,
 * and prints every partition's final acknowledged offset, so the last lines always say what is stored.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
        "Append records to a topic and report acknowledged offsets as they advance:",
        "  partition=P last-acked-offset=O durable=true|false      (--dir)",
        "  partition=P last-acked-offset=O acks=all|1              (--bootstrap; O is the offset the broker gave)",
        "  partition=P sent=N acks=0                               (--bootstrap --acks 0: the broker answers",
        "                                                           nothing, so N counts records written to it)",
        "at most every 100 ms per partition, and once more per partition at the end, whatever ended the run.",
        "",
        "With --count, generates records, many batches in flight per partition. Without it, reads records from",
        "standard input in the --format given and keeps their order: everything before a bad or failed record is",
        "stored and acknowledged, nothing after it, and the error names it (line N, or record N at byte P).",
        "Batches are sent when full or after --linger-ms, so 'tail -f FILE | loglab produce ...' works.",
        "",
        "With --bootstrap, records go through Kafka's producer to a running broker (loglab's or Kafka's), to the",
        "partitions --dir would choose (murmur2 of the key, --null-keys for the rest) among those the topic had at",
        "the start. --acks all (the default) makes the producer idempotent: each partition keeps its order with",
        "--in-flight requests (at most 5), and a retried batch is stored once. --acks 1 and 0 turn idempotence off",
        "(Kafka allows it only with all), so standard input goes one request at a time, and a retry may store a",
        "batch twice. Order is kept per partition, not across partitions: after a failed send, the error counts the",
        "records sent after it that are stored anyway.",
        "",
        "Input formats (bytes pass unchanged; lines end at \\n only):",
        "  text    key<TAB>value lines; a line without a tab has a null key",
        "  base64  KEY<TAB>VALUE lines, each field base64, '-' for null (a null value is a tombstone)",
        "  binary  records of: int32 key length (-1 for null), key, int32 value length (-1 for null), value",
        "          (big-endian); what 'loglab consume --format binary' writes",
        "",
        "Exit status: 0 all stored, 1 a send failed, 2 bad arguments, bad input, or no such topic."
    })
final class ProduceCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final byte[] KEY_PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);
    private static final String ACKS_ALL = "all";
    private static final String NO_ACKS = "0";
    /** Kafka's idempotent producer keeps order with at most this many requests in flight per connection. */
    private static final int MAX_IDEMPOTENT_IN_FLIGHT = 5;

    @ArgGroup(exclusive = true, multiplicity = "1")
    LogSource source;

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

    @Option(names = "--batch-bytes", description = "Batch size in bytes (with --bootstrap Kafka's batch.size), at " +
        "most the topic's max.message.bytes; a record too large for a batch goes in a batch of its own (default: " +
        Batching.BATCH_BYTES_DEFAULT + ", or max.message.bytes if smaller).")
    Integer batchBytes;

    @Option(names = "--linger-ms", description = "Send a batch once its first record has waited this long " +
        "(default: ${DEFAULT-VALUE}).")
    long lingerMs = 5;

    @Option(names = "--null-keys", description = "Partitioning of null-key records: sticky or round-robin " +
        "(default: ${DEFAULT-VALUE}).")
    String nullKeys = "sticky";

    @Option(names = "--in-flight", description = "Batches in flight per partition with --count (default: " +
        "${DEFAULT-VALUE}); standard input is sent one batch at a time, to keep its order. With --bootstrap, " +
        "Kafka's max.in.flight.requests.per.connection, for standard input too with --acks all.")
    int inFlight = 4;

    @Option(names = "--acks", description = "With --bootstrap: all, 1 or 0, what the broker waits for before it " +
        "answers; 0 gets no answer, so no offsets (default: all). Not taken with --dir, where a record is " +
        "acknowledged once appended and its line says whether it is durable yet.")
    String acks;

    @Override
    public Integer call() throws Exception
    {
        final RecordFormat inputFormat = validate();
        final Batching batching = new Batching(topic, batchBytes, lingerMs, inFlight, count == null, partitioner());
        final long startNs = System.nanoTime();
        final RecordSender sender = source.remote() ? BrokerSender.open(source, batching, acks(), System.out) :
            EngineSender.open(source.dir, batching, System.out, System.err);
        Exception stopped = null;
        long bytes = 0;
        try
        {
            if (count != null)
            {
                bytes = generate(sender, startNs);
            }
            else
            {
                final StdinImport stdin = new StdinImport(sender,
                    new RecordInput(inputFormat, sender.maxRecordBytes()), new InputPump(System.in).start(),
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
            drained = sender.awaitIdle();
        }
        finally
        {
            try
            {
                sender.close();
            }
            catch (final RuntimeException ex)
            {
                stopped = first(stopped, ex);
            }
        }

        final AckReporter reporter = sender.reporter();
        if (reporter.firstFailure() != null)
        {
            // A send failed: that comes first, even before a bad record met later.
            throw sender.failure(count == null ? inputFormat : null);
        }
        if (!drained)
        {
            throw new IllegalStateException("records still unanswered at the end: the final lines say what was " +
                "acknowledged", stopped);
        }
        final boolean confirmed = !acks().equals(NO_ACKS);
        if (stopped instanceof IllegalArgumentException)
        {
            throw new IllegalArgumentException(stopped.getMessage() + (confirmed ? " (everything before it is stored)" :
                " (everything before it was sent; acks=0 confirms none of it)"), stopped);
        }
        if (stopped != null)
        {
            throw stopped;
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        System.err.printf("%s %d records (%d bytes of keys and values) to %s in %.2f s: %.0f records/s%s%n",
            confirmed ? "produced" : "sent", reporter.acknowledgedRecords(), bytes, topic, seconds,
            reporter.acknowledgedRecords() / seconds, confirmed ? "" : " (acks=0: none confirmed)");
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

    /**
     * --acks as given, or its default: "all" with --bootstrap; with --dir, where it may not be given, also "all",
     * which is what an append acknowledged by the engine is (its line tells whether it is durable yet).
     */
    private String acks()
    {
        return acks == null ? ACKS_ALL : acks;
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
        validateAcks();
        return format == null ? RecordFormat.TEXT : RecordFormat.parse(format);
    }

    private void validateAcks()
    {
        if (!source.remote())
        {
            if (acks != null)
            {
                throw new IllegalArgumentException("--acks is for --bootstrap: with --dir a record is acknowledged " +
                    "once appended, and its line says whether it is durable yet");
            }
            return;
        }
        if (!acks().equals(ACKS_ALL) && !acks().equals("1") && !acks().equals(NO_ACKS))
        {
            throw new IllegalArgumentException("--acks must be 0, 1 or all, was " + acks);
        }
        if (acks().equals(ACKS_ALL) && inFlight > MAX_IDEMPOTENT_IN_FLIGHT)
        {
            throw new IllegalArgumentException("--in-flight must be at most " + MAX_IDEMPOTENT_IN_FLIGHT +
                " with --bootstrap and --acks all (Kafka's idempotent producer), was " + inFlight);
        }
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
    private long generate(final RecordSender sender, final long startNs)
    {
        final AckReporter reporter = sender.reporter();
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
                sender.send(timestamp, key, 0, keyLength, value, 0, size);
                bytes += keyLength;
            }
            else
            {
                sender.send(timestamp, null, 0, 0, value, 0, size);
            }
            bytes += size;
            if ((sequence & 0xFFF) == 0)
            {
                final long nowNs = System.nanoTime();
                sender.poll(nowNs);
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
