package io.loglab.broker;

import io.loglab.broker.group.GroupConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same requests, good and bad, against loglab and a real Apache Kafka 4.4, answers compared one by one (error
 * codes, offsets). Runs when {@value #PEER_ENV} names a running Kafka ({@code scripts/peer-kafka.sh start}; CI starts
 * one and sets it), and is skipped otherwise.
 */
@Timeout(120)
class DifferentialKafkaTest
{
    static final String PEER_ENV = "LOGLAB_PEER_KAFKA";

    @TempDir
    Path dir;

    @Test
    void shouldAnswerTheSameScenarioAsKafkaDoes() throws Exception
    {
        compare(DifferentialKafkaTest::scenario, "diff-" + System.nanoTime());
    }

    @Test
    void shouldAnswerTheSameGroupScenarioAsKafkaDoes() throws Exception
    {
        compare(GroupScenario::run, "diff-groups-" + System.nanoTime());
    }

    @Test
    void shouldAnswerTheSameConsumerProtocolGroupScenarioAsKafkaDoes() throws Exception
    {
        compare(ConsumerGroupScenario::run, "diff-consumer-groups-" + System.nanoTime());
    }

    /** A scenario: its steps run through {@code client}, each answer a line. */
    @FunctionalInterface
    private interface Scenario
    {
        List<String> run(RawKafkaClient client, String topic) throws Exception;
    }

