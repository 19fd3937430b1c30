package io.loglab.broker.cluster;

import io.loglab.broker.group.GroupConfig;
import io.loglab.replication.replica.CommitRule;
import io.loglab.transport.aeron.TransportContext;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's settings, and the one home of a node's properties file ({@code loglab node --config FILE}, written by
 * {@code loglab cluster start}):
 * <pre>
 * node.id=1
 * data.dir=/data/node-1                     logs, the node's media driver and its controller member under it
 * nodes=1@127.0.0.1:19092:20001,2@...       every node: id@host:kafka-port:replica-udp-port
 * controller.quorum=1@127.0.0.1:21000,2@... the controller members: id@host:first of five UDP ports; a node hosts
 *                                           the member of its own id, if any (three for a quorum, or one)
 * default.replication.factor=3              of a topic made without one (default: 3, or fewer nodes)
 * commit.rule=isr                           of a topic made without one: isr (Kafka's) or majority (Raft's)
 * replica.lag.time.max.ms=10000             a follower this far behind leaves the in-sync set
 * node.timeout.ms=1500                      a node silent this long is dead to the controller
 * writer.threads=1
 * group.*, offset.metadata.max.bytes        group settings ({@link GroupConfig})
 * </pre>
 * The replica links' datagrams are as large as Aeron takes when every node's host is a loopback address, and
 * Aeron's default (for a 1500-byte Ethernet frame) otherwise ({@link #replicaMtuLength}).
 * Every setting is checked when read, and an error names the setting.
 */
public final class NodeConfig
{
    public static final String NODE_ID = "node.id";
    public static final String DATA_DIR = "data.dir";
    public static final String NODES = "nodes";
    public static final String CONTROLLER_QUORUM = "controller.quorum";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String COMMIT_RULE = "commit.rule";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String NODE_TIMEOUT_MS = "node.timeout.ms";
    public static final String WRITER_THREADS = "writer.threads";
    private static final Set<String> NAMES = Set.of(NODE_ID, DATA_DIR, NODES, CONTROLLER_QUORUM,
        DEFAULT_REPLICATION_FACTOR, COMMIT_RULE, REPLICA_LAG_TIME_MAX_MS, NODE_TIMEOUT_MS, WRITER_THREADS);
    /** The largest node id: the in-sync set travels as a bit per node in a 64-bit counter. */
    public static final int MAX_NODE_ID = 62;
    /** A controller member listens on five UDP ports from its first: ingress, consensus, log, catch-up, archive. */
    public static final int CONTROLLER_PORTS = 5;

    /**
     * A node of the cluster, as every node knows it.
     */
    public record NodeAddress(int id, String host, int kafkaPort, int replicaPort)
    {
    }

    /**
     * A controller member: its id (a node's) and its first port.
     */
    public record MemberAddress(int id, String host, int firstPort)
    {
    }

    private final int nodeId;
    private final Path dataDir;
    private final List<NodeAddress> nodes;
    private final List<MemberAddress> quorum;
    private final int defaultReplicationFactor;
    private final CommitRule commitRule;
    private final long replicaLagTimeMaxMs;
    private final long nodeTimeoutMs;
    private final int writerThreads;
    private final GroupConfig groupConfig;

