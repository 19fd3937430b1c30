package io.loglab.broker.wire;

import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * Metadata: one broker, which leads every partition of every topic. Topics a client names that do not exist are
 * answered UNKNOWN_TOPIC_OR_PARTITION (topics are not created on a metadata request); from v10 each topic carries
 * its id, and a topic asked for by id alone that does not exist is answered UNKNOWN_TOPIC_ID, as Kafka answers.
 */
final class MetadataHandler
{
    /** Leader epochs are not given to clients yet: -1 is "unknown", and asks them to check nothing. */
    private static final int NO_LEADER_EPOCH = -1;
    static final String CLUSTER_ID = "loglab";

    private final LogManager logs;
    private final BrokerAddress advertised;

    MetadataHandler(final LogManager logs, final BrokerAddress advertised)
    {
        this.logs = logs;
        this.advertised = advertised;
    }

    MetadataResponseData handle(final MetadataRequestData request, final short version)
    {
        final MetadataResponseData response = new MetadataResponseData()
            .setClusterId(CLUSTER_ID)
            .setControllerId(advertised.nodeId());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
            .setNodeId(advertised.nodeId())
            .setHost(advertised.host())
            .setPort(advertised.port()));
        // v0 asks for every topic with an empty list, v1 and later with null.
        final boolean all = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (all)
        {
            logs.topics().forEach(topic -> response.topics().add(describe(topic.name(), topic, version)));
            return response;
        }
        for (final MetadataRequestData.MetadataRequestTopic asked : request.topics())
        {
            // Kafka's client asks by id with the name empty (the schema says null): any non-zero id is an ask by id.
            if (!Uuid.ZERO_UUID.equals(asked.topicId()) && (asked.name() == null || asked.name().isEmpty()))
            {
                final Topic topic = Partitions.topic(logs, asked.topicId());
                response.topics().add(topic == null ?
                    new MetadataResponseData.MetadataResponseTopic()
                        .setName(null)
                        .setTopicId(asked.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()) :
                    describe(topic.name(), topic, version));
            }
            else
            {
                response.topics().add(describe(asked.name(), Partitions.topic(logs, asked.name()), version));
            }
        }
        return response;
    }

    private MetadataResponseData.MetadataResponseTopic describe(
        final String name, final Topic topic, final short version)
    {
        final MetadataResponseData.MetadataResponseTopic described =
            new MetadataResponseData.MetadataResponseTopic().setName(name);
        if (topic == null)
        {
            return described.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        if (version >= 10)
        {
            described.setTopicId(Partitions.kafkaId(topic.topicId()));
        }
        if (version >= 1)
        {
            described.setIsInternal(OffsetsTopic.isInternal(name));
        }
        final List<Integer> replicas = List.of(advertised.nodeId());
        for (int p = 0; p < topic.partitionCount(); p++)
        {
            described.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                .setPartitionIndex(p)
                .setLeaderId(advertised.nodeId())
                .setLeaderEpoch(NO_LEADER_EPOCH)
                .setReplicaNodes(replicas)
                .setIsrNodes(replicas));
        }
        return described;
    }
}
