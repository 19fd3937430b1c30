package io.loglab.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real processes, a real client, a real fault: {@code loglab cluster start} runs three nodes in JVMs of their own;
 * Kafka's Java client streams idempotent acks=all records into a partition of a topic of replication factor 3 and
 * min.insync.replicas 2 while {@code loglab cluster kill} SIGKILLs the partition's leader, alone or with the
 * controller quorum's leader member. The client follows the
 * new leader by itself; the killed node, started again, rejoins the in-sync set; and every record acknowledged is
 * read back once, at its acknowledged offset ({@link AckHistory}). Prints the failover time: from the kill to the
 * first acknowledgement of a record the new leader wrote (one read from a batch of a later leader epoch).
 */
class ClusterFailoverTest
{
    private static final String TOPIC = "events";
    private static final long TIMEOUT_MS = 60_000;

    @TempDir
    Path dir;

    private final CliCapture cli = new CliCapture();
    private String bootstrap;
    private Admin admin;

    @BeforeEach
    void start()
    {
        // Loopback ports below the ephemeral range, apart for each test JVM.
        final int basePort = 21_000 + (int)(ProcessHandle.current().pid() % 40) * 250;
        assertEquals(0, cli.run("cluster", "start", "--dir", dir.toString(), "--base-port",
            String.valueOf(basePort)), cli::err);
        final String line = cli.outLines().stream().filter(l -> l.startsWith("bootstrap.servers="))
            .findFirst().orElseThrow();
        bootstrap = line.substring("bootstrap.servers=".length());
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        admin = Admin.create(props);
    }

    @AfterEach
    void stop()
    {
        if (admin != null)
        {
            admin.close();
        }
        cli.run("cluster", "stop", "--dir", dir.toString());
        cli.restore();
    }

    private TopicPartitionInfo awaitPartition(final int partition, final int notLeader, final int isr)
        throws Exception
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (true)
        {
            final TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get()
                .get(TOPIC);
            final TopicPartitionInfo info = description.partitions().get(partition);
            if (info.leader() != null && info.leader().id() != notLeader && info.isr().size() == isr)
            {
                return info;
            }
            assertTrue(System.currentTimeMillis() < deadline, "no leader but " + notLeader + " with " + isr +
                " in sync: " + info);
            Thread.sleep(50);
        }
    }

    /**
     * The node whose controller member leads the quorum, as {@code cluster status} says.
     */
    private int controllerLeader() throws Exception
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (true)
        {
            assertEquals(0, cli.run("cluster", "status", "--dir", dir.toString()), cli::err);
            for (final String line : cli.outLines())
            {
                if (line.startsWith("node ") && line.endsWith(" controller=leader"))
                {
                    return Integer.parseInt(line.split(" ")[1]);
                }
            }
            assertTrue(System.currentTimeMillis() < deadline, "no controller leader: " + cli.out());
            Thread.sleep(100);
        }
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderIsKilledAlone() throws Exception
    {
        killLeaderWhileProducing(false);
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderIsKilledWithTheControllersLeader() throws Exception
    {
        killLeaderWhileProducing(true);
    }

    /**
     * Kill the leader of a partition (each of the three nodes leads one) while producing to it: the one on the node
     * whose controller member leads the quorum, or one on another node.
     */
    private void killLeaderWhileProducing(final boolean withControllerLeader) throws Exception
    {
        assertEquals(0, cli.run("topic", "create", "--cluster", dir.toString(), "--topic", TOPIC, "--partitions",
            "3", "--replication-factor", "3", "--min-insync-replicas", "2"), cli::err);
        final int controller = controllerLeader();
        int partition = -1;
        for (int p = 0; p < 3 && partition < 0; p++)
        {
            if ((awaitPartition(p, -1, 3).leader().id() == controller) == withControllerLeader)
            {
                partition = p;
            }
        }
        assertTrue(partition >= 0, "a partition led " + (withControllerLeader ? "" : "not ") + "by node " +
            controller);
        final int target = partition;
        final int leader = awaitPartition(target, -1, 3).leader().id();

        final AckHistory history = new AckHistory();
        final AtomicBoolean producing = new AtomicBoolean(true);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // Retries back off from 20 ms to at most 200 ms (Kafka's defaults: 100 ms to 1 s), so the client asks for the
        // new leader soon after the controller names it.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        props.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        final Thread producer = new Thread(() ->
        {
            try (KafkaProducer<String, String> client =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
            {
                for (int i = 0; producing.get(); i++)
                {
                    final String value = "v" + i;
                    client.send(new ProducerRecord<>(TOPIC, target, null, value), (metadata, failure) ->
                    {
                        if (failure == null)
                        {
                            history.acked(value, metadata.offset());
                        }
                    });
                    if (i % 100 == 99)
                    {
                        // About 10,000 records a second: enough in flight at the kill, not a flood.
                        Thread.sleep(10);
                    }
                }
                client.flush();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "acks-all-producer");
        producer.start();
        await(() -> history.ackedCount() >= 5_000, "5,000 acknowledgements before the kill");

        final long killedNs = System.nanoTime();
        assertEquals(0, cli.run("cluster", "kill", "--dir", dir.toString(), String.valueOf(leader)), cli::err);
        final int ackedAtKill = history.ackedCount();
        await(() -> history.ackedCount() >= ackedAtKill + 5_000, "5,000 more acknowledgements after the kill");
        producing.set(false);
        producer.join(TIMEOUT_MS);
        assertFalse(producer.isAlive(), "the producer finished");
        assertNotEquals(leader, awaitPartition(target, leader, 2).leader().id(), "a new leader");

        assertEquals(0, cli.run("cluster", "restart", "--dir", dir.toString(), String.valueOf(leader)), cli::err);
        awaitPartition(target, -1, 3);
        assertEquals(0, cli.run("cluster", "status", "--dir", dir.toString()), cli::err);
        assertTrue(cli.out().contains(TOPIC + "-" + target + " leader="), cli.out());
        assertTrue(cli.out().contains("isr=[1,2,3]"), cli.out());

        readAll(history, target);
        assertEquals(List.of(), history.check(), "lost, duplicated or moved records");
        final long newLeaderAckNs = history.firstAckAfterEpoch(0);
        assertTrue(newLeaderAckNs > killedNs, "the new leader acknowledged records");
        cli.console().println("failover: leader " + leader + (withControllerLeader ? ", with the controller's " +
            "leader member," : " alone") + " SIGKILLed; the new leader's first acks=all acknowledgement came " +
            TimeUnit.NANOSECONDS.toMillis(newLeaderAckNs - killedNs) + " ms later");
        assertTrue(history.readCount() >= history.ackedCount());
    }

    private void readAll(final AckHistory history, final int index)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()))
        {
            final TopicPartition partition = new TopicPartition(TOPIC, index);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (consumer.position(partition) < end && System.currentTimeMillis() < deadline)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    history.read(record.offset(), record.value(), record.leaderEpoch().orElse(-1));
                }
            }
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
