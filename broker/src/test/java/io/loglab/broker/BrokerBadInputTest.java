package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad bytes on the wire get Kafka's answers: a closed connection for a frame Kafka would not answer, a per-partition
 * error for a bad batch; nothing is stored from them, and the broker goes on serving everyone else.
 */
@Timeout(60)
class BrokerBadInputTest
{
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
    }

    private RawKafkaClient client() throws IOException
    {
        return server.client();
    }

    private static void assertClosedAfter(final RawKafkaClient client, final ByteBuffer bytes)
    {
        try
        {
            client.send(bytes);
            assertNull(client.receive(), "no answer: the connection is closed");
        }
        catch (final IOException reset)
        {
            // Closed with a reset: the same answer.
        }
    }

    private static ByteBuffer frameOf(final byte[] body)
    {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
    }

    @Test
    void shouldCloseTheConnectionOnFramesKafkaDoesNotAnswerAndKeepServingOthers() throws Exception
    {
        final ByteBuffer unknownKey = ByteBuffer.allocate(12).putInt(8).putShort((short)999).putShort((short)0)
            .putInt(1).flip();
        final ByteBuffer tooLarge = ByteBuffer.allocate(4).putInt(Broker.MAX_REQUEST_BYTES + 1).flip();
        final ByteBuffer negative = ByteBuffer.allocate(4).putInt(-5).flip();
        final ByteBuffer noHeader = frameOf(new byte[] {0, 3});
        final ByteBuffer produceV2 = RawKafkaClient.frame(ApiKeys.PRODUCE, (short)2, 1, new ProduceRequestData());
        final ByteBuffer metadata = RawKafkaClient.frame(ApiKeys.METADATA, (short)12, 1, new MetadataRequestData());
        // The same Metadata request with its body cut short inside the frame.
        final byte[] cut = new byte[metadata.remaining() - 4 - 1];
        metadata.position(4).get(cut);
        final ByteBuffer truncated = frameOf(cut);

        int expectedClosures = 0;
        for (final ByteBuffer bad : List.of(unknownKey, tooLarge, negative, noHeader, produceV2, truncated))
        {
            try (RawKafkaClient client = client())
            {
                assertClosedAfter(client, bad);
                expectedClosures++;
            }
        }
        assertEquals(expectedClosures, server.closed.size(), "each closure reported once: " + server.closed);

        try (RawKafkaClient client = client())
        {
            final MetadataResponseData answer = new MetadataResponseData(
                new ByteBufferAccessor(client.call(ApiKeys.METADATA, (short)12,
                    new MetadataRequestData().setTopics(null))),
                (short)12);
            assertEquals(1, answer.topics().size(), "the broker still serves: " + answer);
        }
        assertEquals(0, server.logs.topic("t").partition(0).logEndOffset(), "nothing stored");
    }

    @Test
    void shouldAnswerAnApiVersionsVersionItDoesNotServeWithItsRange() throws Exception
    {
        try (RawKafkaClient client = client())
        {
            client.send(RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short)3, 7, new ApiVersionsRequestData()
                .setClientSoftwareName("raw").setClientSoftwareVersion("1")).putShort(6, (short)99));
            final ByteBuffer response = client.receive();
            assertNotNull(response, "answered, not closed");
            assertEquals(7, response.getInt(), "a v0 response header: the correlation id alone");
            final ApiVersionsResponseData answer =
                new ApiVersionsResponseData(new ByteBufferAccessor(response), (short)0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), answer.errorCode());
            assertEquals(1, answer.apiKeys().size());
            assertNotNull(answer.apiKeys().find(ApiKeys.API_VERSIONS.id));
        }
    }

    @Test
    void shouldAnswerBadBatchesPerPartitionAndStoreNoneOfThem() throws Exception
    {
        final MemoryRecords good = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8)));
        final ByteBuffer corrupt = copy(good.buffer());
        corrupt.put(corrupt.limit() - 1, (byte)(corrupt.get(corrupt.limit() - 1) ^ 0x55));
        final ByteBuffer two =
            ByteBuffer.allocate(good.sizeInBytes() * 2).put(good.buffer()).put(good.buffer()).flip();
        final ByteBuffer badMagic = copy(good.buffer());
        badMagic.put(16, (byte)1);

        try (RawKafkaClient client = client())
        {
            assertEquals(Errors.CORRUPT_MESSAGE, produce(client, corrupt, (short)1));
            assertEquals(Errors.INVALID_RECORD, produce(client, two, (short)1));
            assertEquals(Errors.INVALID_RECORD, produce(client, badMagic, (short)1));
            assertEquals(Errors.INVALID_REQUIRED_ACKS, produce(client, good.buffer(), (short)2));
            assertEquals(0, server.logs.topic("t").partition(0).logEndOffset(), "none of them stored");
            assertEquals(Errors.NONE, produce(client, good.buffer(), (short)-1), "the same connection");
        }
        assertEquals(1, server.logs.topic("t").partition(0).logEndOffset());
        assertEquals(List.of(), List.copyOf(server.closed), "per-partition errors close nothing");
    }

    @Test
    void shouldStoreARetriedIdempotentBatchOnceAndAnswerItWithItsOriginalOffset() throws Exception
    {
        try (RawKafkaClient client = client())
        {
            final InitProducerIdResponseData ids = new InitProducerIdResponseData(new ByteBufferAccessor(
                client.call(ApiKeys.INIT_PRODUCER_ID, (short)4, new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(-1).setProducerId(-1).setProducerEpoch((short)-1))),
                (short)4);
            assertEquals(Errors.NONE.code(), ids.errorCode());
            final MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, ids.producerId(),
                ids.producerEpoch(), 0, new SimpleRecord("k".getBytes(StandardCharsets.UTF_8),
                    "once".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, produceOffset(client, batch.buffer()));
            assertEquals(0, produceOffset(client, batch.buffer()), "the retry gets the original offset");
            assertEquals(1, server.logs.topic("t").partition(0).logEndOffset(), "and is not stored twice");
            final MemoryRecords gap = MemoryRecords.withIdempotentRecords(Compression.NONE, ids.producerId(),
                ids.producerEpoch(), 5, new SimpleRecord("k".getBytes(StandardCharsets.UTF_8),
                    "gap".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, produce(client, gap.buffer(), (short)-1));
            assertEquals(1, server.logs.topic("t").partition(0).logEndOffset());
        }
    }

    @Test
    void shouldCloseTheConnectionWhenAnAcksZeroProduceFailsAndRefuseBatchesItDoesNotServe() throws Exception
    {
        try (RawKafkaClient client = client())
        {
            final ProduceRequestData request = RawKafkaClient.produceRequest("missing", MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord("v".getBytes(StandardCharsets.UTF_8))).buffer(), (short)0);
            assertClosedAfter(client, RawKafkaClient.frame(ApiKeys.PRODUCE, (short)9, 1, request));
        }
        try (RawKafkaClient client = client())
        {
            final ByteBuffer transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, 77L, (short)0, 0,
                new SimpleRecord("v".getBytes(StandardCharsets.UTF_8))).buffer();
            assertEquals(Errors.INVALID_RECORD, produce(client, transactional, (short)-1));
            final ByteBuffer noSequence = ByteBuffer.allocate(4096);
            final RecordBatchBuilder builder = new RecordBatchBuilder()
                .wrap(new UnsafeBuffer(noSequence), 0, noSequence.capacity()).producer(77L, (short)0, -1);
            assertTrue(builder.tryAppend(System.currentTimeMillis(), null, 0, 0, new UnsafeBuffer(new byte[1]), 0, 1,
                null));
            noSequence.limit(builder.build());
            assertEquals(Errors.INVALID_RECORD, produce(client, noSequence, (short)-1));
        }
        assertEquals(0, server.logs.topic("t").partition(0).logEndOffset(), "nothing stored");
    }

    @Test
    void shouldSendAFetchLargerThanTheSocketTakesAtOnceWholeAndAnswerOutOfRangeWithoutWaiting() throws Exception
    {
        server.logs.createTopic("big", 1, new LogConfig());
        final int batches = 256;
        try (RawKafkaClient client = client())
        {
            final SimpleRecord record = new SimpleRecord(new byte[60 * 1024]);
            for (int i = 0; i < batches; i++)
            {
                assertEquals(Errors.NONE.code(), client.produce("big",
                    MemoryRecords.withRecords(Compression.NONE, record).buffer(), (short)1).errorCode());
            }
        }
        try (RawKafkaClient slow = new RawKafkaClient(server.broker.address(), 4096))
        {
            final FetchResponseData answer = fetch(slow, "big", 0, 10_000);
            final FetchResponseData.PartitionData partition = answer.responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode());
            int count = 0;
            for (final var batch : ((MemoryRecords)partition.records()).batches())
            {
                batch.ensureValid();
                count++;
            }
            assertEquals(batches, count, "every batch of a 15 MiB response, whole and valid; bytes " +
                partition.records().sizeInBytes() + ", hw " + partition.highWatermark());

            final long start = System.nanoTime();
            final FetchResponseData outOfRange = fetch(slow, "big", batches + 10, 10_000);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), outOfRange.responses().get(0).partitions().get(0)
                .errorCode());
            assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(5),
                "an error ends the long poll at once, not after max_wait_ms");
        }
        assertEquals(List.of(), List.copyOf(server.closed));
    }

    private static FetchResponseData fetch(final RawKafkaClient client, final String topic, final long offset,
        final int maxWaitMs) throws IOException
    {
        final FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs)
            .setMinBytes(1).setMaxBytes(64 << 20).setIsolationLevel((byte)0).setSessionId(0).setSessionEpoch(-1);
        final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic);
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
            .setPartitionMaxBytes(32 << 20).setLogStartOffset(-1).setCurrentLeaderEpoch(-1));
        request.topics().add(fetchTopic);
        return new FetchResponseData(new ByteBufferAccessor(client.call(ApiKeys.FETCH, (short)12, request)),
            (short)12);
    }

    private static long produceOffset(final RawKafkaClient client, final ByteBuffer batch) throws IOException
    {
        final ProduceResponseData.PartitionProduceResponse partition = client.produce("t", batch, (short)-1);
        assertEquals(Errors.NONE.code(), partition.errorCode(), partition.errorMessage());
        return partition.baseOffset();
    }

    private static ByteBuffer copy(final ByteBuffer bytes)
    {
        return ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
    }

    private static Errors produce(final RawKafkaClient client, final ByteBuffer batch, final short acks)
        throws IOException
    {
        return Errors.forCode(client.produce("t", batch, acks).errorCode());
    }
}
