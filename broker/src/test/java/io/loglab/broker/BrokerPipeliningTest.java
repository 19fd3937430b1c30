package io.loglab.broker;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pipelined requests on one connection, sent in one write as a client with several in flight sends them: an
 * idempotent producer's batches are stored in order, each answered with its own offset, and a request that is not a
 * produce sees every produce before it, as on Kafka, where a connection's requests are served one at a time.
 */
@Timeout(60)
class BrokerPipeliningTest
{
    private static final short PRODUCE_VERSION = 9;
    private static final short LIST_OFFSETS_VERSION = 7;
    private static final int RECORDS_PER_BATCH = 3;

    @TempDir
    Path dir;

    private RawSocketBroker server;

    @BeforeEach
    void start() throws Exception
    {
        server = new RawSocketBroker(dir);
    }

    @AfterEach
    void stop() throws Exception
    {
        server.close();
        assertEquals(0, server.closed.size(), () -> "no connection was closed: " + server.closed);
    }

    private static ByteBuffer batch(final InitProducerIdResponseData ids, final int baseSequence)
    {
        final SimpleRecord[] records = new SimpleRecord[RECORDS_PER_BATCH];
        for (int i = 0; i < RECORDS_PER_BATCH; i++)
        {
            records[i] = new SimpleRecord(("v" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, ids.producerId(), ids.producerEpoch(),
            baseSequence, records).buffer();
    }

    private static ByteBuffer body(final RawKafkaClient client, final ApiKeys api, final short version,
        final int correlationId) throws Exception
    {
        final ByteBuffer response = client.receive();
        assertNotNull(response, "answered");
        assertEquals(correlationId, new ResponseHeaderData(new ByteBufferAccessor(response),
            api.responseHeaderVersion(version)).correlationId(), "answered in request order");
        return response;
    }

    @Test
    void shouldStorePipelinedIdempotentBatchesInOrderAndShowThemToTheRequestAfterThem() throws Exception
    {
        final int batches = 8;
        try (RawKafkaClient client = server.client())
        {
            final InitProducerIdResponseData ids = client.exchange(ApiKeys.INIT_PRODUCER_ID, (short)4,
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1)
                    .setProducerId(-1).setProducerEpoch((short)-1));
            final List<ByteBuffer> frames = new ArrayList<>();
            for (int i = 0; i < batches; i++)
            {
                frames.add(RawKafkaClient.frame(ApiKeys.PRODUCE, PRODUCE_VERSION, 100 + i,
                    RawKafkaClient.produceRequest("t", batch(ids, i * RECORDS_PER_BATCH), (short)-1)));
            }
            final ListOffsetsRequestData latest = new ListOffsetsRequestData().setReplicaId(-1);
            latest.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("t").setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                    .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP))));
            frames.add(RawKafkaClient.frame(ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION, 100 + batches, latest));
            final ByteBuffer all = ByteBuffer.allocate(frames.stream().mapToInt(ByteBuffer::remaining).sum());
            frames.forEach(all::put);
            client.send(all.flip());

            for (int i = 0; i < batches; i++)
            {
                final ProduceResponseData.PartitionProduceResponse answer = new ProduceResponseData(
                    new ByteBufferAccessor(body(client, ApiKeys.PRODUCE, PRODUCE_VERSION, 100 + i)), PRODUCE_VERSION)
                    .responses().iterator().next().partitionResponses().get(0);
                assertEquals(Errors.NONE.code(), answer.errorCode(), () -> "batch stored: " + answer);
                assertEquals((long)i * RECORDS_PER_BATCH, answer.baseOffset(), "in the order sent");
            }
            final ListOffsetsResponseData offsets = new ListOffsetsResponseData(new ByteBufferAccessor(
                body(client, ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION, 100 + batches)), LIST_OFFSETS_VERSION);
            assertEquals((long)batches * RECORDS_PER_BATCH,
                offsets.topics().get(0).partitions().get(0).offset(), "the request after them sees them all");
        }
        assertEquals((long)batches * RECORDS_PER_BATCH, server.logs.topic("t").partition(0).logEndOffset());
    }
}
