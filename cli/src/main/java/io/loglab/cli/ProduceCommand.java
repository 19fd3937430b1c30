package io.loglab.cli;

import io.loglab.engine.topic.KeyHashPartitioner;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Partitioner;
import io.loglab.engine.topic.RoundRobinPartitioner;
import io.loglab.engine.topic.StickyPartitioner;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab produce}: generated records, or {@code key<TAB>value} lines from standard input.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
        "Append records to a topic and report acknowledged offsets as they advance:",
        "  partition=P last-acked-offset=O durable=true|false",
        "at most every 100 ms per partition, and once more per partition at the end.",
        "Without --count, reads key<TAB>value lines from standard input (a line without a tab has a null key)."
    })
final class ProduceCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final byte[] KEY_PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);

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

    @Option(names = "--batch-bytes", description = "Batch size in bytes (default: ${DEFAULT-VALUE}).")
    int batchBytes = 64 * 1024;

    @Option(names = "--null-keys", description = "Partitioning of null-key records: sticky or round-robin " +
        "(default: ${DEFAULT-VALUE}).")
    String nullKeys = "sticky";

    @Option(names = "--in-flight", description = "Batches in flight per partition (default: ${DEFAULT-VALUE}).")
    int inFlight = 4;

    @Override
    public Integer call() throws Exception
    {
        validate();
        try (LogManager manager = CliSupport.openExisting(dir))
        {
            final Topic target = manager.topic(topic);
            final AckReporter reporter = new AckReporter(target, System.out);
            final BatchingProducer producer =
                new BatchingProducer(target, partitioner(), reporter, batchBytes, inFlight);
            final long startNs = System.nanoTime();
            try
            {
                if (count != null)
                {
                    generate(producer, startNs);
                }
                else
                {
                    readStandardInput(producer);
                }
                producer.close();
            }
            finally
            {
                manager.close();
                reporter.close();
            }
            reporter.printFinal();
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            System.err.printf("produced %d records (%d bytes of keys and values) to %s in %.2f s: %.0f records/s%n",
                producer.records(), producer.bytes(), topic, seconds, producer.records() / seconds);
        }
        return 0;
    }

    private void validate()
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
        if (batchBytes < 128)
        {
            throw new IllegalArgumentException("--batch-bytes must be at least 128, was " + batchBytes);
        }
        if (inFlight < 1)
        {
            throw new IllegalArgumentException("--in-flight must be at least 1, was " + inFlight);
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

    private void generate(final BatchingProducer producer, final long startNs)
    {
        // Values: the record's sequence number in ASCII, then 'x' padding; keys: "key-<n mod keys>".
        final UnsafeBuffer value = new UnsafeBuffer(new byte[Math.max(size, 20)]);
        value.setMemory(0, value.capacity(), (byte)'x');
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_PREFIX.length + 20]);
        key.putBytes(0, KEY_PREFIX);
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        for (long sequence = 0; sequence < count; sequence++)
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
            }
            else
            {
                producer.send(timestamp, null, 0, 0, value, 0, size);
            }
            if ((sequence & 0xFFF) == 0 && System.nanoTime() >= nextProgressNs)
            {
                final double seconds = (System.nanoTime() - startNs) / 1e9;
                System.err.printf("progress: %d of %d records in %.1f s (%.0f records/s)%n",
                    sequence, count, seconds, sequence / seconds);
                nextProgressNs += PROGRESS_INTERVAL_NS;
            }
        }
    }

    private static void readStandardInput(final BatchingProducer producer) throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null)
        {
            final int tab = line.indexOf('\t');
            final byte[] valueBytes = (tab < 0 ? line : line.substring(tab + 1)).getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer value = new UnsafeBuffer(valueBytes);
            if (tab < 0)
            {
                producer.send(System.currentTimeMillis(), null, 0, 0, value, 0, valueBytes.length);
            }
            else
            {
                final byte[] keyBytes = line.substring(0, tab).getBytes(StandardCharsets.UTF_8);
                producer.send(System.currentTimeMillis(), new UnsafeBuffer(keyBytes), 0, keyBytes.length,
                    value, 0, valueBytes.length);
            }
        }
    }
}
