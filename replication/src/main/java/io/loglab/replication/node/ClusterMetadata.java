package io.loglab.replication.node;

import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a node has heard of the controller's decisions for every topic and partition, its own or not: what a broker
 * on the node tells clients (each partition's leader, epoch, replicas and in-sync set) and checks before an acks=all
 * append (the topic's {@code min.insync.replicas}). A decision older than the one held (by leader epoch, then
 * partition epoch) changes nothing, so one heard twice or late does no harm.
 * <p>
 * Threading: written by whichever thread carries the controller's decisions to the node, and the epochs this node
 * leads in by the node's thread; read by any thread without a lock (a concurrent map of topics, each partition's
 * decision an immutable record in an atomic array, its led epoch in an atomic int array).
 */
public final class ClusterMetadata
{
    /**
     * A topic as the controller made it.
     *
     * @param settings its replication factor, {@code min.insync.replicas} (the fewest in-sync replicas acks=all is
     *                 taken with) and commit rule.
     */
    public record TopicMetadata(String name, UUID topicId, TopicSettings settings,
        AtomicReferenceArray<PartitionState> partitions, AtomicIntegerArray ledEpochs)
    {
        private TopicMetadata(final String name, final UUID topicId, final TopicSettings settings,
            final int partitionCount)
        {
            this(name, topicId, settings, new AtomicReferenceArray<>(partitionCount),
                new AtomicIntegerArray(partitionCount));
            for (int p = 0; p < partitionCount; p++)
            {
                ledEpochs.set(p, NOT_LED);
            }
        }

        /**
         * The leader epoch this node leads {@code partition} in now, its leader stamped and serving; or
         * {@link #NOT_LED}. What the controller decided may be ahead of it by a moment.
         */
        public int ledEpoch(final int partition)
        {
            return partition >= 0 && partition < ledEpochs.length() ? ledEpochs.get(partition) : NOT_LED;
        }

        public int partitionCount()
        {
            return partitions.length();
        }

        /**
         * The decision for {@code partition}, or null if none was heard yet or there is no such partition.
         */
        public PartitionState partition(final int partition)
        {
            return partition >= 0 && partition < partitions.length() ? partitions.get(partition) : null;
        }
    }

    /** Not led by this node now. */
    public static final int NOT_LED = -1;

    private final Map<String, TopicMetadata> topics = new ConcurrentHashMap<>();

    void onTopic(final String name, final UUID topicId, final int partitionCount, final TopicSettings settings)
    {
        topics.compute(name, (key, held) -> held != null && held.topicId().equals(topicId) &&
            held.partitionCount() >= partitionCount ? held :
            new TopicMetadata(name, topicId, settings, partitionCount));
    }

    void onTopicDeleted(final String name, final UUID topicId)
    {
        topics.computeIfPresent(name, (key, held) -> held.topicId().equals(topicId) ? null : held);
    }

    void onPartition(final String topic, final int partition, final PartitionState decided)
    {
        final TopicMetadata held = topics.get(topic);
        if (held == null || partition < 0 || partition >= held.partitionCount())
        {
            return;
        }
        final AtomicReferenceArray<PartitionState> partitions = held.partitions();
        partitions.getAndUpdate(partition, current -> current == null || isNewer(decided, current) ? decided :
            current);
    }

    /**
     * The node's thread: this node leads {@code partition} in {@code leaderEpoch} now, or ({@link #NOT_LED}) no more.
     */
    void onLed(final String topic, final int partition, final int leaderEpoch)
    {
        final TopicMetadata held = topics.get(topic);
        if (held != null && partition >= 0 && partition < held.partitionCount())
        {
            held.ledEpochs().set(partition, leaderEpoch);
        }
    }

    private static boolean isNewer(final PartitionState decided, final PartitionState current)
    {
        return decided.leaderEpoch() > current.leaderEpoch() || decided.leaderEpoch() == current.leaderEpoch() &&
            decided.partitionEpoch() >= current.partitionEpoch();
    }

    /**
     * The topic, or null if the controller's making of it was not heard.
     */
    public TopicMetadata topic(final String name)
    {
        return topics.get(name);
    }

    /**
     * Every topic heard of, in no order.
     */
    public List<TopicMetadata> topics()
    {
        return new ArrayList<>(topics.values());
    }
}
