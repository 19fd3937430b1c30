package io.loglab.broker.wire;

import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.network.BadRequestException;
import io.loglab.broker.network.RequestHandler;
import io.loglab.broker.network.Response;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
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
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decodes a request frame with kafka-clients' generated classes and hands it to the API's handler. Requests Kafka
 * closes the connection on (an unknown key, a version not served, a body that does not parse) get the same here;
 * an ApiVersions request of a version not served gets Kafka's v0 answer with UNSUPPORTED_VERSION and the range, so
 * the client can retry with one that is.
 * <p>
 * Threading: the network thread only.
 */
public final class KafkaRequestHandler implements RequestHandler, AutoCloseable
{
    private static final int HEADER_PREFIX_BYTES = 8;
    /** How often the groups' timers (session expiry, join deadlines) are run: every pass would walk every group. */
    private static final long GROUP_TIMERS_INTERVAL_MS = 10;

    private final RequestStats stats;
    private final SocketTransferChannel channel;
    private final LogManager logs;
    private final MetadataHandler metadata;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final CreateTopicsHandler createTopics;
    private final DeleteTopicsHandler deleteTopics;
    private final InitProducerIdHandler initProducerId;
    private final TopicAdminHandler topicAdmin;
    private final GroupCoordinator coordinator;
    private final OffsetsLog offsetsLog;
    private final GroupMembershipHandler membership;
    private final OffsetsHandler offsets;
    private final GroupAdminHandler groupAdmin;
    private final ConsumerGroupHeartbeatHandler consumerHeartbeat;
    private final GroupLagCounters lagCounters;
    private final GroupCoordination coordination;
    private final ErrorHandler errorHandler;
    private long nextGroupTimersMs;

