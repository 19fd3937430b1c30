package io.loglab.replication.cluster;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.AcksListener;
import io.loglab.replication.node.NodeContext;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.replica.ReplicaConfig;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * N replication nodes in one JVM, each with its own data directory, writer shards and embedded media driver, still
 * talking Aeron UDP over loopback, and a {@link LocalController} deciding leadership: what the benchmarks and tests
 * run without starting anything by hand. A node can be stopped (its replicas, transport and logs closed, as a crash
 * that loses nothing written) and started again on its directory, with a new incarnation.
 * <p>
 * Threading: the methods may be called from any thread, but a node is started and stopped by one at a time.
 */
public final class EmbeddedCluster implements AutoCloseable
{
    /** How often the controller looks for silent nodes. */
    private static final long CONTROLLER_TICK_MS = 5;

    private final Path dir;
    private final ReplicaConfig replicaConfig;
    private final AcksListener acksListener;
    private final ErrorHandler errorHandler;
    private final int writerThreads;
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final LocalController controller;
    private final AgentRunner controllerRunner;

    /**
     * One node: its logs and its replicas, while it runs.
     */
    public record Node(int id, LogManager logs, ReplicaNode replicas)
    {
        public Partition partition(final String topic, final int partition)
        {
            return logs.topic(topic).partition(partition);
        }
    }

    /**
     * Start {@code nodeCount} nodes, numbered from 1, under {@code dir}.
     *
     * @param nodeTimeoutMs how long the controller waits for a silent node before it moves its leaderships.
     */
    public EmbeddedCluster(final Path dir, final int nodeCount, final int writerThreads,
        final ReplicaConfig replicaConfig, final long nodeTimeoutMs, final AcksListener acksListener,
        final ErrorHandler errorHandler) throws IOException
    {
        if (nodeCount < 1)
        {
            throw new IllegalArgumentException("node count " + nodeCount + " must be at least 1");
        }
        this.dir = dir;
        this.replicaConfig = replicaConfig;
        this.acksListener = acksListener;
        this.errorHandler = errorHandler;
        this.writerThreads = writerThreads;
        this.controller = new LocalController(new ControllerConfig(nodeTimeoutMs), SystemEpochClock.INSTANCE);
        this.controllerRunner = new AgentRunner(new SleepingMillisIdleStrategy(CONTROLLER_TICK_MS), errorHandler,
            null, controller);
        AgentRunner.startOnThread(controllerRunner);
        try
        {
            for (int id = 1; id <= nodeCount; id++)
            {
                ports.put(id, freeUdpPort());
            }
            for (int id = 1; id <= nodeCount; id++)
            {
                start(id);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * Start node {@code id} on its directory (again, after {@link #stop}).
     */
    public Node start(final int id) throws IOException
    {
        if (nodes.containsKey(id) || !ports.containsKey(id))
        {
            throw new IllegalArgumentException("node " + id + " is running or not one of this cluster's");
        }
        final Path nodeDir = dir.resolve("node-" + id);
        final LogManager logs = LogManager.open(new LogManager.Context().dataDir(nodeDir.resolve("logs"))
            .writerThreads(writerThreads).highWatermarkPolicy(PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION)
            .errorHandler(errorHandler));
        final TransportContext transport = new TransportContext().endpoint("127.0.0.1:" + ports.get(id))
            .termLength(16 * 1024 * 1024);
        ports.forEach((peer, port) ->
        {
            if (peer != id)
            {
                transport.peer(peer, "127.0.0.1:" + port);
            }
        });
        final ReplicaNode replicas;
        try
        {
            replicas = ReplicaNode.launch(new NodeContext().nodeId(id).nodeDir(nodeDir).logs(logs)
                .transport(transport).replicaConfig(replicaConfig).controller(controller)
                .acksListener(acksListener).errorHandler(errorHandler));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(logs);
            throw ex;
        }
        controller.attach(replicas);
        final Node node = new Node(id, logs, replicas);
        nodes.put(id, node);
        return node;
    }

    /**
     * Stop node {@code id}: it sends nothing more, and its logs close with what was written.
     */
    public void stop(final int id)
    {
        final Node node = nodes.remove(id);
        if (node != null)
        {
            controller.detach(id);
            CloseHelper.closeAll(node.replicas(), node.logs());
        }
    }

    /**
     * Create a topic the controller spreads over the live nodes.
     *
     * @throws IllegalArgumentException saying why it could not be made.
     */
    public void createTopic(final String name, final int partitions, final TopicSettings settings,
        final LogConfig logConfig)
    {
        final String refused = controller.createTopic(name, partitions, settings, logConfig);
        if (refused != null)
        {
            throw new IllegalArgumentException(refused);
        }
    }

    /**
     * The running node, or null.
     */
    public Node node(final int id)
    {
        return nodes.get(id);
    }

    /**
     * Has the controller heard from node {@code id} within its timeout?
     */
    public boolean isAlive(final int id)
    {
        return controller.isAlive(id);
    }

    public PartitionState partition(final String topic, final int partition)
    {
        return controller.partition(topic, partition);
    }

    @Override
    public void close()
    {
        for (final int id : nodes.keySet().toArray(Integer[]::new))
        {
            stop(id);
        }
        CloseHelper.close(controllerRunner);
    }
}
