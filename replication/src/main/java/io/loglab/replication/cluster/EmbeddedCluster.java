package io.loglab.replication.cluster;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.NodeContext;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.node.ReplicaStatus;
import io.loglab.transport.aeron.DriverProfile;
import io.loglab.transport.aeron.SharedMediaDriver;
import io.loglab.transport.aeron.LoopbackPorts;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N replication nodes in one JVM, each with its own data directory and writer shards, all sharing one embedded media
 * driver ({@link SharedMediaDriver}: one driver thread, not N) and still talking Aeron UDP to each other's endpoints
 * over loopback, and a controller deciding leadership ({@link ControllerHost}: in this JVM, or a
 * quorum): what the benchmarks and tests run without starting anything by hand. A node can be stopped (its replicas, transport and logs closed, as a crash
 * that loses nothing written) and started again on its directory, with a new incarnation.
 * <p>
 * Threading: the methods may be called from any thread, but a node is started and stopped by one at a time.
 */
public final class EmbeddedCluster implements AutoCloseable
{
    private static final long CREATE_RETRY_MS = 50;
    private static final long AWAIT_POLL_MS = 10;
    /** A replica message carries up to an eighth: 2 MiB, more than Kafka's default max.message.bytes. */
    public static final int TERM_LENGTH = 16 * 1024 * 1024;

    private final ClusterContext ctx;
    private final Path dir;
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final ControllerHost controller;
    /** The one media driver every node's transport connects to. */
    private final SharedMediaDriver driver;

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
     * Start the context's nodes, numbered from 1, under its directory, with its controller deciding (closed with the
     * cluster).
     *
     * @param ctx concluded here.
     */
    public EmbeddedCluster(final ClusterContext ctx) throws IOException
    {
        this.ctx = ctx;
        this.dir = ctx.dir();
        this.controller = ctx.controller();
        try
        {
            ctx.conclude();
            // The driver keeps Aeron's default MTU for what else uses it (the controller quorum's sessions); the
            // replica links set theirs.
            this.driver = SharedMediaDriver.launch(new TransportContext().aeronDirectory(dir.resolve("aeron"))
                .termLength(TERM_LENGTH).profile(ctx.driverProfile()));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(controller);
            throw ex;
        }
        final int nodeCount = ctx.nodeCount();
        try
        {
            for (int id = 1; id <= nodeCount; id++)
            {
                ports.put(id, LoopbackPorts.freeUdpPort());
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
        final LogManager logs = LogManager.open(new LogManagerContext().dataDir(nodeDir.resolve("logs"))
            .writerThreads(ctx.writerThreads())
            .highWatermarkPolicy(PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION)
            .errorHandler(ctx.errorHandler()));
        final Path aeronDir = driver.directory();
        final TransportContext transport = new TransportContext().endpoint(endpoint(id)).aeronDirectory(aeronDir)
            .launchDriver(false).termLength(TERM_LENGTH).mtuLength(TransportContext.LOOPBACK_MTU);
        for (final int peer : ports.keySet())
        {
            if (peer != id)
            {
                transport.peer(peer, endpoint(peer));
            }
        }
        final ReplicaNode replicas;
        try
        {
            replicas = ReplicaNode.launch(new NodeContext().nodeId(id).nodeDir(nodeDir).logs(logs)
                .transport(transport).replicaConfig(ctx.replicaConfig())
                .controller(controller.client(id, aeronDir.toString())).acksListener(ctx.acksListener())
                .probe(ctx.probe()).errorHandler(ctx.errorHandler()));
        }
        catch (final RuntimeException ex)
        {
            controller.detach(id);
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
     * Create a topic the controller spreads over the live nodes, asking again while it has not heard from enough of
     * them yet (nodes just started), for at most {@code timeoutMs}.
     *
     * @throws IllegalArgumentException saying why it could not be made.
     */
    public void createTopic(final String name, final int partitions, final TopicSettings settings,
        final LogConfig logConfig, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            final String refused;
            try
            {
                refused = controller.createTopic(name, partitions, settings, logConfig)
                    .get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                throw new IllegalArgumentException("the controller did not answer the creation of " + name, ex);
            }
            if (refused == null)
            {
                return;
            }
            if (!refused.contains("live nodes") || System.currentTimeMillis() > deadline)
            {
                throw new IllegalArgumentException(refused);
            }
            Thread.sleep(CREATE_RETRY_MS);
        }
    }

    /**
     * The {@code host:port} node {@code id} receives on, running or not.
     *
     * @throws IllegalArgumentException for a node not of this cluster.
     */
    public String endpoint(final int id)
    {
        final Integer port = ports.get(id);
        if (port == null)
        {
            throw new IllegalArgumentException("node " + id + " is not one of this cluster's: " + ports.keySet());
        }
        return "127.0.0.1:" + port;
    }

    /**
     * The running node, or null.
     */
    public Node node(final int id)
    {
        return nodes.get(id);
    }

    /**
     * The running node that leads the partition in the newest leader epoch any running node knows, with its status,
     * or null while none does.
     */
    public Leader leader(final String topic, final int partition) throws Exception
    {
        Leader leader = null;
        int newestEpoch = -1;
        for (final Node node : nodes.values())
        {
            for (final ReplicaStatus status : node.replicas().status().get())
            {
                if (status.partition() == partition && status.topicId().equals(node.logs().topic(topic).topicId()))
                {
                    newestEpoch = Math.max(newestEpoch, status.leaderEpoch());
                    if (status.role() == ReplicaStatus.Role.LEADER &&
                        (leader == null || status.leaderEpoch() > leader.status().leaderEpoch()))
                    {
                        leader = new Leader(node, status);
                    }
                }
            }
        }
        return leader != null && leader.status().leaderEpoch() == newestEpoch ? leader : null;
    }

    /**
     * Wait, for at most {@code timeoutMs}, until the partition has a leader with {@code inSync} replicas in sync
     * (itself among them).
     *
     * @throws IllegalStateException if none had by then.
     */
    public Leader awaitLeader(final String topic, final int partition, final int inSync, final long timeoutMs)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Leader leader = leader(topic, partition);
        while (leader == null || leader.status().isr().length < inSync)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(topic + "-" + partition + ": no leader with " + inSync +
                    " replicas in sync within " + timeoutMs + " ms");
            }
            Thread.sleep(AWAIT_POLL_MS);
            leader = leader(topic, partition);
        }
        return leader;
    }

    /**
     * A partition's leader: its node and what it said of the partition.
     */
    public record Leader(Node node, ReplicaStatus status)
    {
    }

    @Override
    public void close()
    {
        for (final int id : nodes.keySet().toArray(Integer[]::new))
        {
            stop(id);
        }
        CloseHelper.closeAll(controller, driver);
    }
}
