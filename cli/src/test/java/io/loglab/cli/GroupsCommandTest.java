package io.loglab.cli;

import io.loglab.broker.Broker;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code loglab groups} against a running broker, and {@code loglab broker --config}'s checks.
 */
@Timeout(120)
class GroupsCommandTest
{
    @TempDir
    Path tmp;

    private CliCapture cli;
    private LogManager logs;
    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception
    {
        cli = new CliCapture();
        logs = LogManager.open(new LogManagerContext().dataDir(tmp.resolve("data")));
        logs.createTopic("orders", 2, new LogConfig());
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
        bootstrap = "127.0.0.1:" + broker.address().getPort();
    }

    @AfterEach
    void stop()
    {
        cli.restore();
        broker.close();
        logs.close();
    }

    @Test
    void shouldListAndDescribeAGroupWithItsCommittedOffsetsLogEndOffsetsAndLag() throws Exception
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < 5; i++)
            {
                producer.send(new ProducerRecord<>("orders", i % 2, null, "v" + i)).get();
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.alterConsumerGroupOffsets("billing", Map.of(new TopicPartition("orders", 0),
                new OffsetAndMetadata(1))).all().get();
        }
        final long end0 = logs.topic("orders").partition(0).logEndOffset();
        assertEquals(3, end0);

        assertEquals(0, cli.run("groups", "list", "--bootstrap", bootstrap), cli.err());
        final List<String> listed = cli.outLines();
        assertEquals(List.of("GROUP", "STATE", "TYPE"), List.of(listed.get(0).split("\\s+")));
        assertEquals(List.of("billing", "Empty", "Classic"), List.of(listed.get(1).split("\\s+")));

        assertEquals(0, cli.run("groups", "describe", "--bootstrap", bootstrap, "--group", "billing"), cli.err());
        final List<String> described = cli.outLines();
        assertEquals("group billing: Empty, 0 members", described.get(0));
        assertEquals(List.of("orders", "0", "1", Long.toString(end0), Long.toString(end0 - 1), "-", "-", "-"),
            List.of(described.get(2).trim().split("\\s+")));
    }

    @Test
    void shouldRefuseAMissingGroupABadBootstrapAndNoSubcommandWithExitTwo()
    {
        assertEquals(2, cli.run("groups", "describe", "--bootstrap", bootstrap, "--group", "nobody"));
        assertTrue(cli.err().contains("consumer group 'nobody' does not exist"), cli.err());
        assertEquals(2, cli.run("groups", "list", "--bootstrap", "no-port"));
        assertTrue(cli.err().contains("--bootstrap no-port is not HOST:PORT"), cli.err());
        assertEquals(2, cli.run("groups"));
        assertTrue(cli.err().contains("say 'list' or 'describe --group G'"), cli.err());
        assertEquals(0, cli.run("groups", "describe", "--help"));
        assertTrue(cli.out().contains("--group"), cli.out());
    }

    @Test
    void shouldRefuseABrokerConfigWithAnUnknownOrBadSettingBeforeTouchingTheDirectory() throws Exception
    {
        final Path data = tmp.resolve("served");
        final Path config = tmp.resolve("broker.properties");
        Files.writeString(config, "group.initial.rebalance.delay.ms=0\ngroup.max.session.timeot.ms=100\n");
        assertEquals(2, cli.run("broker", "--dir", data.toString(), "--config", config.toString()));
        assertTrue(cli.err().contains("unknown setting group.max.session.timeot.ms"), cli.err());
        Files.writeString(config, "group.min.session.timeout.ms=soon\n");
        assertEquals(2, cli.run("broker", "--dir", data.toString(), "--config", config.toString()));
        assertTrue(cli.err().contains("group.min.session.timeout.ms=soon: not a whole number"), cli.err());
        Files.writeString(config, "group.min.session.timeout.ms=9000\ngroup.max.session.timeout.ms=8000\n");
        assertEquals(2, cli.run("broker", "--dir", data.toString(), "--config", config.toString()));
        assertTrue(cli.err().contains("need 1 <= min <= max"), cli.err());
        assertEquals(2, cli.run("broker", "--dir", data.toString(), "--config", tmp.resolve("none").toString()));
        assertTrue(cli.err().contains("is not a file"), cli.err());
        assertFalse(Files.exists(data), "a bad argument leaves no trace");
    }
}
