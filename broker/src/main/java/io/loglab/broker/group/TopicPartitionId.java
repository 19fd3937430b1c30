package io.loglab.broker.group;

/**
 * A topic's partition, as offsets are committed for it; ordered by topic, then partition.
 */
public record TopicPartitionId(String topic, int partition) implements Comparable<TopicPartitionId>
{
    @Override
    public int compareTo(final TopicPartitionId other)
    {
        final int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }
}
