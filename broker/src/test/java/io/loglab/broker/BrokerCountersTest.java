package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.stat.CountersFile;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The broker's counters, as {@code loglab stat} reads them from another mapping of the counters file: requests per
 * API, bytes in and out, each partition's log end offset, each group's lag per partition; the broker's own are freed
 * when it stops, the engine's stay while the logs are open.
 */
class BrokerCountersTest
{
    @TempDir
    Path dir;

    private Map<String, Long> counters() throws Exception
    {
        return CountersFile.read(dir, snapshot ->
        {
            final Map<String, Long> values = new HashMap<>();
            snapshot.counters().forEach((id, label) -> values.put(label, snapshot.counters().getCounterValue(id)));
            return values;
        });
    }

    @Test
    void shouldCountRequestsBytesAndLogEnds() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            logs.createTopic("t", 1, new LogConfig());
            final Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
            final String bootstrap = "127.0.0.1:" + broker.address().getPort();
            final Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            int sends = 0;
            try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
            {
                for (; sends < 20; sends++)
                {
                    producer.send(new ProducerRecord<>("t", "k", "value-" + sends)).get();
                }
            }
            final Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            int read = 0;
            try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer()))
            {
                consumer.assign(List.of(new TopicPartition("t", 0)));
                consumer.seekToBeginning(List.of(new TopicPartition("t", 0)));
                while (read < sends)
                {
                    read += consumer.poll(Duration.ofMillis(500)).count();
                }
            }
            final Map<String, Long> values = counters();
            assertEquals(20L, values.get("Produce requests"), values.toString());
            assertTrue(values.get("Fetch requests") >= 1, values.toString());
            assertTrue(values.get("ApiVersions requests") >= 2, "each client asks: " + values);
            assertTrue(values.get("bytes in") > 20 * 10, values.toString());
            assertTrue(values.get("bytes out") > values.get("bytes in") / 10, values.toString());
            assertEquals(0L, values.get("requests refused (connection closed)"));
            assertEquals(20L, values.get("log end offset: t-0"));
            broker.close();
            final Map<String, Long> after = counters();
            assertNull(after.get("Produce requests"), "the broker's counters go with it: " + after);
            assertEquals(20L, after.get("log end offset: t-0"), "the log is still open");
        }
    }

    @Test
    void shouldCountEachGroupsLagPerPartitionUntilTheGroupIsDeleted() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            logs.createTopic("t", 2, new LogConfig());
            final Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
            try
            {
                final String bootstrap = "127.0.0.1:" + broker.address().getPort();
                send(bootstrap, 0, 20);
                send(bootstrap, 1, 5);
                final Properties consumerProps = new Properties();
                consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
                try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer()))
                {
                    consumer.commitSync(Map.of(
                        new TopicPartition("t", 0), new OffsetAndMetadata(12),
                        new TopicPartition("t", 1), new OffsetAndMetadata(5)));
                }
                awaitCounters(values -> Long.valueOf(8).equals(values.get("lag: group g t-0")) &&
                    Long.valueOf(0).equals(values.get("lag: group g t-1")));

                send(bootstrap, 1, 3);
                awaitCounters(values -> Long.valueOf(3).equals(values.get("lag: group g t-1")) &&
                    Long.valueOf(8).equals(values.get("lag: group g t-0")));

                final Properties adminProps = new Properties();
                adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                try (Admin admin = Admin.create(adminProps))
                {
                    admin.deleteConsumerGroups(List.of("g")).all().get(30, TimeUnit.SECONDS);
                }
                awaitCounters(values -> !values.containsKey("lag: group g t-0") &&
                    !values.containsKey("lag: group g t-1") && values.containsKey("log end offset: t-1"));
            }
            finally
            {
                broker.close();
            }
        }
    }

    private static void send(final String bootstrap, final int partition, final int count) throws Exception
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord<>("t", partition, "k", "value-" + i)).get();
            }
        }
    }

    /**
     * Read the counters until they show what {@code expected} asks (the lags are refreshed once a second), or fail
     * with the last reading after 10 s.
     */
    private void awaitCounters(final Predicate<Map<String, Long>> expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Long> values = counters();
        while (!expected.test(values))
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "counters never showed the lag expected: " + values);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            values = counters();
        }
    }
}
