package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mutated valid requests of every served API, each on its own connection, for a bounded time: bytes flipped, frames
 * cut short or lengthened, sizes changed. Whatever the broker answers (an error, a closed connection, nothing), it
 * must go on serving a normal client afterwards, and the bytes it had stored before must be as they were.
 */
@Timeout(120)
class BrokerFuzzTest
{
    private static final long SEED = 20261201L;
    private static final long BUDGET_NANOS = 8_000_000_000L;
    private static final int MAX_CASES = 4_000;

    @TempDir
    Path dir;

    @Test
    void shouldKeepServingAndKeepStoredBytesWhateverMutatedRequestsArrive() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            logs.createTopic("t", 2, new LogConfig());
            try (Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), ex -> { }))
            {
                try (RawKafkaClient client = new RawKafkaClient(broker.address()))
                {
                    client.call(ApiKeys.PRODUCE, (short)9, produce());
                }
                final Path segment = dir.resolve("t").resolve("partition-0").resolve("00000000000000000000.log");
                final byte[] stored = Files.readAllBytes(segment);

                final List<ByteBuffer> valid = validFrames();
                final SplittableRandom random = new SplittableRandom(SEED);
                final long deadline = System.nanoTime() + BUDGET_NANOS;
                int cases = 0;
                while (cases < MAX_CASES && System.nanoTime() < deadline)
                {
                    sendOnce(broker.address(), mutate(valid.get(random.nextInt(valid.size())), random));
                    cases++;
                }
                assertTrue(cases > 100, "enough cases ran: " + cases);

                try (RawKafkaClient client = new RawKafkaClient(broker.address()))
                {
                    final MetadataResponseData metadata = new MetadataResponseData(new ByteBufferAccessor(
                        client.call(ApiKeys.METADATA, (short)12, new MetadataRequestData().setTopics(null))),
                        (short)12);
                    assertTrue(metadata.topics().size() >= 1, "still serving after " + cases + " cases");
                    final OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("after-fuzz")
                        .setGenerationIdOrMemberEpoch(-1).setMemberId("");
                    commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                            .setPartitionIndex(1).setCommittedOffset(42))));
                    client.call(ApiKeys.OFFSET_COMMIT, (short)8, commit);
                    final OffsetFetchResponseData fetched = new OffsetFetchResponseData(new ByteBufferAccessor(
                        client.call(ApiKeys.OFFSET_FETCH, (short)7,
                            new OffsetFetchRequestData().setGroupId("after-fuzz").setTopics(null))), (short)7);
                    assertEquals(42, fetched.topics().get(0).partitions().get(0).committedOffset(),
                        "groups still commit and fetch offsets");
                }
                final byte[] after = Files.readAllBytes(segment);
                assertTrue(after.length >= stored.length, "nothing cut");
                assertArrayEquals(stored, Arrays.copyOf(after, stored.length), "what was stored is unchanged");
            }
        }
    }

    private static ProduceRequestData produce()
    {
        return RawKafkaClient.produceRequest("t", MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "stored".getBytes(StandardCharsets.UTF_8))).buffer(),
            (short)1);
    }

    private static List<ByteBuffer> validFrames()
    {
        final List<ByteBuffer> frames = new ArrayList<>();
        add(frames, ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData().setClientSoftwareName("fuzz")
            .setClientSoftwareVersion("1"));
        add(frames, ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));
        add(frames, ApiKeys.PRODUCE, 9, produce());
        final FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(10).setMinBytes(1)
            .setMaxBytes(1 << 20).setSessionEpoch(-1);
        final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic("t");
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
            .setPartitionMaxBytes(1 << 20).setLogStartOffset(-1));
        fetch.topics().add(fetchTopic);
        add(frames, ApiKeys.FETCH, 12, fetch);
        final ListOffsetsRequestData list = new ListOffsetsRequestData().setReplicaId(-1);
        final ListOffsetsRequestData.ListOffsetsTopic listTopic = new ListOffsetsRequestData.ListOffsetsTopic()
            .setName("t");
        listTopic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
            .setTimestamp(-2));
        list.topics().add(listTopic);
        add(frames, ApiKeys.LIST_OFFSETS, 7, list);
        final CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(1_000);
        create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("fuzzed").setNumPartitions(1)
            .setReplicationFactor((short)1));
        add(frames, ApiKeys.CREATE_TOPICS, 7, create);
        final CreatePartitionsRequestData grow = new CreatePartitionsRequestData().setTimeoutMs(1_000);
        grow.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t").setCount(3)
            .setAssignments(null));
        add(frames, ApiKeys.CREATE_PARTITIONS, 3, grow);
        final DescribeConfigsRequestData describe = new DescribeConfigsRequestData();
        describe.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte)2)
            .setResourceName("t"));
        add(frames, ApiKeys.DESCRIBE_CONFIGS, 4, describe);
        add(frames, ApiKeys.INIT_PRODUCER_ID, 4, new InitProducerIdRequestData().setTransactionalId(null)
            .setTransactionTimeoutMs(-1));
        addGroupFrames(frames);
        return frames;
    }

    private static void addGroupFrames(final List<ByteBuffer> frames)
    {
        add(frames, ApiKeys.FIND_COORDINATOR, 3, new FindCoordinatorRequestData().setKey("g").setKeyType((byte)0));
        add(frames, ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData().setKeyType((byte)0)
            .setCoordinatorKeys(List.of("g", "h")));
        final JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setSessionTimeoutMs(10_000)
            .setRebalanceTimeoutMs(10_000).setMemberId("").setGroupInstanceId("instance").setProtocolType("consumer");
        join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
            .setMetadata(new byte[] {0, 1, 0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 0}));
        add(frames, ApiKeys.JOIN_GROUP, 5, join);
        add(frames, ApiKeys.SYNC_GROUP, 5, new SyncGroupRequestData().setGroupId("g").setGenerationId(1)
            .setMemberId("m").setProtocolType("consumer").setProtocolName("range")
            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m")
                .setAssignment(new byte[] {0, 1, 0, 0, 0, 0}))));
        add(frames, ApiKeys.HEARTBEAT, 4, new HeartbeatRequestData().setGroupId("g").setGenerationId(1)
            .setMemberId("m"));
        add(frames, ApiKeys.LEAVE_GROUP, 4, new LeaveGroupRequestData().setGroupId("g")
            .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))));
        final OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g")
            .setGenerationIdOrMemberEpoch(-1).setMemberId("");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t")
            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(1).setCommittedMetadata("m"))));
        add(frames, ApiKeys.OFFSET_COMMIT, 8, commit);
        add(frames, ApiKeys.OFFSET_FETCH, 7, new OffsetFetchRequestData().setGroupId("g").setTopics(null));
        add(frames, ApiKeys.OFFSET_FETCH, 8, new OffsetFetchRequestData().setGroups(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null))));
        add(frames, ApiKeys.LIST_GROUPS, 4, new ListGroupsRequestData());
        add(frames, ApiKeys.DESCRIBE_GROUPS, 5, new DescribeGroupsRequestData().setGroups(List.of("g")));
        add(frames, ApiKeys.DELETE_GROUPS, 2, new DeleteGroupsRequestData().setGroupsNames(List.of("g")));
    }

    private static void add(final List<ByteBuffer> frames, final ApiKeys api, final int version, final ApiMessage body)
    {
        frames.add(RawKafkaClient.frame(api, (short)version, 1, body));
    }

    private static byte[] mutate(final ByteBuffer valid, final SplittableRandom random)
    {
        final byte[] bytes = new byte[valid.remaining()];
        valid.duplicate().get(bytes);
        switch (random.nextInt(4))
        {
            case 0 ->
            {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++)
                {
                    bytes[4 + random.nextInt(bytes.length - 4)] = (byte)random.nextInt(256);
                }
                return bytes;
            }
            case 1 ->
            {
                // Cut short, the size prefix saying the cut length: a truncated body.
                final int length = 4 + random.nextInt(bytes.length - 4);
                final byte[] cut = Arrays.copyOf(bytes, length);
                ByteBuffer.wrap(cut).putInt(0, length - 4);
                return cut;
            }
            case 2 ->
            {
                // Lengthened with garbage the size prefix counts.
                final byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                for (int i = bytes.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt(256);
                }
                ByteBuffer.wrap(longer).putInt(0, longer.length - 4);
                return longer;
            }
            default ->
            {
                // A size prefix that does not match what follows.
                ByteBuffer.wrap(bytes).putInt(0, random.nextInt());
                return bytes;
            }
        }
    }

    /**
     * Send the bytes on a fresh connection and take whatever comes back within a moment; then hang up.
     */
    private static void sendOnce(final InetSocketAddress address, final byte[] bytes) throws IOException
    {
        try (Socket socket = new Socket(address.getAddress(), address.getPort()))
        {
            socket.setSoTimeout(50);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] sink = new byte[4096];
            while (in.read(sink) >= 0)
            {
                // Drain the answer, if any, until the broker closes or goes quiet.
            }
        }
        catch (final java.net.SocketTimeoutException quiet)
        {
            // No (more) answer: the broker waits for bytes that will not come, or answered nothing (acks=0).
        }
        catch (final java.net.SocketException reset)
        {
            // The broker closed the connection.
        }
    }
}
