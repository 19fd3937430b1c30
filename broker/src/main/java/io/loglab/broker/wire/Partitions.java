package io.loglab.broker.wire;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;

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

    static Partition find(final LogManager logs, final String topicName, final int partition)
    {
        final Topic topic = topic(logs, topicName);
        return topic == null || partition < 0 || partition >= topic.partitionCount() ? null :
            topic.partition(partition);
    }
}