    /**
     * Run the scenario against the peer Kafka, then against a fresh loglab broker, and compare the lines.
     */
    private void compare(final Scenario scenario, final String topic) throws Exception
    {
        final String peer = System.getenv(PEER_ENV);
        assumeTrue(peer != null, PEER_ENV + " is not set: no Kafka to compare with");
        final String[] hostPort = peer.split(":");
        final List<String> fromKafka;
        try (RawKafkaClient kafka = new RawKafkaClient(
            new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))))
        {
            fromKafka = scenario.run(kafka, topic);
        }
        final List<String> fromLoglab;
        final List<Throwable> brokerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir));
            // The peer runs with Kafka's test setting: no initial rebalance delay.
            Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), brokerErrors::add,
                new GroupConfig().initialRebalanceDelayMs(0).conclude());
            RawKafkaClient loglab = new RawKafkaClient(broker.address()))
        {
            fromLoglab = scenario.run(loglab, topic);
        }
        assertEquals(fromKafka, fromLoglab);
        assertEquals(List.of(), brokerErrors, "the scenario closes no connection");
    }

    /**
     * Each step's answer as a line: what was asked, and the error and offset that came back.
     */
    private static List<String> scenario(final RawKafkaClient client, final String topic) throws Exception
    {
        final List<String> answers = new ArrayList<>();
        final ApiVersionsResponseData versions = new ApiVersionsResponseData(new ByteBufferAccessor(
            client.call(ApiKeys.API_VERSIONS, (short)3, new ApiVersionsRequestData()
                .setClientSoftwareName("diff").setClientSoftwareVersion("1"))), (short)3);
        answers.add("api versions: " + Errors.forCode(versions.errorCode()));

        answers.add("produce to a missing topic: " + produce(client, topic, batch(), (short)1));
        answers.add("create: " + create(client, topic, 1, (short)1));
        answers.add("create again: " + create(client, topic, 1, (short)1));
        answers.add("create a bad name: " + create(client, "bad/name", 1, (short)1));
        answers.add("create with no partitions: " + create(client, topic + "-zero", 0, (short)1));
        answers.add("create with a replication factor the cluster cannot have: " +
            create(client, topic + "-rf", 1, (short)5));

        String first = produce(client, topic, batch(), (short)1);
        final long deadline = System.currentTimeMillis() + 20_000;
        while (!first.startsWith("NONE") && System.currentTimeMillis() < deadline)
        {
            // Kafka's new partition takes a moment to get its leader.
            Thread.onSpinWait();
            first = produce(client, topic, batch(), (short)1);
        }
        answers.add("produce: " + first);
        final ByteBuffer corrupt = batch();
        corrupt.put(corrupt.limit() - 1, (byte)(corrupt.get(corrupt.limit() - 1) ^ 0x55));
        answers.add("produce a corrupt batch: " + produce(client, topic, corrupt, (short)1));
        final ByteBuffer two = ByteBuffer.allocate(batch().remaining() * 2).put(batch()).put(batch()).flip();
        answers.add("produce two batches in one partition: " + produce(client, topic, two, (short)1));
        answers.add("produce with acks=2: " + produce(client, topic, batch(), (short)2));

        InitProducerIdResponseData ids = initProducerId(client);
        while (Errors.forCode(ids.errorCode()).exception() instanceof RetriableException &&
            System.currentTimeMillis() < deadline)
        {
            // A fresh Kafka loads its producer-id state first.
            Thread.onSpinWait();
            ids = initProducerId(client);
        }
        answers.add("init producer id: " + Errors.forCode(ids.errorCode()) + " epoch " + ids.producerEpoch());
        final ByteBuffer idempotent = MemoryRecords.withIdempotentRecords(Compression.NONE, ids.producerId(),
            ids.producerEpoch(), 0, record("i")).buffer();
        answers.add("idempotent batch: " + produce(client, topic, idempotent.duplicate(), (short)-1));
        answers.add("its retry: " + produce(client, topic, idempotent.duplicate(), (short)-1));
        answers.add("a sequence gap: " + produce(client, topic, MemoryRecords.withIdempotentRecords(Compression.NONE,
            ids.producerId(), ids.producerEpoch(), 7, record("gap")).buffer(), (short)-1));
        answers.add("the next sequence: " + produce(client, topic, MemoryRecords.withIdempotentRecords(
            Compression.NONE, ids.producerId(), ids.producerEpoch(), 1, record("next")).buffer(), (short)-1));
        answers.add("grow to 3 partitions: " + grow(client, topic, 3));
        answers.add("shrink to 2: " + grow(client, topic, 2));
        answers.add("stay at 3: " + grow(client, topic, 3));
        answers.add("grow a missing topic: " + grow(client, topic + "-missing", 2));
        return answers;
    }

    private static String grow(final RawKafkaClient client, final String topic, final int count) throws IOException
    {
        final CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(10_000);
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(topic).setCount(count)
            .setAssignments(null));
        final CreatePartitionsResponseData answer = new CreatePartitionsResponseData(
            new ByteBufferAccessor(client.call(ApiKeys.CREATE_PARTITIONS, (short)3, request)), (short)3);
        return Errors.forCode(answer.results().get(0).errorCode()).name();
    }

    private static InitProducerIdResponseData initProducerId(final RawKafkaClient client) throws IOException
    {
        return new InitProducerIdResponseData(new ByteBufferAccessor(
            client.call(ApiKeys.INIT_PRODUCER_ID, (short)4, new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(-1).setProducerId(-1).setProducerEpoch((short)-1))), (short)4);
    }

    private static SimpleRecord record(final String value)
    {
        return new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer batch()
    {
        return MemoryRecords.withRecords(Compression.NONE, record("v")).buffer();
    }

    private static String create(final RawKafkaClient client, final String name, final int partitions,
        final short replicationFactor) throws IOException
    {
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
            .setReplicationFactor(replicationFactor));
        final CreateTopicsResponseData answer = new CreateTopicsResponseData(
            new ByteBufferAccessor(client.call(ApiKeys.CREATE_TOPICS, (short)7, request)), (short)7);
        return Errors.forCode(answer.topics().iterator().next().errorCode()).name();
    }

    private static String produce(final RawKafkaClient client, final String topic, final ByteBuffer batch,
        final short acks) throws IOException
    {
        final ProduceResponseData.PartitionProduceResponse partition = client.produce(topic, batch, acks);
        final Errors error = Errors.forCode(partition.errorCode());
        return error == Errors.NONE ? "NONE at " + partition.baseOffset() : error.name();
    }
}