    public NodeConfig(final int nodeId, final Path dataDir, final List<NodeAddress> nodes,
        final List<MemberAddress> quorum, final int defaultReplicationFactor, final CommitRule commitRule,
        final long replicaLagTimeMaxMs, final long nodeTimeoutMs, final int writerThreads,
        final GroupConfig groupConfig)
    {
        this.nodeId = nodeId;
        this.dataDir = dataDir;
        this.nodes = List.copyOf(nodes);
        this.quorum = List.copyOf(quorum);
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.commitRule = commitRule;
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
        this.nodeTimeoutMs = nodeTimeoutMs;
        this.writerThreads = writerThreads;
        this.groupConfig = groupConfig;
        require(nodes.stream().allMatch(node -> node.id() >= 0 && node.id() <= MAX_NODE_ID), NODES, nodes,
            "node ids 0 to " + MAX_NODE_ID);
        require(nodes.stream().anyMatch(node -> node.id() == nodeId), NODE_ID, nodeId, "one of " + NODES);
        require(nodes.stream().map(NodeAddress::id).distinct().count() == nodes.size(), NODES, nodes,
            "node ids each once");
        require(quorum.size() == 1 || quorum.size() == 3, CONTROLLER_QUORUM, quorum, "one member or three");
        require(quorum.stream().allMatch(member -> nodes.stream().anyMatch(node -> node.id() == member.id())),
            CONTROLLER_QUORUM, quorum, "members of the nodes' ids");
        require(defaultReplicationFactor >= 1 && defaultReplicationFactor <= nodes.size(),
            DEFAULT_REPLICATION_FACTOR, defaultReplicationFactor, "1 to the " + nodes.size() + " nodes");
        require(replicaLagTimeMaxMs >= 1, REPLICA_LAG_TIME_MAX_MS, replicaLagTimeMaxMs, "at least 1");
        require(nodeTimeoutMs >= 1, NODE_TIMEOUT_MS, nodeTimeoutMs, "at least 1");
        require(writerThreads >= 1, WRITER_THREADS, writerThreads, "at least 1");
    }

