package io.loglab.broker.wire;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;

/**
 * Metadata: every broker of the cluster, and each partition's leader, leader epoch, replicas and in-sync set as the
 * {@link Placement} has them (one node leading everything, or the controller's decisions). Topics a client names
 * that do not exist are answered UNKNOWN_TOPIC_OR_PARTITION (topics are not created on a metadata request); from v10
 * each topic carries its id, and a topic asked for by id alone that does not exist is answered UNKNOWN_TOPIC_ID, as
 * Kafka answers. A partition with no leader is answered LEADER_NOT_AVAILABLE, which clients retry.
 */
final class MetadataHandler
{
    static final String CLUSTER_ID = "loglab";

    private final Placement placement;

    MetadataHandler(final Placement placement)
    {
        this.placement = placement;
    }

    MetadataResponseData handle(final MetadataRequestData request, final short version)
    {
        final MetadataResponseData response = new MetadataResponseData()
            .setClusterId(CLUSTER_ID)
            .setControllerId(placement.controllerId());
        for (final BrokerAddress broker : placement.brokers())
        {
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.nodeId())
                .setHost(broker.host())
                .setPort(broker.port()));
        }
        // v0 asks for every topic with an empty list, v1 and later with null.
        final boolean all = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (all)
        {
            placement.topics().forEach(topic -> response.topics().add(describe(topic.name(), topic, version)));
            return response;
        }
        for (final MetadataRequestData.MetadataRequestTopic asked : request.topics())
        {
            // Kafka's client asks by id with the name empty (the schema says null): any non-zero id is an ask by id.
            if (!Uuid.ZERO_UUID.equals(asked.topicId()) && (asked.name() == null || asked.name().isEmpty()))
            {
                final Placement.PlacedTopic topic = byId(asked.topicId());
                response.topics().add(topic == null ?
                    new MetadataResponseData.MetadataResponseTopic()
                        .setName(null)
                        .setTopicId(asked.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()) :
                    describe(topic.name(), topic, version));
            }
            else
            {
                response.topics().add(describe(asked.name(),
                    asked.name() == null ? null : placement.topic(asked.name()), version));
            }
        }
        return response;
    }

    private Placement.PlacedTopic byId(final Uuid topicId)
    {
        for (final Placement.PlacedTopic topic : placement.topics())
        {
            if (topicId.equals(Partitions.kafkaId(topic.topicId())))
            {
                return topic;
            }
        }
        return null;
    }

    private MetadataResponseData.MetadataResponseTopic describe(
        final String name, final Placement.PlacedTopic topic, final short version)
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
        for (int p = 0; p < topic.partitionCount(); p++)
        {
            final Placement.Leadership leadership = placement.leadership(name, p);
            final MetadataResponseData.MetadataResponsePartition partition =
                new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(p);
            if (leadership == null || leadership.leader() == Placement.Leadership.NO_LEADER)
            {
                partition.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(Placement.Leadership.NO_LEADER)
                    .setLeaderEpoch(leadership == null ? -1 : leadership.leaderEpoch())
                    .setReplicaNodes(leadership == null ? List.of() : list(leadership.replicas()))
                    .setIsrNodes(leadership == null ? List.of() : list(leadership.isr()));
            }
            else
            {
                partition.setLeaderId(leadership.leader())
                    .setLeaderEpoch(leadership.leaderEpoch())
                    .setReplicaNodes(list(leadership.replicas()))
                    .setIsrNodes(list(leadership.isr()));
            }
            described.partitions().add(partition);
        }
        return described;
    }

    private static List<Integer> list(final int[] nodes)
    {
        final List<Integer> list = new ArrayList<>(nodes.length);
        for (final int node : nodes)
        {
            list.add(node);
        }
        return list;
    }
}
