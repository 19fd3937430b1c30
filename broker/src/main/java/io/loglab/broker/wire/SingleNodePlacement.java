package io.loglab.broker.wire;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import io.loglab.replication.replica.CommitRule;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One broker that stores and leads every partition of every topic in its logs, with replication factor 1: acks=all
 * is the write made durable as the topic's flush policy says.
 */
public final class SingleNodePlacement implements Placement
{
    private final LogManager logs;
    private final BrokerAddress advertised;
    private final Leadership leadership;

    public SingleNodePlacement(final LogManager logs, final BrokerAddress advertised)
    {
        this.logs = logs;
        this.advertised = advertised;
        final int[] self = {advertised.nodeId()};
        this.leadership = new Leadership(advertised.nodeId(), -1, self, self);
    }

    @Override
    public int nodeId()
    {
        return advertised.nodeId();
    }

    @Override
    public List<BrokerAddress> brokers()
    {
        return List.of(advertised);
    }

    @Override
    public int controllerId()
    {
        return advertised.nodeId();
    }

    @Override
    public int defaultReplicationFactor()
    {
        return 1;
    }

    @Override
    public CommitRule defaultCommitRule()
    {
        return CommitRule.ISR;
    }

    @Override
    public int coordinatorId()
    {
        return advertised.nodeId();
    }

    @Override
    public int coordinatorEpoch()
    {
        return 0;
    }

    @Override
    public Topic offsetsTopic() throws IOException
    {
        return OffsetsTopic.ensure(logs);
    }

    @Override
    public List<PlacedTopic> topics()
    {
        return logs.topics().stream().map(SingleNodePlacement::placed).toList();
    }

    @Override
    public PlacedTopic topic(final String name)
    {
        final Topic topic = Partitions.topic(logs, name);
        return topic == null ? null : placed(topic);
    }

    private static PlacedTopic placed(final Topic topic)
    {
        return new PlacedTopic(topic.name(), topic.topicId(), topic.partitionCount(), 1, 1, CommitRule.ISR);
    }

    @Override
    public Leadership leadership(final String topic, final int partition)
    {
        return Partitions.find(logs, topic, partition) == null ? null : leadership;
    }

    @Override
    public boolean replicates()
    {
        return false;
    }

    @Override
    public void awaitCommit(final UUID topicId, final int partition, final long endOffset, final int leaderEpoch,
        final CommitWait wait)
    {
        throw new UnsupportedOperationException("a single node's write is its commit");
    }

    @Override
    public CompletableFuture<Refusal> deleteTopic(final String name)
    {
        try
        {
            logs.deleteTopic(name);
            return CompletableFuture.completedFuture(null);
        }
        catch (final IOException | RuntimeException ex)
        {
            return CompletableFuture.completedFuture(new Refusal(Errors.KAFKA_STORAGE_ERROR, ex.getMessage()));
        }
    }

    @Override
    public CompletableFuture<Refusal> createTopic(final String name, final int partitions,
        final int replicationFactor, final int minInsyncReplicas, final CommitRule commitRule, final LogConfig config)
    {
        // The handler refused a replication factor above the one broker, and so a min.insync.replicas above 1.
        if (commitRule != CommitRule.ISR)
        {
            return CompletableFuture.completedFuture(new Refusal(Errors.INVALID_CONFIG, "commit.rule=" +
                commitRule.name().toLowerCase() + ": one broker replicates nothing, so it commits what it writes"));
        }
        try
        {
            logs.createTopic(name, partitions, config);
            return CompletableFuture.completedFuture(null);
        }
        catch (final IllegalArgumentException ex)
        {
            return CompletableFuture.completedFuture(new Refusal(Errors.INVALID_REQUEST, ex.getMessage()));
        }
        catch (final IOException ex)
        {
            return CompletableFuture.completedFuture(new Refusal(Errors.KAFKA_STORAGE_ERROR, ex.getMessage()));
        }
    }

    @Override
    public long newProducerId() throws IOException
    {
        return logs.allocateProducerId();
    }
}