    private static void require(final boolean valid, final String name, final Object value, final String rule)
    {
        if (!valid)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not valid: must be " + rule);
        }
    }

    /**
     * Read a node's properties file.
     *
     * @throws IllegalArgumentException naming the file and the setting that is missing, unknown or wrong.
     */
    public static NodeConfig read(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("no node config at " + file);
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file))
        {
            properties.load(reader);
        }
        try
        {
            return fromProperties(properties);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
    }

    static NodeConfig fromProperties(final Properties properties)
    {
        final Properties groups = new Properties();
        for (final String name : properties.stringPropertyNames())
        {
            if (GroupConfig.NAMES.contains(name))
            {
                groups.setProperty(name, properties.getProperty(name));
            }
            else if (!NAMES.contains(name))
            {
                throw new IllegalArgumentException("unknown setting " + name + " (known: " +
                    String.join(", ", new TreeSet<>(NAMES)) + ", and the group settings " +
                    String.join(", ", GroupConfig.NAMES) + ")");
            }
        }
        final List<NodeAddress> nodes = new ArrayList<>();
        for (final String[] node : list(required(properties, NODES), NODES, 4))
        {
            nodes.add(new NodeAddress(integer(NODES, node[0]), node[1], port(NODES, node[2]), port(NODES, node[3])));
        }
        final List<MemberAddress> quorum = new ArrayList<>();
        for (final String[] member : list(required(properties, CONTROLLER_QUORUM), CONTROLLER_QUORUM, 3))
        {
            quorum.add(new MemberAddress(integer(CONTROLLER_QUORUM, member[0]), member[1],
                port(CONTROLLER_QUORUM, member[2])));
        }
        return new NodeConfig(
            integer(NODE_ID, required(properties, NODE_ID)),
            Path.of(required(properties, DATA_DIR)),
            nodes,
            quorum,
            integer(DEFAULT_REPLICATION_FACTOR, properties.getProperty(DEFAULT_REPLICATION_FACTOR,
                String.valueOf(Math.min(3, nodes.size())))),
            commitRule(properties.getProperty(COMMIT_RULE, "isr")),
            longValue(REPLICA_LAG_TIME_MAX_MS, properties.getProperty(REPLICA_LAG_TIME_MAX_MS, "10000")),
            longValue(NODE_TIMEOUT_MS, properties.getProperty(NODE_TIMEOUT_MS, "1500")),
            integer(WRITER_THREADS, properties.getProperty(WRITER_THREADS, "1")),
            GroupConfig.fromProperties(groups));
    }

    /**
     * Write this config as a properties file {@link #read} takes; group settings are left to their defaults.
     */
    public void write(final Path file) throws IOException
    {
        final StringBuilder text = new StringBuilder("# loglab node ").append(nodeId).append('\n');
        text.append(NODE_ID).append('=').append(nodeId).append('\n');
        text.append(DATA_DIR).append('=').append(dataDir.toAbsolutePath()).append('\n');
        text.append(NODES).append('=').append(String.join(",", nodes.stream().map(node -> node.id() + "@" +
            node.host() + ":" + node.kafkaPort() + ":" + node.replicaPort()).toList())).append('\n');
        text.append(CONTROLLER_QUORUM).append('=').append(String.join(",", quorum.stream().map(member ->
            member.id() + "@" + member.host() + ":" + member.firstPort()).toList())).append('\n');
        text.append(DEFAULT_REPLICATION_FACTOR).append('=').append(defaultReplicationFactor).append('\n');
        text.append(COMMIT_RULE).append('=').append(commitRule.name().toLowerCase()).append('\n');
        text.append(REPLICA_LAG_TIME_MAX_MS).append('=').append(replicaLagTimeMaxMs).append('\n');
        text.append(NODE_TIMEOUT_MS).append('=').append(nodeTimeoutMs).append('\n');
        text.append(WRITER_THREADS).append('=').append(writerThreads).append('\n');
        try (Writer writer = Files.newBufferedWriter(file))
        {
            writer.write(text.toString());
        }
    }

    private static String required(final Properties properties, final String name)
    {
        final String value = properties.getProperty(name);
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value.trim();
    }

    /**
     * {@code id@host:port[:port]} entries split into their {@code fields}.
     */
    private static List<String[]> list(final String value, final String name, final int fields)
    {
        final List<String[]> entries = new ArrayList<>();
        for (final String entry : value.split(","))
        {
            final String trimmed = entry.trim();
            final int at = trimmed.indexOf('@');
            final String[] rest = at < 0 ? new String[0] : trimmed.substring(at + 1).split(":");
            if (at < 1 || rest.length != fields - 1)
            {
                throw new IllegalArgumentException(name + ": entry '" + trimmed + "' is not id@host" +
                    ":port".repeat(fields - 2));
            }
            final String[] split = new String[fields];
            split[0] = trimmed.substring(0, at);
            System.arraycopy(rest, 0, split, 1, rest.length);
            entries.add(split);
        }
        return entries;
    }

    private static int integer(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number", ex);
        }
    }

    private static long longValue(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number", ex);
        }
    }

    private static int port(final String name, final String value)
    {
        final int port = integer(name, value);
        require(port >= 1 && port <= 65_535, name, value, "a port number, 1 to 65535");
        return port;
    }

    private static CommitRule commitRule(final String value)
    {
        return switch (value.trim().toLowerCase())
        {
            case "isr" -> CommitRule.ISR;
            case "majority" -> CommitRule.MAJORITY;
            default -> throw new IllegalArgumentException(COMMIT_RULE + "=" + value + " is not valid: must be isr " +
                "or majority");
        };
    }

    public int nodeId()
    {
        return nodeId;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public List<NodeAddress> nodes()
    {
        return nodes;
    }

    public List<MemberAddress> quorum()
    {
        return quorum;
    }

    public int defaultReplicationFactor()
    {
        return defaultReplicationFactor;
    }

    public CommitRule commitRule()
    {
        return commitRule;
    }

    public long replicaLagTimeMaxMs()
    {
        return replicaLagTimeMaxMs;
    }

    public long nodeTimeoutMs()
    {
        return nodeTimeoutMs;
    }

    /**
     * The replica links' MTU: {@link TransportContext#LOOPBACK_MTU} when every node is on loopback (a datagram then
     * carries a whole replica message: 0.8-1.1 GB/s for Aeron's own sample against 0.26-0.38 at the default here),
     * {@link TransportContext#DEFAULT_MTU} otherwise.
     */
    public int replicaMtuLength()
    {
        for (final NodeAddress node : nodes)
        {
            final boolean loopback;
            try
            {
                loopback = InetAddress.getByName(node.host()).isLoopbackAddress();
            }
            catch (final UnknownHostException ex)
            {
                return TransportContext.DEFAULT_MTU;
            }
            if (!loopback)
            {
                return TransportContext.DEFAULT_MTU;
            }
        }
        return TransportContext.LOOPBACK_MTU;
    }

    public int writerThreads()
    {
        return writerThreads;
    }

    public GroupConfig groupConfig()
    {
        return groupConfig;
    }

    /**
     * This node's own address.
     */
    public NodeAddress self()
    {
        return nodes.stream().filter(node -> node.id() == nodeId).findFirst().orElseThrow();
    }
}
