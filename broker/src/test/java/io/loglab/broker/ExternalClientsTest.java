package io.loglab.broker;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.partition.WriterShards;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The clients Debian ships, unchanged, against the broker: kcat (librdkafka 2.0), kafka-python 2.0 and
 * confluent-kafka. CI installs them ({@code .ci/run}) and sets {@value #REQUIRE_ENV}, so there a missing client fails
 * the test; elsewhere it is skipped.
 */
@Timeout(180)
class ExternalClientsTest
{
    static final String REQUIRE_ENV = "LOGLAB_REQUIRE_CLIENTS";
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" :
        "python3";

    @TempDir
    Path dir;

    private LogManager logs;
    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception
    {
        logs = LogManager.open(new LogManagerContext().dataDir(dir)
            .cleaner(new WriterShards.CleanerSettings(20, 1 << 20)));
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
        bootstrap = "127.0.0.1:" + broker.address().getPort();
    }

    @AfterEach
    void stop() throws Exception
    {
        broker.close();
        logs.close();
    }

    private static void requireOrSkip(final boolean available, final String what)
    {
        if (System.getenv(REQUIRE_ENV) != null)
        {
            assertTrue(available, what + " is not installed, and " + REQUIRE_ENV + " says it must be");
        }
        assumeTrue(available, what + " is not installed");
    }

    private static boolean runs(final String... command)
    {
        try
        {
            return run(null, command).exitCode == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private record Result(int exitCode, String out, String err)
    {
    }

    private static Result run(final String input, final String... command) throws IOException
    {
        final Path out = Files.createTempFile("client", ".out");
        final Path err = Files.createTempFile("client", ".err");
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var stdin = process.getOutputStream())
            {
                if (input != null)
                {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
        finally
        {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void shouldRoundTripWithKcatCompressedOrNot() throws Exception
    {
        requireOrSkip(runs("kcat", "-V"), "kcat");
        logs.createTopic("k", 2, new LogConfig());
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            lines.add("line-" + i);
        }
        final String input = String.join("\n", lines) + "\n";
        for (final String codec : List.of("none", "gzip", "lz4", "zstd"))
        {
            final Result produced = run(input, "kcat", "-P", "-b", bootstrap, "-t", "k", "-p", "0", "-z", codec);
            assertEquals(0, produced.exitCode(), codec + ": " + produced.err());
        }
        assertEquals(4 * 500, logs.topic("k").partition(0).logEndOffset(), "every line stored, each codec");

        final Result consumed = run(null, "kcat", "-C", "-b", bootstrap, "-t", "k", "-p", "0", "-e", "-f", "%o %s\\n");
        assertEquals(0, consumed.exitCode(), consumed.err());
        final List<String> got = consumed.out().lines().toList();
        assertEquals(4 * 500, got.size(), consumed.err());
        for (int i = 0; i < got.size(); i++)
        {
            assertEquals(i + " " + lines.get(i % 500), got.get(i), "offset and value, in order");
        }
    }

    @Test
    void shouldRoundTripWithKafkaPythonAndConfluentKafka() throws Exception
    {
        for (final String client : List.of("kafka-python", "confluent-kafka"))
        {
            final String module = client.equals("kafka-python") ? "kafka" : "confluent_kafka";
            requireOrSkip(runs(PYTHON, "-c", "import " + module), client);
        }
        logs.createTopic("py", 1, new LogConfig());
        final Path script = dir.resolve("python_clients.py");
        try (InputStream resource = getClass().getResourceAsStream("python_clients.py"))
        {
            Files.copy(resource, script);
        }
        final List<String> expected = new ArrayList<>();
        for (final String client : List.of("kafka-python", "confluent-kafka"))
        {
            final Result result = run(null, PYTHON, script.toString(), bootstrap, "py", client, "200");
            assertEquals(0, result.exitCode(), client + ": " + result.err());
            final List<String> lines = result.out().lines().toList();
            assertEquals("produced 200", lines.get(0), client + ": " + result.err());
            for (int i = 0; i < 200; i++)
            {
                expected.add(client + "-" + i);
            }
            assertEquals(expected, lines.subList(1, lines.size()), client + " reads back all there is, in order");
        }
    }

    @Test
    void shouldReadACompactedTopicAcrossItsGapsWithKcatAndKafkaPython() throws Exception
    {
        requireOrSkip(runs("kcat", "-V"), "kcat");
        requireOrSkip(runs(PYTHON, "-c", "import kafka"), "kafka-python");
        logs.createTopic("compacted", 1, new LogConfig().cleanupPolicy(CleanupPolicy.COMPACT).segmentBytes(4096)
            .minCleanableDirtyRatio(0.01));
        final List<String> lines = new ArrayList<>();
        final Map<String, String> latest = new HashMap<>();
        for (int i = 0; i < 2_000; i++)
        {
            lines.add("key-" + i % 20 + ":value-" + i);
            latest.put("key-" + i % 20, "value-" + i);
        }
        // Small batches, so the log rolls into segments below the active one, which the cleaner may compact.
        final Result produced = run(String.join("\n", lines) + "\n", "kcat", "-P", "-b", bootstrap, "-t",
            "compacted", "-p", "0", "-K:", "-X", "batch.num.messages=50");
        assertEquals(0, produced.exitCode(), produced.err());
        // Until the cleaner has compacted what was written, not only what had rolled when its first pass ran.
        final ReadableLog log = logs.topic("compacted").partition(0).log();
        TestBatches.await(() -> log.sizeInBytes() < 12 * 1024, 60_000,
            () -> "the cleaner compacts the topic within a minute: " + log.sizeInBytes() + " bytes left");

        final Result kcat = run(null, "kcat", "-C", "-b", bootstrap, "-t", "compacted", "-p", "0", "-e", "-f",
            "%o %k %s\\n");
        assertEquals(0, kcat.exitCode(), kcat.err());
        final Result python = run(null, PYTHON, "-c", String.join("\n",
            "import sys",
            "from kafka import KafkaConsumer, TopicPartition",
            "c = KafkaConsumer(bootstrap_servers=sys.argv[1], auto_offset_reset='earliest',",
            "                  enable_auto_commit=False, consumer_timeout_ms=5000)",
            "c.assign([TopicPartition('compacted', 0)])",
            "for r in c: print('%d %s %s' % (r.offset, r.key.decode(), r.value.decode()))"), bootstrap);
        assertEquals(0, python.exitCode(), python.err());
        // The cleaner may go on compacting between the two reads: each is checked on its own.
        for (final Result result : List.of(kcat, python))
        {
            final List<String> read = result.out().lines().toList();
            assertTrue(read.size() < lines.size() / 2, read.size() + " records left of " + lines.size());
            final Map<String, String> served = new HashMap<>();
            long previous = -1;
            for (final String line : read)
            {
                final String[] fields = line.split(" ");
                final int offset = Integer.parseInt(fields[0]);
                assertTrue(offset > previous, "offsets ascend: " + line);
                previous = offset;
                assertEquals(lines.get(offset), fields[1] + ":" + fields[2], "the record written at " + offset);
                served.put(fields[1], fields[2]);
            }
            assertEquals(latest, served, "every key's latest value: " + result.err());
        }
    }

    @Test
    void shouldConsumeAsAGroupWithKcatAndResumeFromWhatItCommitted() throws Exception
    {
        requireOrSkip(runs("kcat", "-V"), "kcat");
        logs.createTopic("kg", 3, new LogConfig());
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            lines.add("key-" + i + ":value-" + i);
        }
        final Result produced = run(String.join("\n", lines) + "\n", "kcat", "-P", "-b", bootstrap, "-t", "kg", "-K:");
        assertEquals(0, produced.exitCode(), produced.err());

        // A librdkafka group starts at the log end unless told otherwise, as it does against Kafka.
        final Result first = run(null, "kcat", "-b", bootstrap, "-G", "kcat-group", "-X",
            "auto.offset.reset=earliest", "-e", "-f", "%s\\n", "kg");
        assertEquals(0, first.exitCode(), first.err());
        final List<String> values = new ArrayList<>(first.out().lines().toList());
        values.sort(null);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            expected.add("value-" + i);
        }
        expected.sort(null);
        assertEquals(expected, values, "the group read every record once: " + first.err());

        final Result again = run(null, "kcat", "-b", bootstrap, "-G", "kcat-group", "-X",
            "auto.offset.reset=earliest", "-e", "-f", "%s\\n", "kg");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of(), again.out().lines().toList(), "the group resumed from what it committed on close");
    }

    /**
     * The seed article's pattern with each Python client: events sent with acks=all (idempotent where the client
     * can be), a group member that dead-letters what it cannot process and commits only after processing, stopped
     * part way and restarted: every event is handled exactly once across the two runs, and every refused one is in
     * the dead-letter topic.
     */
    @Test
    void shouldRunTheArticlesDeadLetterAndCommitAfterProcessingPatternWithBothPythonClients() throws Exception
    {
        for (final String client : List.of("kafka-python", "confluent-kafka"))
        {
            final String module = client.equals("kafka-python") ? "kafka" : "confluent_kafka";
            requireOrSkip(runs(PYTHON, "-c", "import " + module), client);
        }
        final Path script = dir.resolve("article_pattern.py");
        try (InputStream resource = getClass().getResourceAsStream("article_pattern.py"))
        {
            Files.copy(resource, script);
        }
        final int events = 90;
        for (final String client : List.of("kafka-python", "confluent-kafka"))
        {
            final String topic = "orders-" + client;
            logs.createTopic(topic, 3, new LogConfig());
            logs.createTopic(topic + ".dlq", 1, new LogConfig());
            final Result sent = run(null, PYTHON, script.toString(), "produce", bootstrap, topic, client, "" + events);
            assertEquals(0, sent.exitCode(), client + ": " + sent.err());
            assertEquals("sent " + events, sent.out().strip(), client + ": " + sent.err());

            final List<String> handled = new ArrayList<>();
            final Result first = run(null, PYTHON, script.toString(), "consume", bootstrap, topic, client, "orders",
                "30");
            assertEquals(0, first.exitCode(), client + ": " + first.err());
            handled.addAll(first.out().lines().toList());
            assertTrue(handled.size() >= 30 && handled.size() < events, client + " stopped part way: " + handled);
            final Result second = run(null, PYTHON, script.toString(), "consume", bootstrap, topic, client, "orders",
                "" + (events - handled.size()));
            assertEquals(0, second.exitCode(), client + ": " + second.err());
            handled.addAll(second.out().lines().toList());

            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < events; i++)
            {
                expected.add((i % 3 == 2 ? "dead-lettered " : "processed ") + String.format("ORD-%05d", i));
            }
            final List<String> sorted = new ArrayList<>(handled);
            sorted.sort(java.util.Comparator.comparing((String line) -> line.substring(line.indexOf(' ') + 1)));
            assertEquals(expected, sorted, client + ": each event handled once across the restart");
            assertEquals(events / 3, logs.topic(topic + ".dlq").partition(0).logEndOffset(),
                client + ": every refused event is in the dead-letter topic");
        }
    }
}
