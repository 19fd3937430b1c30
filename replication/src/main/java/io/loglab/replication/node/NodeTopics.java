package io.loglab.replication.node;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import io.loglab.replication.controller.TopicSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

/**
 * The topics a node holds as the controller makes and deletes them, and their replicas here: a topic's logs are
 * made before the node's Metadata names it, and its Metadata goes before its replicas and logs; a replica is made at
 * the first decision for its partition.
 * <p>
 * Threading: {@link #create}, {@link #delete} and {@link #retain} on the controller session's thread (the logs are
 * made under their lock, the rest is a command to the node's thread); {@link #replica} on the node's thread.
 */
final class NodeTopics
{
    private final ReplicaNode node;
    private final NodeContext ctx;
    private final ClusterMetadata metadata;
    private final ReplicaTable table;
    private final LeaderlessLogs leaderless;

    NodeTopics(final ReplicaNode node, final NodeContext ctx, final ClusterMetadata metadata, final ReplicaTable table,
        final LeaderlessLogs leaderless)
    {
        this.node = node;
        this.ctx = ctx;
        this.metadata = metadata;
        this.table = table;
        this.leaderless = leaderless;
    }

    /**
     * @see ReplicaNode#createTopic
     */
    void create(final String name, final UUID topicId, final int partitionCount, final TopicSettings settings,
        final LogConfig config) throws IOException
    {
        final LogManager logs = ctx.logs();
        synchronized (logs)
        {
            if (logs.hasTopic(name) && !logs.topic(name).topicId().equals(topicId))
            {
                setAside(name, logs.topic(name).topicId(), topicId);
            }
            if (!logs.hasTopic(name))
            {
                logs.createTopic(name, partitionCount, config, topicId);
            }
        }
        // Only once the logs hold it: a broker names no topic its node cannot serve.
        metadata.onTopic(name, topicId, partitionCount, settings);
    }

    /**
     * The logs hold a topic of the controller's new topic's name under another id: one the controller deleted while
     * this node did not hear (it was down), which no replica here serves, since this node heard of no topic of that
     * id from the controller. Its logs are quarantined whole, told on stderr, and the name is the new topic's. One
     * this node heard of is its live topic as far as it knows: refused, until the resync that deletes it.
     *
     * @throws IllegalArgumentException for a held topic this node heard of.
     */
    private void setAside(final String name, final UUID heldId, final UUID topicId) throws IOException
    {
        final ClusterMetadata.TopicMetadata heard = metadata.topic(name);
        if (heard != null && heard.topicId().equals(heldId))
        {
            throw new IllegalArgumentException("topic " + name + " is held here under id " + heldId +
                ", not the controller's " + topicId + ", and this node serves it");
        }
        final Path aside = ctx.logs().quarantineTopic(name);
        System.err.println("loglab node " + ctx.nodeId() + ": topic " + name + " is held here under id " + heldId +
            ", not the controller's " + topicId + " (deleted while this node did not hear): its logs are moved to " +
            aside + ", kept, and the topic is made anew");
    }

    /**
     * @see ReplicaNode#deleteTopic
     */
    void delete(final String name, final UUID topicId)
    {
        metadata.onTopicDeleted(name, topicId);
        node.enqueue(now ->
        {
            for (final PartitionReplica replica : table.removeTopic(topicId))
            {
                replica.stop(Integer.MAX_VALUE);
                replica.closeCounters();
            }
            leaderless.forget(name);
            final LogManager logs = ctx.logs();
            try
            {
                synchronized (logs)
                {
                    if (logs.hasTopic(name) && logs.topic(name).topicId().equals(topicId))
                    {
                        logs.deleteTopic(name);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                node.onError(ex);
            }
        });
    }

    /**
     * @see ReplicaNode#retainTopics
     */
    void retain(final Set<String> controllerTopics)
    {
        for (final ClusterMetadata.TopicMetadata heard : metadata.topics())
        {
            if (!controllerTopics.contains(heard.name()))
            {
                System.err.println("loglab node " + ctx.nodeId() + ": deleting topic " + heard.name() + " (id " +
                    heard.topicId() + "): the controller deleted it while this node did not hear");
                delete(heard.name(), heard.topicId());
            }
        }
    }

    /**
     * The replica of a partition of a topic in this node's logs, made on first mention, by the topic's commit rule
     * and {@code min.insync.replicas}.
     *
     * @throws IllegalArgumentException if the node's logs have no such topic or partition, or the topic's batches may
     *                                  be longer than a replica message.
     */
    PartitionReplica replica(final String name, final int partition)
    {
        final Topic topic = ctx.logs().topic(name);
        if (partition < 0 || partition >= topic.partitionCount())
        {
            throw new IllegalArgumentException("topic " + name + " has no partition " + partition);
        }
        node.sender().requireFits(topic);
        final UUID id = topic.topicId();
        PartitionReplica replica = table.find(id, partition);
        if (replica == null)
        {
            final ClusterMetadata.TopicMetadata decided = metadata.topic(name);
            replica = new PartitionReplica(node, id, partition, topic.partition(partition), decided == null ?
                ctx.replicaConfig() : ctx.replicaConfig().forTopic(decided.settings().commitRule(),
                    decided.settings().minInsyncReplicas()));
            table.add(id, topic.partitionCount(), partition, replica);
        }
        return replica;
    }
}
