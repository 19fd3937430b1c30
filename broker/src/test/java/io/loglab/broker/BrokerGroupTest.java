package io.loglab.broker;

import io.loglab.broker.group.GroupConfig;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Consumer groups with Kafka's own Java client, in both group protocols (classic, and the consumer protocol of
 * KIP-848 with {@code group.protocol=consumer}): rebalances as members join and leave, with each assignor the client
 * can choose (client-side in the classic protocol, server-side in the other), static membership, committed offsets
 * that survive a broker restart, and the admin view of groups.
 */
@Timeout(180)
class BrokerGroupTest
{
    private static final int PARTITIONS = 6;
    private static final String TOPIC = "orders";
    private static final String CLASSIC = "classic";
    private static final String CONSUMER = "consumer";

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
        logs.createTopic(TOPIC, PARTITIONS, new LogConfig());
        startBroker(0);
    }

    /**
     * @param port 0 for any free one.
     */
    private void startBroker(final int port) throws Exception
    {
        // The consumer protocol's session and heartbeat are the broker's to set: short, so tests move quickly.
        broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", port), errors::add,
            new GroupConfig().initialRebalanceDelayMs(0).consumerHeartbeatIntervalMs(200)
                .consumerSessionTimeoutMs(10_000).conclude());
        bootstrap = "127.0.0.1:" + broker.address().getPort();
    }

    @AfterEach
    void stop()
    {
        broker.close();
        logs.close();
    }

    private void produce(final int from, final int to) throws Exception
    {
        produce(TOPIC, from, to);
    }

    private void produce(final String topic, final int from, final int to) throws Exception
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
        {
            for (int i = from; i < to; i++)
            {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private Properties consumerProps(final String group)
    {
        return consumerProps(group, CLASSIC);
    }

    /**
     * @param protocol {@link #CLASSIC} or {@link #CONSUMER}: the client's {@code group.protocol}.
     */
    private Properties consumerProps(final String group, final String protocol)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals(CLASSIC))
        {
            // The consumer protocol refuses these: there the broker sets them.
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "200");
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        }
        return props;
    }

    /**
     * A member that processes each record once (noting which member got it) and commits synchronously after every
     * poll, and before giving up partitions in a rebalance: so no record is processed twice, and none is skipped.
     */
    private final class Member implements Runnable
    {
        private final String name;
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, String> processedBy;
        private final Queue<String> duplicates;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        private final AtomicInteger assignments = new AtomicInteger();
        private final AtomicInteger records = new AtomicInteger();
        private final Thread thread;
        private volatile int generation = -1;

        Member(final String name, final Properties props, final Map<String, String> processedBy,
            final Queue<String> duplicates)
        {
            this.name = name;
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            this.processedBy = processedBy;
            this.duplicates = duplicates;
            this.thread = new Thread(this, name);
            thread.start();
        }

        @Override
        public void run()
        {
            try
            {
                consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener()
                {
                    @Override
                    public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                    {
                        // What was processed is committed before another member can be given it.
                        consumer.commitSync();
                        assigned.removeAll(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                    {
                        assigned.addAll(partitions);
                        assignments.incrementAndGet();
                    }
                });
                while (running.get())
                {
                    for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50)))
                    {
                        final String previous = processedBy.putIfAbsent(record.value(), name);
                        if (previous != null)
                        {
                            duplicates.add(record.value() + " to " + name + " after " + previous);
                        }
                        records.incrementAndGet();
                    }
                    try
                    {
                        consumer.commitSync();
                    }
                    catch (final RebalanceInProgressException ex)
                    {
                        // The next poll completes the rebalance; partitions it takes away are committed on revoke.
                    }
                    generation = consumer.groupMetadata().generationId();
                }
            }
            catch (final RuntimeException ex)
            {
                errors.add(ex);
            }
            finally
            {
                consumer.close();
            }
        }

        void stop() throws InterruptedException
        {
            running.set(false);
            thread.join();
        }
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * @param assignor a classic client-side assignor's class, or {@code consumer/} and a server-side assignor's name.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "org.apache.kafka.clients.consumer.RangeAssignor",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        "consumer/uniform",
        "consumer/range"})
    void shouldRebalanceThreeMembersOnSixPartitionsWithNoRecordLostOrGivenToTwoMembers(final String assignor)
        throws Exception
    {
        final Map<String, String> processedBy = new ConcurrentHashMap<>();
        final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        final Properties props;
        if (assignor.startsWith(CONSUMER + "/"))
        {
            props = consumerProps("rebalancing", CONSUMER);
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor.substring(CONSUMER.length() + 1));
        }
        else
        {
            props = consumerProps("rebalancing");
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        }
        final Member a = new Member("a", props, processedBy, duplicates);
        final Member b = new Member("b", props, processedBy, duplicates);
        final List<Member> members = new ArrayList<>(List.of(a, b));
        try
        {
            produce(0, 300);
            await("300 records to two members", () -> processedBy.size() == 300);
            await("a and b to share the six partitions",
                () -> a.assigned.size() + b.assigned.size() == PARTITIONS && !a.assigned.isEmpty());

            final Member c = new Member("c", props, processedBy, duplicates);
            members.add(c);
            await("c to be given partitions",
                () -> !c.assigned.isEmpty() && a.assigned.size() + b.assigned.size() + c.assigned.size() == PARTITIONS);
            produce(300, 600);
            await("600 records", () -> processedBy.size() == 600);
            assertTrue(c.records.get() > 0, "the member that joined got records");

            a.stop();
            members.remove(a);
            await("b and c to take a's partitions", () -> b.assigned.size() + c.assigned.size() == PARTITIONS);
            final int aHad = a.records.get();
            produce(600, 900);
            await("900 records", () -> processedBy.size() == 900);
            assertEquals(aHad, a.records.get(), "a left before the last 300");
        }
        finally
        {
            for (final Member member : members)
            {
                member.stop();
            }
        }
        assertEquals(List.of(), List.copyOf(duplicates), "records given to two members");
        for (int i = 0; i < 900; i++)
        {
            assertTrue(processedBy.containsKey("value-" + i), "value-" + i + " was never processed");
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    @ParameterizedTest
    @ValueSource(strings = {CLASSIC, CONSUMER})
    void shouldLetAStaticMemberRestartWithinItsSessionWithoutARebalance(final String protocol) throws Exception
    {
        final Map<String, String> processedBy = new ConcurrentHashMap<>();
        final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        final Properties first = consumerProps("static", protocol);
        first.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-1");
        final Properties second = consumerProps("static", protocol);
        second.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-2");
        final Member one = new Member("one", first, processedBy, duplicates);
        final Member two = new Member("two", second, processedBy, duplicates);
        Member restarted = null;
        try
        {
            produce(0, 100);
            await("both static members to share the partitions and see their generation",
                () -> one.assigned.size() == 3 && two.assigned.size() == 3 && one.generation > 0 &&
                one.generation == two.generation);
            final int generation = two.generation;
            final Set<TopicPartition> oneHad = new HashSet<>(one.assigned);
            final int twoAssignments = two.assignments.get();

            // A static member does not leave for good on close (no LeaveGroup; or epoch -2 in the consumer
            // protocol): its instance id is rejoined by the restarted member.
            one.stop();
            restarted = new Member("one-restarted", first, processedBy, duplicates);
            final Member rejoined = restarted;
            await("the restarted member to take its old partitions", () -> rejoined.assigned.equals(oneHad));
            await("the restarted member to know its generation", () -> rejoined.generation > 0);
            produce(100, 200);
            await("200 records", () -> processedBy.size() == 200);

            assertEquals(generation, rejoined.generation, "no rebalance: the generation stands");
            assertEquals(generation, two.generation);
            assertEquals(twoAssignments, two.assignments.get(), "the other member was not reassigned");
        }
        finally
        {
            two.stop();
            if (restarted != null)
            {
                restarted.stop();
            }
        }
        assertEquals(List.of(), List.copyOf(duplicates));
        assertEquals(List.of(), List.copyOf(errors));
    }

    /**
     * A member in another JVM, SIGKILLed: it sends no LeaveGroup, so its partitions move to the other member when
     * its session expires, and the other member goes on from what the dead one committed.
     */
    @Test
    void shouldGiveAKilledMembersPartitionsToTheOthersWhenItsSessionExpires() throws Exception
    {
        produce(0, 300);
        final int sessionTimeoutMs = 6_000;
        final Path out = dir.resolve("child.out");
        final Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "-cp", System.getProperty("java.class.path"), GroupMemberChild.class.getName(),
            bootstrap, "killed", TOPIC, "" + sessionTimeoutMs))
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final Map<String, String> processedBy = new ConcurrentHashMap<>();
        final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        Member survivor = null;
        try
        {
            await("the child to hold partitions and commit", () -> childLines(out).contains("committed"));
            survivor = new Member("survivor", consumerProps("killed"), processedBy, duplicates);
            final Member other = survivor;
            await("the two members to share the partitions",
                () -> !other.assigned.isEmpty() && other.assigned.size() < PARTITIONS);

            child.destroyForcibly().waitFor();
            final long killedNs = System.nanoTime();
            await("the survivor to take every partition", () -> other.assigned.size() == PARTITIONS);
            final long movedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
            assertTrue(movedMs >= sessionTimeoutMs - 1_000,
                "the partitions moved only once the session expired, after " + movedMs + " ms");

            produce(300, 400);
            // What the child processed, and of that what it had committed when it died (a poll whose commit it
            // never saw acknowledged may be processed again: at least once, as Kafka promises).
            final Set<String> processedByChild = new HashSet<>();
            final Set<String> committedByChild = new HashSet<>();
            final List<String> sinceCommit = new ArrayList<>();
            for (final String line : childLines(out))
            {
                if (line.startsWith("processed "))
                {
                    processedByChild.add(line.substring("processed ".length()));
                    sinceCommit.add(line.substring("processed ".length()));
                }
                else if (line.equals("committed"))
                {
                    committedByChild.addAll(sinceCommit);
                    sinceCommit.clear();
                }
            }
            await("every record processed by one of the two", () ->
            {
                for (int i = 0; i < 400; i++)
                {
                    if (!processedByChild.contains("value-" + i) && !processedBy.containsKey("value-" + i))
                    {
                        return false;
                    }
                }
                return true;
            });
            for (final String value : processedBy.keySet())
            {
                assertFalse(committedByChild.contains(value), value + " was committed by the child, then again");
            }
        }
        finally
        {
            child.destroyForcibly();
            if (survivor != null)
            {
                survivor.stop();
            }
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    private static List<Path> partitionDirs(final Path topicDir) throws java.io.IOException
    {
        try (var entries = java.nio.file.Files.list(topicDir))
        {
            return entries.filter(java.nio.file.Files::isDirectory).sorted().toList();
        }
    }

    private static List<String> childLines(final Path out)
    {
        try
        {
            return java.nio.file.Files.readAllLines(out);
        }
        catch (final java.io.IOException ex)
        {
            return List.of();
        }
    }

    /**
     * A subscription by regular expression that the broker resolves (the consumer protocol's, RE2 syntax): topics
     * made after the member joined are assigned to it too, and topics the pattern does not match are not.
     */
    @Test
    void shouldAssignEveryTopicABrokerSideRegularExpressionMatchesIncludingNewOnes() throws Exception
    {
        logs.createTopic("orders-eu", 2, new LogConfig());
        logs.createTopic("payments", 2, new LogConfig());
        produce("orders-eu", 0, 10);
        produce("payments", 0, 10);
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps("pattern", CONSUMER),
            new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(new org.apache.kafka.clients.consumer.SubscriptionPattern("orders-.*"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean madeLater = false;
            while (seen.size() < 40 && System.nanoTime() - deadline < 0)
            {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> seen.add(record.topic() + "/" + record.value()));
                if (!madeLater && seen.size() == 10)
                {
                    // Made while the member is in the group: the next epoch gives it this one as well.
                    logs.createTopic("orders-us", 1, new LogConfig());
                    produce("orders-us", 0, 30);
                    madeLater = true;
                }
            }
            assertEquals(Set.of("orders-eu", "orders-us"), consumer.assignment().stream().map(TopicPartition::topic)
                .collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(40, seen.size(), "every record of the matching topics, once: " + seen);
        assertTrue(seen.stream().noneMatch(value -> value.startsWith("payments/")), "payments does not match");
        assertEquals(List.of(), List.copyOf(errors));
    }

    @ParameterizedTest
    @ValueSource(strings = {CLASSIC, CONSUMER})
    void shouldResumeFromTheCommittedOffsetAfterTheBrokerRestarts(final String protocol) throws Exception
    {
        produce(0, 200);
        final Properties props = consumerProps("resuming", protocol);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        final Map<TopicPartition, OffsetAndMetadata> committed;
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(List.of(TOPIC));
            int seen = 0;
            while (seen < 50)
            {
                seen += consumer.poll(Duration.ofMillis(100)).count();
            }
            consumer.commitSync();
            committed = consumer.committed(new HashSet<>(consumer.assignment()));
        }
        final Map<TopicPartition, OffsetAndMetadata> stored = offsets("resuming");
        assertEquals(stored(committed), stored);

        final int port = broker.address().getPort();
        broker.close();
        logs.close();
        final List<Path> offsetsPartitions = partitionDirs(dir.resolve("__consumer_offsets"));
        logs = LogManager.open(new LogManagerContext().dataDir(dir));
        // The same port: the consumer's settings name it.
        startBroker(port);
        assertEquals(offsetsPartitions, partitionDirs(dir.resolve("__consumer_offsets")),
            "replaying the offsets opened only the partitions that hold commits");

        assertEquals(stored, offsets("resuming"), "the committed offsets were recovered from the offsets topic");
        final Set<String> values = new HashSet<>();
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(List.of(TOPIC));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long total = stored.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            while (total + values.size() < 200 && System.nanoTime() - deadline < 0)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                {
                    final OffsetAndMetadata from = stored.get(new TopicPartition(record.topic(), record.partition()));
                    assertTrue(from == null || record.offset() >= from.offset(),
                        record + " is before the committed " + from);
                    assertTrue(values.add(record.value()), record.value() + " twice");
                }
            }
        }
        final long before = stored.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertEquals(200 - before, values.size(), "the rest of the records, from the committed offsets on");
        assertEquals(List.of(), List.copyOf(errors));
    }

    /**
     * An offset committed outside any generation (as an admin tool commits) that retention then passes: the group's
     * consumer is told it is out of range, and applies auto.offset.reset as it would against Kafka.
     */
    @Test
    void shouldReportACommittedOffsetThatRetentionPassedAsOutOfRange() throws Exception
    {
        logs.createTopic("retained", 1, new LogConfig().segmentBytes(1024).retentionBytes(2048));
        final TopicPartition partition = new TopicPartition("retained", 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.alterConsumerGroupOffsets("late", Map.of(partition, new OffsetAndMetadata(1))).all().get();
        }
        // One batch per record, so the records fill many segments (retention never deletes the active one).
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < 300; i++)
            {
                producer.send(new ProducerRecord<>("retained", "key-" + i, "value-" + i)).get();
            }
        }
        final var log = logs.topic("retained").partition(0);
        await("retention to pass the committed offset", () -> log.logStartOffset() > 1);

        final Properties none = consumerProps("late");
        none.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(none, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.assign(List.of(partition));
            assertThrows(OffsetOutOfRangeException.class, () ->
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() - deadline < 0)
                {
                    consumer.poll(Duration.ofMillis(100));
                }
            });
        }
        final long startBefore = log.logStartOffset();
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(consumerProps("late"), new StringDeserializer(), new StringDeserializer()))
        {
            consumer.assign(List.of(partition));
            long first = -1;
            while (first < 0)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                {
                    first = first < 0 ? record.offset() : first;
                }
            }
            assertTrue(first >= startBefore && first <= log.logStartOffset(),
                "earliest is a log start offset (" + startBefore + " then " + log.logStartOffset() +
                "), not the committed 1: " + first);
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    private static Map<TopicPartition, OffsetAndMetadata> stored(final Map<TopicPartition, OffsetAndMetadata> all)
    {
        final Map<TopicPartition, OffsetAndMetadata> present = new java.util.HashMap<>(all);
        present.values().removeIf(java.util.Objects::isNull);
        return present;
    }

    private Map<TopicPartition, OffsetAndMetadata> offsets(final String group) throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CLASSIC, CONSUMER})
    void shouldListDescribeAndDeleteGroupsAsKafkaToolsSeeThem(final String protocol) throws Exception
    {
        produce(0, 60);
        final Map<String, String> processedBy = new ConcurrentHashMap<>();
        final Member member = new Member("described", consumerProps("admin", protocol), processedBy,
            new ConcurrentLinkedQueue<>());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            try
            {
                await("the member to process every record", () -> processedBy.size() == 60);
                await("the member to be given every partition", () -> member.assigned.size() == PARTITIONS);
                final Collection<GroupListing> listed = admin.listGroups().all().get();
                assertEquals(List.of("admin"), listed.stream().map(GroupListing::groupId).toList());
                assertEquals(GroupType.parse(protocol), listed.iterator().next().type().orElseThrow());
                final ConsumerGroupDescription described =
                    admin.describeConsumerGroups(List.of("admin")).all().get().get("admin");
                assertEquals(GroupState.STABLE, described.groupState());
                assertEquals(1, described.members().size());
                assertEquals(PARTITIONS, described.members().iterator().next().assignment().topicPartitions().size());
                final ExecutionException notEmpty = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of("admin")).all().get());
                assertInstanceOf(GroupNotEmptyException.class, notEmpty.getCause());
            }
            finally
            {
                member.stop();
            }
            // A dynamic member leaves on close: the group is empty, with its offsets.
            assertEquals(GroupState.EMPTY,
                admin.describeConsumerGroups(List.of("admin")).all().get().get("admin").groupState());
            assertEquals(PARTITIONS, admin.listConsumerGroupOffsets("admin").partitionsToOffsetAndMetadata().get()
                .size());
            admin.deleteConsumerGroups(List.of("admin")).all().get();
            assertEquals(Map.of(), admin.listConsumerGroupOffsets("admin").partitionsToOffsetAndMetadata().get());
            assertEquals(List.of(), admin.listGroups().all().get().stream().map(GroupListing::groupId).toList());
        }
        assertEquals(List.of(), List.copyOf(errors));
    }
}
