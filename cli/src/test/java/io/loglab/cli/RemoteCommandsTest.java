package io.loglab.cli;

import io.loglab.broker.Broker;
import io.loglab.engine.TestBatches;
import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.KeyHashPartitioner;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.StickyPartitioner;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code topic}, {@code consume} and {@code produce} with {@code --bootstrap}: the same commands against a running
 * broker over Kafka's protocol, answering as they answer with {@code --dir} on the same data, with clear errors for a
 * missing topic, a bad address, or both sources at once.
 */
class RemoteCommandsTest
{
    @TempDir
    Path dir;

    private CliCapture cli;
    private LogManager logs;
    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception
    {
        logs = LogManager.open(new LogManagerContext().dataDir(dir));
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
        bootstrap = "127.0.0.1:" + broker.address().getPort();
        cli = new CliCapture();
    }

    @AfterEach
    void stop()
    {
        cli.restore();
        broker.close();
        logs.close();
    }

    @Test
    void shouldCreateDescribeGrowAndConsumeTopicsOfARunningBroker() throws Exception
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "r", "--partitions", "2",
            "--cleanup-policy", "compact", "--segment-bytes", "4096"), cli.err());
        assertEquals(CleanupPolicy.COMPACT, logs.topic("r").config().cleanupPolicy());
        assertEquals(4096, logs.topic("r").config().segmentBytes());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < 10; i++)
            {
                producer.send(new ProducerRecord<>("r", 0, "k" + i, i == 3 ? null : "v" + i)).get();
            }
        }
        assertEquals(0, cli.run("consume", "--bootstrap", bootstrap, "--topic", "r"), cli.err());
        final List<String> remote = cli.outLines();
        assertEquals(10, remote.size(), remote.toString());
        assertEquals("0 3 k3 -", remote.get(3));
        assertEquals(0, cli.run("consume", "--dir", dir.toString(), "--topic", "r"), cli.err());
        assertEquals(remote, cli.outLines(), "the broker serves what the directory holds");
        assertEquals(0, cli.run("consume", "--bootstrap", bootstrap, "--topic", "r", "--from", "7", "--max", "2"));
        assertEquals(List.of("0 7 k7 v7", "0 8 k8 v8"), cli.outLines());

        assertEquals(0, cli.run("topic", "describe", "--bootstrap", bootstrap, "--topic", "r"), cli.err());
        final List<String> described = cli.outLines();
        assertTrue(described.get(0).startsWith("topic r partitions=2 ") &&
            described.get(0).contains("cleanup.policy=compact"), described.get(0));
        assertEquals(List.of("  partition=0 log-start-offset=0 log-end-offset=10",
            "  partition=1 log-start-offset=0 log-end-offset=0"), described.subList(1, 3));

        assertEquals(0, cli.run("topic", "alter", "--bootstrap", bootstrap, "--topic", "r", "--partitions", "3"));
        assertEquals(3, logs.topic("r").partitionCount());
    }

    @Test
    void shouldNameWhatIsWrongWithExitStatusTwo()
    {
        assertEquals(2, cli.run("consume", "--bootstrap", bootstrap, "--topic", "missing"));
        assertTrue(cli.err().contains("no topic missing at " + bootstrap), cli.err());
        assertEquals(2, cli.run("consume", "--bootstrap", "nohost", "--topic", "t"));
        assertTrue(cli.err().contains("--bootstrap nohost is not HOST:PORT"), cli.err());
        assertEquals(2, cli.run("consume", "--bootstrap", bootstrap, "--dir", dir.toString(), "--topic", "t"));
        assertTrue(cli.err().contains("mutually exclusive"), cli.err());
        assertEquals(2, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "bad/name", "--partitions",
            "1"));
        assertTrue(cli.err().contains("illegal character '/'"), cli.err());
        assertFalse(logs.hasTopic("bad/name"));
    }

    private int produce(final String input, final String... options)
    {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        final List<String> args = new ArrayList<>(List.of("produce", "--bootstrap", bootstrap));
        args.addAll(List.of(options));
        return cli.run(args.toArray(new String[0]));
    }

    /** What consume --bootstrap prints, one {@code partition offset key value} line a record. */
    private List<String[]> consumed(final String topic)
    {
        assertEquals(0, cli.run("consume", "--bootstrap", bootstrap, "--topic", topic), cli.err());
        final List<String[]> records = new ArrayList<>();
        for (final String line : cli.outLines())
        {
            if (!line.isEmpty())
            {
                records.add(line.split(" ", 4));
            }
        }
        return records;
    }

    /** Every line of standard output matches {@code pattern}. */
    private void assertEveryLineMatches(final Pattern pattern)
    {
        for (final String line : cli.outLines())
        {
            assertTrue(pattern.matcher(line).matches(), "unexpected line: " + line + " in " + cli.out());
        }
    }

    private static int keyPartition(final String key, final int partitions)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        return new KeyHashPartitioner(new StickyPartitioner()).partition(new UnsafeBuffer(bytes), 0, bytes.length,
            partitions);
    }

    @Test
    void shouldProduceGeneratedRecordsThroughABrokerEndingEachPartitionsLinesAtItsLastOffset()
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "g", "--partitions", "3"));

        assertEquals(0, cli.run("produce", "--bootstrap", bootstrap, "--topic", "g", "--count", "5000", "--size",
            "30", "--keys", "10", "--batch-bytes", "4096"), cli.err());
        assertEveryLineMatches(CliCapture.BROKER_ACK);
        assertTrue(cli.out().contains(" acks=all"), cli.out());
        assertTrue(cli.err().contains("produced 5000 records (") && cli.err().contains(") to g in "), cli.err());
        final Map<Integer, Long> lastAcks = cli.lastAcks(CliCapture.BROKER_ACK);
        assertEquals(List.of(0, 1, 2), new ArrayList<>(lastAcks.keySet()), cli.out());
        for (int p = 0; p < 3; p++)
        {
            assertEquals(logs.topic("g").partition(p).logEndOffset() - 1, lastAcks.get(p),
                "partition " + p + "'s final line is the last offset the broker stored");
        }

        final List<String[]> records = consumed("g");
        assertEquals(5000, records.size());
        final TreeSet<Long> sequences = new TreeSet<>();
        for (final String[] record : records)
        {
            final Matcher value = Pattern.compile("(\\d+)x*").matcher(record[3]);
            assertTrue(value.matches() && record[3].length() == 30, "the sequence number, then padding: " +
                record[3]);
            final long sequence = Long.parseLong(value.group(1));
            sequences.add(sequence);
            assertEquals("key-" + sequence % 10, record[2]);
            assertEquals(keyPartition(record[2], 3), Integer.parseInt(record[0]),
                "a key lands where --dir puts it: " + String.join(" ", record));
        }
        assertEquals(5000, sequences.size());
        assertEquals(4999, sequences.last());

        assertEquals(0, cli.run("produce", "--bootstrap", bootstrap, "--topic", "g", "--count", "10", "--keys", "1",
            "--acks", "1"), cli.err());
        assertEveryLineMatches(CliCapture.BROKER_ACK);
        final int keyed = keyPartition("key-0", 3);
        assertTrue(cli.outLines().contains("partition=" + keyed + " last-acked-offset=" +
            (lastAcks.get(keyed) + 10) + " acks=1"), cli.out());
    }

    @Test
    void shouldKeepTheOrderOfStandardInputThroughABroker()
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "in", "--partitions", "3"));
        final StringBuilder input = new StringBuilder();
        for (int line = 1; line <= 300; line++)
        {
            input.append(line % 10 == 0 ? "" : "k" + line % 7 + "\t").append("value ").append(line).append('\n');
        }

        assertEquals(0, produce(input.toString(), "--topic", "in", "--linger-ms", "0"), cli.err());
        assertEveryLineMatches(CliCapture.BROKER_ACK);
        final Map<Integer, Long> lastAcks = cli.lastAcks(CliCapture.BROKER_ACK);
        final List<String[]> records = consumed("in");
        assertEquals(300, records.size());
        final Map<Integer, Integer> lastLine = new TreeMap<>();
        final TreeSet<Integer> lines = new TreeSet<>();
        for (final String[] record : records)
        {
            final int partition = Integer.parseInt(record[0]);
            final int line = Integer.parseInt(record[3].substring("value ".length()));
            assertEquals(line % 10 == 0 ? "-" : "k" + line % 7, record[2]);
            assertTrue(line > lastLine.getOrDefault(partition, 0), "each partition in input order: line " + line +
                " after line " + lastLine.get(partition));
            lastLine.put(partition, line);
            lines.add(line);
            assertEquals(lastAcks.get(partition), logs.topic("in").partition(partition).logEndOffset() - 1);
        }
        assertEquals(300, lines.size());
    }

    @Test
    void shouldAcknowledgeEachLineThroughABrokerWhileInputStaysOpen() throws Exception
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "tail", "--partitions", "1"));
        final PipedOutputStream writer = new PipedOutputStream();
        System.setIn(new PipedInputStream(writer, 1 << 16));
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Integer> exit = executor.submit(() -> LoglabCli.run(
                "produce", "--bootstrap", bootstrap, "--topic", "tail", "--linger-ms", "5"));
            for (int line = 0; line < 3; line++)
            {
                writer.write(("line " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                writer.flush();
                final String ack = "partition=0 last-acked-offset=" + line + " acks=all";
                TestBatches.await(() -> cli.out().contains(ack), 30_000,
                    () -> ack + " while standard input stays open: " + cli.out());
            }
            writer.close();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS), cli.err());
        }
        finally
        {
            executor.shutdownNow();
        }
        assertEquals(3, logs.topic("tail").partition(0).logEndOffset());
    }

    @Test
    void shouldStoreEveryLineBeforeAMalformedOneAndNoneAfterThroughABroker()
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "b", "--partitions", "3"));
        final Base64.Encoder base64 = Base64.getEncoder();
        final StringBuilder input = new StringBuilder();
        for (int line = 1; line <= 20; line++)
        {
            final String value = line == 12 ? "not base64!" :
                base64.encodeToString(("value-" + line).getBytes(StandardCharsets.US_ASCII));
            input.append(base64.encodeToString(("key-" + line % 5).getBytes(StandardCharsets.US_ASCII)))
                .append('\t').append(value).append('\n');
        }

        assertEquals(2, produce(input.toString(), "--topic", "b", "--format", "base64"));
        assertTrue(cli.err().contains("line 12: the value is not base64") &&
            cli.err().contains("(everything before it is stored)"), cli.err());
        assertEquals(11, cli.lastAcks(CliCapture.BROKER_ACK).values().stream().mapToLong(offset -> offset + 1).sum(),
            cli.out());
        final TreeSet<Integer> stored = new TreeSet<>();
        consumed("b").forEach(record -> stored.add(Integer.parseInt(record[3].substring("value-".length()))));
        assertEquals(11, stored.size(), stored.toString());
        assertEquals(11, stored.last(), "lines 1 to 11, none after the bad one");
    }

    @Test
    void shouldPrintRecordsSentAndNoOffsetWithAcksZero()
    {
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "z", "--partitions", "2"));

        assertEquals(0, cli.run("produce", "--bootstrap", bootstrap, "--topic", "z", "--count", "1000", "--keys",
            "5", "--acks", "0"), cli.err());
        assertEveryLineMatches(CliCapture.BROKER_SENT);
        assertTrue(cli.err().contains("sent 1000 records") && cli.err().contains("(acks=0: none confirmed)"),
            cli.err());
        final Map<Integer, Long> sent = cli.lastAcks(CliCapture.BROKER_SENT);
        assertEquals(1000, sent.values().stream().mapToLong(Long::longValue).sum(), cli.out());
        // Nothing answers acks=0: the broker stores what was sent in its own time.
        TestBatches.await(() -> logs.topic("z").partition(0).logEndOffset() == sent.get(0) &&
            logs.topic("z").partition(1).logEndOffset() == sent.get(1), 10_000, () -> "the logs to hold " + sent);
    }

    @Test
    void shouldNameTheRecordNotAcknowledgedWhenTheBrokerRefusesASend() throws Exception
    {
        // The broker takes no appends to its internal topic: every send fails, with Kafka's error.
        logs.createTopic("__consumer_offsets", 2, new LogConfig());

        assertEquals(1, produce("a\nb\nc\n", "--topic", "__consumer_offsets"));
        assertTrue(cli.err().contains("error: line 1: not acknowledged: send to __consumer_offsets-0 at " + bootstrap +
            " failed: ") && cli.err().contains("of the 2 sent after it before the failure was known, 0 are stored"),
            cli.err());
        assertEquals(Map.of(0, -1L, 1, -1L), cli.lastAcks(CliCapture.BROKER_ACK), cli.out());
        assertEquals(0, logs.topic("__consumer_offsets").partition(0).logEndOffset());

        assertEquals(1, cli.run("produce", "--bootstrap", bootstrap, "--topic", "__consumer_offsets", "--count",
            "10"));
        assertTrue(cli.err().contains("failed: ") && cli.err().contains("; 0 records were stored, 10 were not"),
            cli.err());
    }

    @Test
    void shouldRefuseBadProduceArgumentsAndAMissingTopicWithExitStatusTwo()
    {
        assertEquals(2, cli.run("produce", "--bootstrap", bootstrap, "--topic", "missing", "--count", "1"));
        assertTrue(cli.err().contains("no topic missing at " + bootstrap), cli.err());
        assertEquals(2, cli.run("produce", "--bootstrap", bootstrap, "--topic", "missing", "--count", "1", "--acks",
            "2"));
        assertTrue(cli.err().contains("--acks must be 0, 1 or all, was 2"), cli.err());
        assertEquals(2, cli.run("produce", "--bootstrap", bootstrap, "--topic", "t", "--count", "1", "--in-flight",
            "6"));
        assertTrue(cli.err().contains("--in-flight must be at most 5 with --bootstrap and --acks all"), cli.err());
        assertEquals(2, cli.run("produce", "--dir", dir.toString(), "--topic", "t", "--count", "1", "--acks",
            "all"));
        assertTrue(cli.err().contains("--acks is for --bootstrap"), cli.err());
        assertEquals(2, cli.run("produce", "--bootstrap", bootstrap, "--dir", dir.toString(), "--topic", "t"));
        assertTrue(cli.err().contains("mutually exclusive"), cli.err());
        assertEquals(0, cli.run("topic", "create", "--bootstrap", bootstrap, "--topic", "limits", "--partitions",
            "1"));
        assertEquals(2, cli.run("produce", "--bootstrap", bootstrap, "--topic", "limits", "--count", "1",
            "--batch-bytes", "2000000"));
        assertTrue(cli.err().contains("--batch-bytes 2000000 is larger than limits's max.message.bytes="), cli.err());
        assertEquals(2, produce("ok\n" + "x".repeat(1_100_000) + "\nnever\n", "--topic", "limits"));
        assertTrue(cli.err().contains("line 2: a record with a 0-byte key and a 1100000-byte value") &&
            cli.err().contains("(everything before it is stored)"), cli.err());
        assertEquals(1, logs.topic("limits").partition(0).logEndOffset());
    }
}
