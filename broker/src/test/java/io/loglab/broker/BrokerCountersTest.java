package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.stat.CountersFile;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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

import static org.junit.jupiter.api.Assertions.*;

/**
 * The broker's counters, as {@code loglab stat} reads them from another mapping of the counters file: requests per
 * API, bytes in and out, each partition's log end offset; the broker's own are freed when it stops, the engine's
 * stay while the logs are open.
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
        try (LogManager logs = LogManager.open(new LogManager.Context().dataDir(dir)))
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
}
