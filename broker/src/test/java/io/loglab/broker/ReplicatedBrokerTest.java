package io.loglab.broker;

import io.loglab.broker.cluster.EmbeddedBrokers;
import io.loglab.engine.TestBatches;
import io.loglab.replication.cluster.ClusterContext;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.replication.cluster.LocalController;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kafka's own Java clients against three loglab brokers, each on a node of an embedded replicated cluster: a topic
 * made with Kafka's Admin is spread over the three with the in-sync set and leader Metadata gives; a follower refuses
 * a produce with NOT_LEADER_OR_FOLLOWER; an idempotent acks=all producer goes on through the loss of the leader by
 * itself and every record it was told is stored is read back once, at the offset it was told; with too few in sync,
 * acks=all is refused before anything is written.
 */
class ReplicatedBrokerTest
{
    private static final String TOPIC = "events";
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private EmbeddedBrokers brokers;
    private Admin admin;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(admin, brokers);
        assertEquals(List.of(), errors, "no node, broker or controller reported an error");
    }

    private void onError(final Throwable failure)
    {
        failure.printStackTrace();
        errors.add(failure);
    }

    private void start() throws Exception
    {
        brokers = new EmbeddedBrokers(new ClusterContext().dir(dir)
            .controller(new LocalController(new ControllerConfig(1_000), SystemEpochClock.INSTANCE, this::onError))
            .replicaConfig(new ReplicaConfig(CommitRule.ISR, 1, 2_000, 256 * 1024, 50, 300))
            .errorHandler(this::onError));
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        admin = Admin.create(props);
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short)3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
    }

    private TopicPartitionInfo describe() throws Exception
    {
        final TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions().get(0);
    }

    /**
     * Wait until Metadata says the partition is led by a node other than {@code not}, with {@code isr} in sync.
     */
    private TopicPartitionInfo awaitLeader(final int not, final int isr) throws Exception
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (true)
        {
            final TopicPartitionInfo info = describe();
            if (info.leader() != null && info.leader().id() != not && info.isr().size() == isr)
            {
                return info;
            }
            assertTrue(System.currentTimeMillis() < deadline, "no leader but " + not + " with " + isr +
                " in sync: " + info);
            Thread.sleep(20);
        }
    }

    /**
     * Metadata for every topic, asked of one broker ({@code host:port}) alone.
     */
    private static MetadataResponseData metadata(final String server) throws Exception
    {
        final int colon = server.lastIndexOf(':');
        try (RawKafkaClient raw = new RawKafkaClient(new InetSocketAddress(server.substring(0, colon),
            Integer.parseInt(server.substring(colon + 1)))))
        {
            return raw.exchange(ApiKeys.METADATA, (short)12, new MetadataRequestData().setTopics(null));
        }
    }

    private KafkaProducer<String, String> producer()
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Test
    void shouldServeKafkasClientsAsAClusterAndCarryAnIdempotentProducerThroughTheLeadersLoss() throws Exception
    {
        start();
        final TopicPartitionInfo placed = awaitLeader(-1, 3);
        assertEquals(3, placed.replicas().size(), "three replicas: " + placed);
        final int leader = placed.leader().id();
        assertEquals(3, admin.describeCluster().nodes().get().size());

        final int follower = placed.replicas().stream().mapToInt(Node::id).filter(id -> id != leader).findFirst()
            .orElseThrow();
        final Node followerNode = placed.replicas().stream().filter(node -> node.id() == follower).findFirst()
            .orElseThrow();
        try (RawKafkaClient raw = new RawKafkaClient(new InetSocketAddress(followerNode.host(), followerNode.port())))
        {
            final ProduceResponseData.PartitionProduceResponse refused =
                raw.produce(TOPIC, TestBatches.batch(3, 1_000), (short)-1);
            assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), refused.errorCode(), refused.errorMessage());
        }

        final Map<String, Long> acked = new ConcurrentHashMap<>();
        final List<Future<?>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer())
        {
            for (int i = 0; i < 3_000; i++)
            {
                final String value = "v" + i;
                sends.add(producer.send(new ProducerRecord<>(TOPIC, value), (metadata, failure) ->
                {
                    if (failure == null)
                    {
                        acked.put(value, metadata.offset());
                    }
                }));
                if (i == 1_000)
                {
                    producer.flush();
                    brokers.stop(leader);
                }
            }
            producer.flush();
        }
        for (final Future<?> send : sends)
        {
            send.get();
        }
        assertEquals(3_000, acked.size(), "every send acknowledged, across the failover");
        final TopicPartitionInfo failedOver = awaitLeader(leader, 2);
        assertNotEquals(leader, failedOver.leader().id());

        brokers.start(leader);
        awaitLeader(-1, 3);
        assertEquals(acked, readAll(acked.size()), "each acknowledged record read once, at its acknowledged offset");
    }

    private Map<String, Long> readAll(final int expected)
    {
        final Map<String, Long> read = new ConcurrentHashMap<>();
        final List<String> duplicates = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(null))
        {
            final TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (read.size() + duplicates.size() < expected && System.currentTimeMillis() < deadline)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                {
                    if (read.put(record.value(), record.offset()) != null)
                    {
                        duplicates.add(record.value());
                    }
                }
            }
        }
        assertEquals(List.of(), duplicates, "no record stored twice");
        return read;
    }

    @Test
    void shouldKeepAGroupsCommittedOffsetsWhenItsCoordinatorIsLost() throws Exception
    {
        start();
        awaitLeader(-1, 3);
        try (KafkaProducer<String, String> producer = producer())
        {
            for (int i = 0; i < 10; i++)
            {
                producer.send(new ProducerRecord<>(TOPIC, "v" + i)).get();
            }
        }
        final TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = consumer("g"))
        {
            consumer.subscribe(List.of(TOPIC));
            int read = 0;
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (read < 10 && System.currentTimeMillis() < deadline)
            {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            assertEquals(10, read);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(7)));
        }
        final int coordinator = admin.describeConsumerGroups(List.of("g")).all().get().get("g").coordinator().id();
        brokers.stop(coordinator);
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        int moved = coordinator;
        while (moved == coordinator)
        {
            assertTrue(System.currentTimeMillis() < deadline, "the coordinator did not move from " + coordinator);
            try
            {
                moved = admin.describeConsumerGroups(List.of("g"),
                    new DescribeConsumerGroupsOptions().timeoutMs(2_000)).all().get().get("g").coordinator().id();
            }
            catch (final ExecutionException notYet)
            {
                // No coordinator while the offsets topic's partition has no leader; or the old one, gone, timed out.
            }
            Thread.sleep(50);
        }
        try (KafkaConsumer<String, String> consumer = consumer("g"))
        {
            assertEquals(7, consumer.committed(java.util.Set.of(partition)).get(partition).offset(),
                "the commit moved with the offsets topic's leadership, to node " + moved);
        }
    }

    /**
     * A consumer of every broker, committing nothing by itself; of group {@code groupId}, or none if null.
     */
    private KafkaConsumer<String, String> consumer(final String groupId)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        if (groupId != null)
        {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void shouldCommitATopicByTheRuleItWasMadeWith() throws Exception
    {
        start();
        admin.createTopics(List.of(new NewTopic("quorum", 1, (short)3).configs(Map.of("commit.rule", "majority",
            "flush.policy", "every", "min.insync.replicas", "2")))).all().get();
        for (int node = 1; node <= 3; node++)
        {
            assertEquals(CommitRule.MAJORITY, brokers.cluster().node(node).replicas().metadata().topic("quorum")
                .settings().commitRule(), "node " + node + " heard the topic's rule");
        }
        try (KafkaProducer<String, String> producer = producer())
        {
            assertEquals(0, producer.send(new ProducerRecord<>("quorum", "x")).get().offset(),
                "committed by a majority's storage");
        }
        final ExecutionException unsynced = assertThrows(ExecutionException.class, () -> admin.createTopics(List.of(
            new NewTopic("loose", 1, (short)3).configs(Map.of("commit.rule", "majority")))).all().get());
        assertTrue(unsynced.getCause().getMessage().contains("needs flush.policy=every or interval"),
            unsynced.getCause().getMessage());
        final ExecutionException unknown = assertThrows(ExecutionException.class, () -> admin.createTopics(List.of(
            new NewTopic("odd", 1, (short)3).configs(Map.of("commit.rule", "raft")))).all().get());
        assertTrue(unknown.getCause().getMessage().contains("commit.rule=raft is not valid"),
            unknown.getCause().getMessage());
    }

    @Test
    void shouldDeleteATopicOnEveryNodeThroughTheControllerAndMakeItAgain() throws Exception
    {
        start();
        try (KafkaProducer<String, String> producer = producer())
        {
            assertEquals(0, producer.send(new ProducerRecord<>(TOPIC, "before")).get().offset());
        }
        admin.deleteTopics(List.of(TOPIC)).all().get();
        final ExecutionException unknown = assertThrows(ExecutionException.class,
            () -> admin.deleteTopics(List.of(TOPIC)).all().get());
        assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause());
        for (int id = 1; id <= 3; id++)
        {
            final EmbeddedCluster.Node node = brokers.cluster().node(id);
            TestBatches.await(() -> !node.logs().hasTopic(TOPIC), TIMEOUT_MS,
                () -> "node " + node.id() + " deletes its logs of the topic");
        }
        for (final String server : brokers.bootstrapServers().split(","))
        {
            assertNull(metadata(server).topics().find(TOPIC), server + " names the deleted topic no more");
        }
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short)3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get();
        try (KafkaProducer<String, String> producer = producer())
        {
            assertEquals(0, producer.send(new ProducerRecord<>(TOPIC, "after")).get().offset(),
                "the topic made again starts empty");
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldNameEveryPartitionsLeaderFromEveryBrokerWhateverItHolds() throws Exception
    {
        start();
        admin.createTopics(List.of(new NewTopic("spread", 3, (short)1))).all().get();
        for (final String server : brokers.bootstrapServers().split(","))
        {
            final MetadataResponseData metadata = metadata(server);
            assertEquals(3, metadata.brokers().size(), server);
            final MetadataResponseData.MetadataResponseTopic spread = metadata.topics().find("spread");
            assertNotNull(spread, server + " names the topic");
            final List<Integer> leaders = spread.partitions().stream()
                .map(MetadataResponseData.MetadataResponsePartition::leaderId).sorted().toList();
            assertEquals(List.of(1, 2, 3), leaders, server + ": each partition on one node, each led");
        }
        try (KafkaProducer<String, String> producer = producer())
        {
            for (int p = 0; p < 3; p++)
            {
                assertEquals(0, producer.send(new ProducerRecord<>("spread", p, null, "x")).get().offset());
            }
        }
    }

    @Test
    void shouldRefuseAcksAllBeforeWritingWhenTooFewAreInSync() throws Exception
    {
        start();
        final TopicPartitionInfo placed = awaitLeader(-1, 3);
        final int leader = placed.leader().id();
        final List<Integer> followers = placed.replicas().stream().map(Node::id).filter(id -> id != leader).toList();
        brokers.stop(followers.get(0));
        brokers.stop(followers.get(1));
        awaitLeader(-1, 1);
        final EmbeddedCluster.Node node = brokers.cluster().node(leader);
        final long logEnd = node.partition(TOPIC, 0).logEndOffset();
        try (RawKafkaClient raw = new RawKafkaClient(new InetSocketAddress(placed.leader().host(),
            placed.leader().port())))
        {
            final ProduceResponseData.PartitionProduceResponse refused =
                raw.produce(TOPIC, TestBatches.batch(3, 1_000), (short)-1);
            assertEquals(Errors.NOT_ENOUGH_REPLICAS.code(), refused.errorCode(), refused.errorMessage());
            assertEquals(logEnd, node.partition(TOPIC, 0).logEndOffset(), "nothing written");
            final ProduceResponseData.PartitionProduceResponse leaderOnly =
                raw.produce(TOPIC, TestBatches.batch(3, 1_000), (short)1);
            assertEquals(Errors.NONE.code(), leaderOnly.errorCode(), leaderOnly.errorMessage());
            assertEquals(logEnd, leaderOnly.baseOffset(), "acks=1 is the leader's write alone");
        }
        final ExecutionException tooMany = assertThrows(ExecutionException.class, () -> admin.createTopics(
            List.of(new NewTopic("wide", 1, (short)4))).all().get());
        assertInstanceOf(InvalidReplicationFactorException.class, tooMany.getCause());
    }
}
