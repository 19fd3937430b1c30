package io.loglab.broker.wire;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.apache.kafka.common.Uuid;

import java.util.UUID;

/**
 * The topic or partition a request names, or null when there is no such one (Kafka's UNKNOWN_TOPIC_OR_PARTITION): a
 * damaged topic counts as none.
 */
final class Partitions
{
    private Partitions()
    {
    }

    static Topic topic(final LogManager logs, final String topicName)
    {
        return topicName == null || !logs.hasTopic(topicName) ? null : logs.topic(topicName);
    }

    /**
     * A topic's id as Kafka's types spell it.
     */
    static Uuid kafkaId(final UUID topicId)
    {
        return new Uuid(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
    }

    static UUID engineId(final Uuid topicId)
    {
        return new UUID(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
    }

    static Partition find(final LogManager logs, final String topicName, final int partition)
    {
        return partition(topic(logs, topicName), partition);
    }

    /**
     * The topic's partition, or null when the topic is null or has no such partition.
     */
    static Partition partition(final Topic topic, final int partition)
    {
        return topic == null || partition < 0 || partition >= topic.partitionCount() ? null :
            topic.partition(partition);
    }

    /**
     * Whether the partition is led by another node of the cluster, so a request for it here is answered
     * NOT_LEADER_OR_FOLLOWER.
     */
    static boolean ledElsewhere(final Placement placement, final String topic, final int partition)
    {
        final Placement.Leadership leadership = topic == null ? null : placement.leadership(topic, partition);
        return leadership != null && leadership.leader() != placement.nodeId();
    }
}
