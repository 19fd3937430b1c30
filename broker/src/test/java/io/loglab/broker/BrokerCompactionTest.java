package io.loglab.broker;

import io.loglab.engine.TestBatches;
import io.loglab.engine.partition.WriterShards;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A topic created by Kafka's Admin client with {@code cleanup.policy=compact}, written by the Java producer while
 * the cleaner thread compacts it, read back by the Java consumer over the gaps compaction leaves: every record served
 * is the one the producer was told it wrote at that offset, each key's last value is served, older ones are gone,
 * and a record without a key is refused as Kafka refuses it.
 */
class BrokerCompactionTest
{
    private static final int KEYS = 40;
    private static final int RECORDS = 4_000;

    @TempDir
    Path dir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private LogManager logs;
    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception
    {
        logs = LogManager.open(new LogManagerContext().dataDir(dir)
            .cleaner(new WriterShards.CleanerSettings(20, 1 << 20)));
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), errors::add);
        bootstrap = "127.0.0.1:" + broker.address().getPort();
    }

    @AfterEach
    void stop() throws Exception
    {
        broker.close();
        logs.close();
        assertEquals(List.of(), List.copyOf(errors));
    }

    private void restart() throws Exception
    {
        broker.close();
        logs.close();
        start();
    }

    @Test
    void shouldKeepEveryGroupsLatestCommitAndForgetDeletedGroupsWhenTheOffsetsTopicIsCompacted() throws Exception
    {
        logs.createTopic("t", 1, new io.loglab.engine.log.LogConfig());
        final TopicPartition tp = new TopicPartition("t", 0);
        // Both groups' commits in one offsets partition, so one pass compacts them together.
        final String kept = "kept";
        String deleted = null;
        for (int i = 0; deleted == null; i++)
        {
            if (Math.abs(("deleted-" + i).hashCode()) % 50 == Math.abs(kept.hashCode()) % 50)
            {
                deleted = "deleted-" + i;
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            for (long offset = 1; offset <= 50; offset++)
            {
                admin.alterConsumerGroupOffsets(kept, Map.of(tp, new OffsetAndMetadata(offset))).all().get();
                admin.alterConsumerGroupOffsets(deleted, Map.of(tp, new OffsetAndMetadata(offset))).all().get();
            }
            admin.deleteConsumerGroups(List.of(deleted)).all().get();
        }
        final io.loglab.engine.partition.Partition offsets =
            logs.topic("__consumer_offsets").partition(Math.abs(kept.hashCode()) % 50);
        final long end = offsets.logEndOffset();
        assertTrue(end >= 101, "every commit and the tombstone are stored: " + end);
        offsets.roll().get();
        TestBatches.await(() -> logs.cleanerPasses() >= 1, 60_000,
            () -> "the cleaner compacts the offsets topic within a minute");
        restart();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            assertEquals(50L, admin.listConsumerGroupOffsets(kept).partitionsToOffsetAndMetadata().get().get(tp)
                .offset(), "the latest commit, replayed from the compacted topic");
            final String gone = deleted;
            assertTrue(admin.listGroups().all().get().stream().noneMatch(g -> g.groupId().equals(gone)),
                "the deleted group stays deleted: its tombstone outlives the commits it covers");
        }
        final io.loglab.engine.log.LogReader reader =
            logs.topic("__consumer_offsets").partition(Math.abs(kept.hashCode()) % 50).newReader();
        assertEquals(io.loglab.engine.log.LogReader.OK, reader.read(0, 1 << 20));
        assertTrue(reader.length() < 1_000, "the commits below the active segment are compacted to a few: " +
            reader.length() + " bytes");
    }

    @Test
    void shouldServeTheLatestValueOfEveryKeyAtTheOffsetItWasWrittenAt() throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic("compacted", 2, (short)1).configs(Map.of(
                "cleanup.policy", "compact", "segment.bytes", "4096", "min.cleanable.dirty.ratio", "0.01")))).all().get();
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
            final Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
        final Map<TopicPartition, Map<Long, String>> written = new HashMap<>();
        final Map<String, String> latest = new HashMap<>();
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "1024");
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
        {
            final List<Future<RecordMetadata>> acks = new ArrayList<>();
            final List<String> values = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++)
            {
                final String key = "key-" + i % KEYS;
                // The last round deletes every fourth key.
                final String value = i >= RECORDS - KEYS && i % 4 == 0 ? null : "value-" + i + "-" + "x".repeat(40);
                latest.put(key, value);
                values.add(value);
                acks.add(producer.send(new ProducerRecord<>("compacted", key, value)));
            }
            for (int i = 0; i < RECORDS; i++)
            {
                final RecordMetadata metadata = acks.get(i).get();
                written.computeIfAbsent(new TopicPartition("compacted", metadata.partition()), p -> new HashMap<>())
                    .put(metadata.offset(), values.get(i));
            }
            final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>("compacted", null, "no key")).get());
            assertInstanceOf(InvalidRecordException.class, refused.getCause(), refused.toString());
        }
        // Until the cleaner has compacted what was written, not only what had rolled when its first passes ran.
        final java.util.function.LongSupplier bytes = () -> logs.topic("compacted").partition(0).log().sizeInBytes() +
            logs.topic("compacted").partition(1).log().sizeInBytes();
        TestBatches.await(() -> logs.cleanerPasses() >= 2 && bytes.getAsLong() < 100 * 1024, 60_000,
            () -> "the cleaner compacts both partitions within a minute: " + bytes.getAsLong() + " bytes left");

        final Map<String, String> served = new HashMap<>();
        int count = 0;
        final long deadline = System.nanoTime() + 60_000_000_000L;
        final Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "2048");
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer()))
        {
            final List<TopicPartition> partitions = List.copyOf(written.keySet());
            consumer.assign(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Map<TopicPartition, Long> last = new HashMap<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)))
            {
                assertTrue(System.nanoTime() < deadline, "consumed to the end within a minute");
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    assertTrue(record.offset() > last.getOrDefault(tp, -1L), "offsets ascend: " + record);
                    last.put(tp, record.offset());
                    assertEquals(written.get(tp).get(record.offset()), record.value(),
                        "what the producer was told it wrote at " + tp + "@" + record.offset());
                    served.put(record.key(), record.value());
                    count++;
                }
            }
        }
        assertEquals(latest, served, "every key's last value, tombstones included (kept for delete.retention.ms)");
        assertTrue(count < RECORDS / 2, "compaction removed older values: " + count + " of " + RECORDS + " served");
    }
}
