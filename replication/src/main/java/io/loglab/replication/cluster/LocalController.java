package io.loglab.replication.cluster;

import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.ControllerEffects;
import io.loglab.replication.controller.ControllerState;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ControllerClient;
import io.loglab.replication.node.ReplicaNode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The controller state machine hosted in one process, for nodes in the same JVM (the embedded cluster): one member,
 * no quorum, so it survives nothing; the replicated host is Aeron Cluster ({@link QuorumControllerHost}). Nodes'
 * heartbeats and proposals come in from their threads and its own thread gives it the time; every decision is
 * carried to every node at once ({@link ReplicaNode#createTopic}, {@link ReplicaNode#apply},
 * {@link ReplicaNode#deleteTopic}, which only enqueue but for a topic's creation).
 * <p>
 * Threading: every entry point takes this object's lock, so the state machine sees one input at a time.
 */
public final class LocalController implements ControllerHost, ControllerClient, ControllerEffects, Agent
{
    /** How often the controller looks for silent nodes. */
    private static final long TICK_MS = 5;

    private final ControllerState state;
    private final EpochClock clock;
    private final AgentRunner runner;
    private final ErrorHandler errorHandler;
    /** Guarded by this. */
    private final Map<Integer, ReplicaNode> nodes = new HashMap<>();
    /** Guarded by this: each topic's log settings, for the nodes that make it. */
    private final Map<String, LogConfig> logConfigs = new HashMap<>();

    /**
     * Start the controller's thread, which gives it the time.
     */
    public LocalController(final ControllerConfig config, final EpochClock clock, final ErrorHandler errorHandler)
    {
        this.state = new ControllerState(config, this);
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.runner = new AgentRunner(new SleepingMillisIdleStrategy(TICK_MS), errorHandler, null, this);
        AgentRunner.startOnThread(runner);
    }

    @Override
    public ControllerClient client(final int nodeId, final String aeronDirectory)
    {
        return this;
    }

    /**
     * Carry decisions to {@code node} from now on, starting with every topic and partition as they stand: its first
     * heartbeat may have come, and its decisions gone, before it was attached.
     */
    @Override
    public synchronized void attach(final ReplicaNode node)
    {
        nodes.put(node.nodeId(), node);
        for (final String topic : state.topics())
        {
            final int partitions = state.partitionCount(topic);
            createTopic(node, topic, state.topicId(topic), partitions, state.settings(topic));
            for (int p = 0; p < partitions; p++)
            {
                node.apply(topic, p, state.partition(topic, p));
            }
        }
    }

    @Override
    public synchronized void detach(final int nodeId)
    {
        nodes.remove(nodeId);
    }

    @Override
    public synchronized CompletableFuture<String> createTopic(final String name, final int partitionCount,
        final TopicSettings settings, final LogConfig logConfig)
    {
        if (state.partitionCount(name) == 0)
        {
            logConfigs.put(name, logConfig);
        }
        return CompletableFuture.completedFuture(state.createTopic(name, UUID.randomUUID(), partitionCount,
            settings));
    }

    @Override
    public synchronized void heartbeat(final int nodeId, final long incarnation)
    {
        state.onHeartbeat(nodeId, incarnation, clock.time());
    }

    @Override
    public synchronized void proposeIsr(final int leaderId, final String topic, final int partition,
        final int leaderEpoch, final int partitionEpoch, final int[] isr)
    {
        state.onIsrProposal(leaderId, topic, partition, leaderEpoch, partitionEpoch, isr);
    }

    @Override
    public synchronized void reportLog(final int nodeId, final long incarnation, final String topic,
        final int partition, final int leaderEpoch, final int latestEpoch, final long logEndOffset)
    {
        state.onLogReport(nodeId, incarnation, topic, partition, leaderEpoch, latestEpoch, logEndOffset);
    }
    @Override
    public synchronized CompletableFuture<String> deleteTopic(final String name)
    {
        logConfigs.remove(name);
        return CompletableFuture.completedFuture(state.deleteTopic(name));
    }

    @Override
    public void topicCreated(final String name, final UUID topicId, final int partitionCount,
        final TopicSettings settings, final int[][] replicas)
    {
        for (final ReplicaNode node : nodes.values())
        {
            createTopic(node, name, topicId, partitionCount, settings);
        }
    }

    private void createTopic(final ReplicaNode node, final String name, final UUID topicId, final int partitions,
        final TopicSettings settings)
    {
        try
        {
            node.createTopic(name, topicId, partitions, settings, logConfigs.get(name));
        }
        catch (final IOException | RuntimeException ex)
        {
            // One node's failure (its storage, or an earlier topic of the name not yet deleted there) is its own:
            // the controller's state, and every other node, go on.
            errorHandler.onError(ex);
        }
    }

    @Override
    public void topicDeleted(final String name, final UUID topicId)
    {
        for (final ReplicaNode node : nodes.values())
        {
            node.deleteTopic(name, topicId);
        }
    }

    @Override
    public void partitionChanged(final String topic, final UUID topicId, final int partition,
        final PartitionState decided)
    {
        // Every node hears every decision, as from the quorum: a broker on a node that holds no replica of the
        // partition still names its leader to clients.
        for (final ReplicaNode node : nodes.values())
        {
            node.apply(topic, partition, decided);
        }
    }

    @Override
    public synchronized int doWork()
    {
        state.onTime(clock.time());
        return 0;
    }

    @Override
    public String roleName()
    {
        return "local-controller";
    }

    @Override
    public void close()
    {
        CloseHelper.close(runner);
    }
}
