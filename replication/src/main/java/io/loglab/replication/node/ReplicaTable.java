package io.loglab.replication.node;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A node's replicas, found by topic id and partition without allocating (a replica message names its partition by
 * the topic id's two longs): by the id's most significant bits, then a short chain of the topics sharing them, then
 * an array by partition, grown as the topic grows.
 * <p>
 * Threading: the node's thread only.
 */
final class ReplicaTable
{
    private record TopicReplicas(long leastSignificantBits, PartitionReplica[] partitions)
    {
    }

    private final Long2ObjectHashMap<List<TopicReplicas>> topics = new Long2ObjectHashMap<>();
    private final List<PartitionReplica> all = new ArrayList<>();

    /**
     * The replica of the partition, or null if there is none here.
     */
    PartitionReplica find(final long mostSignificantBits, final long leastSignificantBits, final int partition)
    {
        final TopicReplicas topic = topic(mostSignificantBits, leastSignificantBits);
        return topic == null || partition < 0 || partition >= topic.partitions().length ? null :
            topic.partitions()[partition];
    }

    PartitionReplica find(final UUID topicId, final int partition)
    {
        return find(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits(), partition);
    }

    /**
     * Hold {@code replica} for {@code partition} of the topic of {@code partitionCount} partitions.
     */
    void add(final UUID topicId, final int partitionCount, final int partition, final PartitionReplica replica)
    {
        final List<TopicReplicas> chain =
            topics.computeIfAbsent(topicId.getMostSignificantBits(), k -> new ArrayList<>());
        TopicReplicas held = topic(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
        if (held == null || held.partitions().length < partitionCount)
        {
            final PartitionReplica[] grown = new PartitionReplica[partitionCount];
            if (held != null)
            {
                System.arraycopy(held.partitions(), 0, grown, 0, held.partitions().length);
                chain.remove(held);
            }
            held = new TopicReplicas(topicId.getLeastSignificantBits(), grown);
            chain.add(held);
        }
        held.partitions()[partition] = replica;
        all.add(replica);
    }

    /**
     * Hold no more replicas of the topic.
     *
     * @return those it held, in partition order.
     */
    List<PartitionReplica> removeTopic(final UUID topicId)
    {
        final TopicReplicas held = topic(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
        if (held == null)
        {
            return List.of();
        }
        final List<TopicReplicas> chain = topics.get(topicId.getMostSignificantBits());
        chain.remove(held);
        if (chain.isEmpty())
        {
            topics.remove(topicId.getMostSignificantBits());
        }
        final List<PartitionReplica> removed = new ArrayList<>();
        for (final PartitionReplica replica : held.partitions())
        {
            if (replica != null)
            {
                removed.add(replica);
                all.remove(replica);
            }
        }
        return removed;
    }

    /**
     * Every replica, in the order they were made: the node's duty cycle walks it.
     */
    List<PartitionReplica> all()
    {
        return all;
    }

    private TopicReplicas topic(final long mostSignificantBits, final long leastSignificantBits)
    {
        final List<TopicReplicas> chain = topics.get(mostSignificantBits);
        if (chain != null)
        {
            for (int i = 0, size = chain.size(); i < size; i++)
            {
                if (chain.get(i).leastSignificantBits() == leastSignificantBits)
                {
                    return chain.get(i);
                }
            }
        }
        return null;
    }
}
