package io.loglab.broker.wire;

import io.loglab.broker.network.BadRequestException;
import io.loglab.broker.network.RequestHandler;
import io.loglab.broker.network.Response;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;

/**
 * Decodes a request frame with kafka-clients' generated classes and hands it to the API's handler. Requests Kafka
 * closes the connection on (an unknown key, a version not served, a body that does not parse) get the same here;
 * an ApiVersions request of a version not served gets Kafka's v0 answer with UNSUPPORTED_VERSION and the range, so
 * the client can retry with one that is.
 * <p>
 * Threading: the network thread only.
 */
public final class KafkaRequestHandler implements RequestHandler
{
    private static final int HEADER_PREFIX_BYTES = 8;

    private final SocketTransferChannel channel = new SocketTransferChannel();
    private final MetadataHandler metadata;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final CreateTopicsHandler createTopics;
    private final InitProducerIdHandler initProducerId;
    private final TopicAdminHandler topicAdmin;

    /**
     * @param advertised the address clients are told to connect to (Metadata's one broker).
     * @param wakeup     run from a writer thread when an append completes: wakes the network thread.
     */
    public KafkaRequestHandler(final LogManager logs, final BrokerAddress advertised, final Runnable wakeup)
    {
        this.metadata = new MetadataHandler(logs, advertised);
        this.produce = new ProduceHandler(logs, channel, wakeup);
        final Readers readers = new Readers();
        this.fetch = new FetchHandler(logs, channel, readers);
        this.listOffsets = new ListOffsetsHandler(logs, readers);
        this.createTopics = new CreateTopicsHandler(logs);
        this.initProducerId = new InitProducerIdHandler(logs);
        this.topicAdmin = new TopicAdminHandler(logs);
    }

    @Override
    public Response handle(final ByteBuffer frame, final long nowNs) throws BadRequestException
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
        final RequestContext request = new RequestContext(api, version, correlationId);
        if (!SupportedApis.accepts(api, version))
        {
            if (api == ApiKeys.API_VERSIONS)
            {
                return KafkaResponse.of(channel, new RequestContext(api, (short)0, correlationId),
                    unsupportedApiVersions());
            }
            throw new BadRequestException(api + " v" + version + " is not served");
        }
        final ApiMessage body = parse(frame, api, version);
        return switch (api)
        {
            case API_VERSIONS -> KafkaResponse.of(channel, request,
                new ApiVersionsResponseData().setApiKeys(SupportedApis.advertised()));
            case METADATA -> KafkaResponse.of(channel, request, metadata.handle((MetadataRequestData)body, version));
            case LIST_OFFSETS -> KafkaResponse.of(channel, request,
                listOffsets.handle((ListOffsetsRequestData)body));
            case CREATE_TOPICS -> KafkaResponse.of(channel, request,
                createTopics.handle((CreateTopicsRequestData)body));
            case INIT_PRODUCER_ID -> KafkaResponse.of(channel, request,
                initProducerId.handle((InitProducerIdRequestData)body));
            case CREATE_PARTITIONS -> KafkaResponse.of(channel, request,
                topicAdmin.createPartitions((CreatePartitionsRequestData)body));
            case DELETE_TOPICS -> KafkaResponse.of(channel, request,
                topicAdmin.deleteTopics((DeleteTopicsRequestData)body));
            case DESCRIBE_CONFIGS -> KafkaResponse.of(channel, request,
                topicAdmin.describeConfigs((DescribeConfigsRequestData)body));
            case PRODUCE -> produce.handle(request, (ProduceRequestData)body, nowNs);
            case FETCH -> fetch.handle(request, (FetchRequestData)body, nowNs);
            default -> throw new BadRequestException(api + " is not served");
        };
    }

    private static ApiMessage parse(final ByteBuffer frame, final ApiKeys api, final short version)
        throws BadRequestException
    {
        try
        {
            final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
            new RequestHeaderData(accessor, api.requestHeaderVersion(version));
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
