package io.loglab.broker.wire;

import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;

/**
 * The partition a request names, or null when there is no such topic or partition (Kafka's
 * UNKNOWN_TOPIC_OR_PARTITION).
 */
final class Partitions
{
    private Partitions()
    {
    }

    static Partition find(final LogManager logs, final String topicName, final int partition)
    {
        if (topicName == null || !logs.hasTopic(topicName))
        {
            return null;
        }
        final Topic topic = logs.topic(topicName);
        return topic == null || partition < 0 || partition >= topic.partitionCount() ? null :
            topic.partition(partition);
    }
}
