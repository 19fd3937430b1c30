package io.loglab.cli;

import io.loglab.broker.Broker;
import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code topic} and {@code consume} with {@code --bootstrap}: the same commands against a running broker over Kafka's
 * protocol, answering as they answer with {@code --dir} on the same data, with clear errors for a missing topic, a
 * bad address, or both sources at once.
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
        logs = LogManager.open(new LogManager.Context().dataDir(dir));
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
}
