package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * Kafka's own Java client, unchanged, against the broker: what the producer is told is stored, and the consumer reads
 * back exactly that.
 */
@Timeout(120)
class BrokerKafkaClientTest
{
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;

    @TempDir
    Path dir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private LogManager logs;
    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception
    {
        logs = LogManager.open(new LogManagerContext().dataDir(dir));
        logs.createTopic("t", PARTITIONS, new LogConfig().segmentBytes(64 * 1024));
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), errors::add);
        bootstrap = "127.0.0.1:" + broker.address().getPort();
    }

    @AfterEach
    void stop() throws Exception
    {
        broker.close();
        logs.close();
    }

    /**
     * Kafka's defaults (idempotent, acks=all) for "all"; otherwise the acks asked for, without idempotence, which
     * needs acks=all.
     */
    private KafkaProducer<String, String> producer(final String acks)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (!acks.equals("all"))
        {
            props.put(ProducerConfig.ACKS_CONFIG, acks);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        }
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "4096");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer()
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "8192");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void shouldStoreWhatTheIdempotentJavaProducerIsToldAndServeItBackToTheJavaConsumer() throws Exception
    {
        final Map<TopicPartition, List<String>> sent = new HashMap<>();
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer("all"))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                final String value = "value-" + i;
                values.add(value);
                acks.add(producer.send(new ProducerRecord<>("t", "key-" + (i % 17), value)));
            }
            producer.flush();
        }
        final Map<TopicPartition, Long> nextOffset = new HashMap<>();
        for (int i = 0; i < RECORDS; i++)
        {
            final RecordMetadata metadata = acks.get(i).get();
            final TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
            final long expected = nextOffset.getOrDefault(partition, 0L);
            assertEquals(expected, metadata.offset(), "each partition's offsets in send order: " + partition);
            nextOffset.put(partition, expected + 1);
            sent.computeIfAbsent(partition, p -> new ArrayList<>()).add(values.get(i));
        }
        assertEquals(PARTITIONS, sent.size(), "keys spread over every partition");
        for (final Map.Entry<TopicPartition, Long> entry : nextOffset.entrySet())
        {
            assertEquals(entry.getValue(), logs.topic("t").partition(entry.getKey().partition()).logEndOffset(),
                "the engine stores what was acknowledged");
        }

        final Map<TopicPartition, List<String>> received = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer())
        {
            final List<TopicPartition> all = new ArrayList<>(sent.keySet());
            consumer.assign(all);
            int count = 0;
            final long deadline = System.currentTimeMillis() + 60_000;
            while (count < RECORDS)
            {
                assertTrue(System.currentTimeMillis() < deadline, "received only " + count + " records");
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    final List<String> got = received.computeIfAbsent(partition, p -> new ArrayList<>());
                    assertEquals(got.size(), record.offset(), "offsets in order, none skipped: " + partition);
                    got.add(record.value());
                    count++;
                }
            }
        }
        assertEquals(sent, received, "every record back, in its partition's order");
        assertEquals(List.of(), List.copyOf(errors), "no connection was closed for bad input");
    }

    @Test
    void shouldCreateGrowDescribeAndDeleteTopicsForKafkasAdminClientWithKafkasErrors() throws Exception
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props))
        {
            admin.createTopics(List.of(new NewTopic("created", 4, (short)1)
                .configs(Map.of("retention.ms", "3600000")))).all().get();
            assertEquals(4, logs.topic("created").partitionCount());
            assertEquals(3_600_000, logs.topic("created").config().retentionMs());
            admin.createTopics(List.of(new NewTopic("checked-only", 2, (short)1)),
                new CreateTopicsOptions().validateOnly(true)).all().get();
            assertFalse(logs.hasTopic("checked-only"), "validate-only creates nothing");

            assertCause(TopicExistsException.class, () -> admin.createTopics(List.of(new NewTopic("t", 1, (short)1)))
                .all().get());
            assertCause(InvalidTopicException.class, () -> admin.createTopics(List.of(new NewTopic("bad/name", 1,
                (short)1))).all().get());
            assertCause(InvalidPartitionsException.class, () -> admin.createTopics(List.of(new NewTopic("zero", 0,
                (short)1))).all().get());
            assertCause(InvalidReplicationFactorException.class, () -> admin.createTopics(List.of(
                new NewTopic("three", 1, (short)3))).all().get());
            assertCause(InvalidConfigurationException.class, () -> admin.createTopics(List.of(
                new NewTopic("odd", 1, (short)1).configs(Map.of("no.such.setting", "1")))).all().get());
            for (final String refused : List.of("bad/name", "zero", "three", "odd"))
            {
                assertFalse(logs.hasTopic(refused), refused + " was not created");
            }

            admin.createPartitions(Map.of("created", NewPartitions.increaseTo(6))).all().get();
            assertEquals(6, logs.topic("created").partitionCount());
            assertCause(InvalidPartitionsException.class,
                () -> admin.createPartitions(Map.of("created", NewPartitions.increaseTo(2))).all().get());
            assertCause(UnknownTopicOrPartitionException.class,
                () -> admin.createPartitions(Map.of("missing", NewPartitions.increaseTo(2))).all().get());
            assertEquals(6, logs.topic("created").partitionCount(), "never shrinks");

            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "created");
            final Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("3600000", config.get("retention.ms").value());
            assertEquals("delete", config.get("cleanup.policy").value());
            assertEquals(String.valueOf(logs.topic("created").config().segmentBytes()),
                config.get("segment.bytes").value());

            admin.createTopics(List.of(new NewTopic("doomed", 2, (short)1))).all().get();
            admin.deleteTopics(List.of("doomed")).all().get();
            assertFalse(logs.hasTopic("doomed"));
            assertCause(UnknownTopicOrPartitionException.class,
                () -> admin.deleteTopics(List.of("doomed")).all().get());
            assertTrue(admin.listTopics().names().get().containsAll(List.of("t", "created")));
            assertFalse(admin.listTopics().names().get().contains("doomed"));
        }
        try (KafkaProducer<String, String> producer = producer("all"))
        {
            assertEquals(0, producer.send(new ProducerRecord<>("created", 3, "k", "v")).get().offset());
        }
    }

    private static void assertCause(final Class<? extends Throwable> expected, final ThrowingCall call)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class, call::run);
        assertInstanceOf(expected, failed.getCause(), String.valueOf(failed.getCause()));
    }

    @FunctionalInterface
    private interface ThrowingCall
    {
        void run() throws Exception;
    }

    @Test
    void shouldAnswerAcksOneAndZeroAndRefuseAMissingTopicByName() throws Exception
    {
        try (KafkaProducer<String, String> producer = producer("1"))
        {
            assertEquals(0, producer.send(new ProducerRecord<>("t", 0, "k", "one")).get().offset());
        }
        try (KafkaProducer<String, String> producer = producer("0"))
        {
            producer.send(new ProducerRecord<>("t", 0, "k", "zero")).get();
            producer.flush();
        }
        final long deadline = System.currentTimeMillis() + 10_000;
        while (logs.topic("t").partition(0).logEndOffset() < 2)
        {
            assertTrue(System.currentTimeMillis() < deadline, "the acks=0 record was never stored");
            Thread.onSpinWait();
        }
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500");
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
        {
            final Exception missing = assertThrows(Exception.class,
                () -> producer.send(new ProducerRecord<>("no-such-topic", "k", "v")).get());
            assertTrue(String.valueOf(missing.getMessage()).contains("no-such-topic"), missing.toString());
        }
    }
}