    /**
     * Build the handler; a broker that coordinates groups from the start (alone, always) replays the offsets topic
     * now, before it takes connections.
     *
     * @param coordinator  the groups; owned by the network thread from now on.
     * @param placement    where the partitions are and who leads them, for Metadata and every request that names a
     *                     partition.
     * @param wakeup       run from a writer thread when an append completes: wakes the network thread.
     * @param errorHandler told of offsets-topic records that do not decode (skipped at replay), and of a replay that
     *                     fails later, in a new term of coordination.
     * @throws IOException if the offsets topic cannot be read.
     */
    public KafkaRequestHandler(
        final LogManager logs, final GroupCoordinator coordinator, final Placement placement, final Runnable wakeup,
        final ErrorHandler errorHandler) throws IOException
    {
        this.logs = logs;
        this.errorHandler = errorHandler;
        this.stats = new RequestStats(logs.counters());
        this.channel = new SocketTransferChannel(stats);
        this.metadata = new MetadataHandler(placement);
        this.produce = new ProduceHandler(logs, placement, channel, wakeup);
        final Readers readers = new Readers();
        this.fetch = new FetchHandler(logs, placement, channel, readers);
        this.listOffsets = new ListOffsetsHandler(logs, placement, readers);
        this.createTopics = new CreateTopicsHandler(logs, placement, channel, wakeup);
        this.deleteTopics = new DeleteTopicsHandler(placement, channel, wakeup);
        this.initProducerId = new InitProducerIdHandler(placement);
        this.topicAdmin = new TopicAdminHandler(logs, placement.replicates());
        this.coordinator = coordinator;
        this.offsetsLog = new OffsetsLog(placement, coordinator, wakeup);
        this.membership = new GroupMembershipHandler(coordinator, channel);
        this.offsets = new OffsetsHandler(coordinator, offsetsLog, channel);
        this.groupAdmin = new GroupAdminHandler(coordinator, offsetsLog, placement, channel);
        this.consumerHeartbeat = new ConsumerGroupHeartbeatHandler(logs, coordinator);
        this.lagCounters = new GroupLagCounters(logs, coordinator);
        this.coordination = new GroupCoordination(placement, logs, coordinator, offsetsLog, errorHandler);
        try
        {
            coordination.poll(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public void onPass(final long nowNs)
    {
        stats.onPass(nowNs);
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        try
        {
            coordination.poll(nowMs);
        }
        catch (final IOException ex)
        {
            // Not coordinating until the offsets topic reads: every pass tries again, and clients hear NOT_COORDINATOR.
            errorHandler.onError(ex);
        }
        offsetsLog.poll();
        if (nowMs - nextGroupTimersMs >= 0)
        {
            nextGroupTimersMs = nowMs + GROUP_TIMERS_INTERVAL_MS;
            coordinator.poll(nowMs);
        }
        lagCounters.poll(nowMs);
    }

    @Override
    public Response handle(final ByteBuffer frame, final String clientHost, final long nowNs)
        throws BadRequestException
    {
        stats.onRequest(frame.remaining() + Integer.BYTES);
        try
        {
            final Response response = dispatch(frame, clientHost, nowNs);
            // The key is known and served by now: dispatch refuses any other.
            return stats.timed(ApiKeys.forId(frame.getShort(0)), nowNs, response);
        }
        catch (final BadRequestException ex)
        {
            stats.onRefused();
            throw ex;
        }
    }

    /**
     * Produce requests are pipelined: each partition's queue keeps their batches in order, and an idempotent
     * producer's sequences with them.
     */
    @Override
    public boolean mayOverlap(final ByteBuffer frame)
    {
        return frame.remaining() >= HEADER_PREFIX_BYTES && frame.getShort(0) == ApiKeys.PRODUCE.id &&
            SupportedApis.accepts(ApiKeys.PRODUCE, frame.getShort(2));
    }

    /**
     * Free the broker's counters, once the network thread has stopped.
     */
    @Override
    public void close()
    {
        lagCounters.close();
        stats.close();
    }

    private Response dispatch(final ByteBuffer frame, final String clientHost, final long nowNs)
        throws BadRequestException
    {
        if (frame.remaining() < HEADER_PREFIX_BYTES)
        {
            throw new BadRequestException("a request of " + frame.remaining() + " bytes has no header");
        }
        final short key = frame.getShort(0);
        final short version = frame.getShort(2);
        final int correlationId = frame.getInt(4);
        if (!ApiKeys.hasId(key))
        {
            throw new BadRequestException("unknown API key " + key);
        }
        final ApiKeys api = ApiKeys.forId(key);
        if (!SupportedApis.accepts(api, version))
        {
            if (api == ApiKeys.API_VERSIONS)
            {
                return KafkaResponse.of(channel, new RequestContext(api, (short)0, correlationId, null, clientHost),
                    unsupportedApiVersions());
            }
            throw new BadRequestException(api + " v" + version + " is not served");
        }
        final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        final RequestHeaderData header = parseHeader(accessor, api, version);
        final RequestContext request = new RequestContext(api, version, correlationId, header.clientId(), clientHost);
        final ByteBuffer bodyBytes = frame.slice();
        final ApiMessage body = parse(accessor, api, version);
        if (!coordination.serves(api))
        {
            return KafkaResponse.of(channel, request, GroupCoordination.notCoordinator(api, version, bodyBytes));
        }
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        return switch (api)
        {
            case API_VERSIONS -> KafkaResponse.of(channel, request,
                new ApiVersionsResponseData().setApiKeys(SupportedApis.advertised()));
            case METADATA -> KafkaResponse.of(channel, request, metadata.handle((MetadataRequestData)body, version));
            case LIST_OFFSETS -> AfterOpen.of(logs, named((ListOffsetsRequestData)body),
                () -> KafkaResponse.of(channel, request, listOffsets.handle((ListOffsetsRequestData)body)));
            case CREATE_TOPICS -> createTopics.handle(request, (CreateTopicsRequestData)body, nowNs);
            case INIT_PRODUCER_ID -> KafkaResponse.of(channel, request,
                initProducerId.handle((InitProducerIdRequestData)body));
            case CREATE_PARTITIONS -> KafkaResponse.of(channel, request,
                topicAdmin.createPartitions((CreatePartitionsRequestData)body));
            case DELETE_TOPICS -> deleteTopics.handle(request, (DeleteTopicsRequestData)body, nowNs);
            case DESCRIBE_CONFIGS -> KafkaResponse.of(channel, request,
                topicAdmin.describeConfigs((DescribeConfigsRequestData)body));
            case PRODUCE -> produce.handle(request, (ProduceRequestData)body, nowNs);
            case FETCH -> AfterOpen.of(logs, named((FetchRequestData)body),
                () -> fetch.handle(request, (FetchRequestData)body, nowNs));
            case FIND_COORDINATOR -> KafkaResponse.of(channel, request,
                groupAdmin.findCoordinator((FindCoordinatorRequestData)body, version));
            case JOIN_GROUP -> membership.join(request, (JoinGroupRequestData)body, nowMs);
            case SYNC_GROUP -> membership.sync(request, (SyncGroupRequestData)body, nowMs);
            case HEARTBEAT -> KafkaResponse.of(channel, request,
                membership.heartbeat((HeartbeatRequestData)body, nowMs));
            case LEAVE_GROUP -> KafkaResponse.of(channel, request,
                membership.leave((LeaveGroupRequestData)body, version, nowMs));
            case OFFSET_COMMIT -> offsets.commit(request, (OffsetCommitRequestData)body, nowMs);
            case OFFSET_FETCH -> KafkaResponse.of(channel, request,
                offsets.fetch((OffsetFetchRequestData)body, version));
            case LIST_GROUPS -> KafkaResponse.of(channel, request,
                groupAdmin.listGroups((ListGroupsRequestData)body, version));
            case DESCRIBE_GROUPS -> KafkaResponse.of(channel, request,
                groupAdmin.describeGroups((DescribeGroupsRequestData)body, version));
            case DELETE_GROUPS -> groupAdmin.deleteGroups(request, (DeleteGroupsRequestData)body, nowMs);
            case CONSUMER_GROUP_HEARTBEAT -> KafkaResponse.of(channel, request,
                consumerHeartbeat.heartbeat(request, (ConsumerGroupHeartbeatRequestData)body, nowMs));
            default -> throw new BadRequestException(api + " is not served");
        };
    }

    private static List<AfterOpen.TopicPartitionName> named(final FetchRequestData request)
    {
        final List<AfterOpen.TopicPartitionName> named = new ArrayList<>();
        request.topics().forEach(topic -> topic.partitions().forEach(partition ->
            named.add(new AfterOpen.TopicPartitionName(topic.topic(), partition.partition()))));
        return named;
    }

    private static List<AfterOpen.TopicPartitionName> named(final ListOffsetsRequestData request)
    {
        final List<AfterOpen.TopicPartitionName> named = new ArrayList<>();
        request.topics().forEach(topic -> topic.partitions().forEach(partition ->
            named.add(new AfterOpen.TopicPartitionName(topic.name(), partition.partitionIndex()))));
        return named;
    }

    private static RequestHeaderData parseHeader(
        final ByteBufferAccessor accessor, final ApiKeys api, final short version) throws BadRequestException
    {
        try
        {
            return new RequestHeaderData(accessor, api.requestHeaderVersion(version));
        }
        catch (final RuntimeException ex)
        {
            throw new BadRequestException(api + " v" + version + " has a header that does not parse: " +
                ex.getMessage(), ex);
        }
    }

    private static ApiMessage parse(final ByteBufferAccessor accessor, final ApiKeys api, final short version)
        throws BadRequestException
    {
        try
        {
            final ApiMessage body = api.messageType.newRequest();
            body.read(accessor, version);
            return body;
        }
        catch (final RuntimeException ex)
        {
            throw new BadRequestException(api + " v" + version + " does not parse: " + ex.getMessage(), ex);
        }
    }

    /**
     * Kafka's answer to an ApiVersions version it does not serve: only ApiVersions' own range, so the client retries.
     */
    private static ApiVersionsResponseData unsupportedApiVersions()
    {
        final ApiVersionsResponseData.ApiVersionCollection own = new ApiVersionsResponseData.ApiVersionCollection();
        own.add(new ApiVersionsResponseData.ApiVersion()
            .setApiKey(ApiKeys.API_VERSIONS.id)
            .setMinVersion((short)0)
            .setMaxVersion(SupportedApis.maxApiVersionsVersion()));
        return new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(own);
    }
}
