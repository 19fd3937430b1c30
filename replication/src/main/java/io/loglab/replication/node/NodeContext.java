package io.loglab.replication.node;

import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.topic.LogManager;
import io.loglab.replication.replica.ReplicaConfig;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings of one {@link ReplicaNode}, Aeron's way: set what differs from the defaults, then {@link #conclude()}
 * checks them all and fills in what is derived.
 * <ul>
 *     <li>{@code nodeId} (required, 0 or more) and {@code nodeDir} (required): the node's directory, which holds
 *     its incarnation ({@link NodeIncarnation}) and, unless the transport names another, its media driver's
 *     directory {@code aeron}.</li>
 *     <li>{@code logs} (required): the node's logs, opened on a data directory of their own with
 *     {@link PartitionLog.HighWatermarkPolicy#SET_BY_REPLICATION} so consumers read only what is committed.</li>
 *     <li>{@code transport} (required): its Aeron transport's settings; each peer's id is a node id. A replica
 *     message is at most an eighth of the term length, and must hold a topic's longest batch
 *     ({@code max.message.bytes}, 1 MiB by default) behind its 64-byte header: 16 MiB terms for the defaults.</li>
 *     <li>{@code replicaConfig}: the replicas' commit rule, {@code min.insync.replicas} and timings.</li>
 *     <li>{@code controller} (required): where heartbeats, every {@code heartbeatIntervalMs}
 *     ({@value #HEARTBEAT_INTERVAL_MS_DEFAULT} ms), and in-sync set proposals go; {@code acksListener} (default: none
 *     listens).</li>
 *     <li>{@code incarnation}: default the next one recorded in the data directory ({@link NodeIncarnation}).</li>
 * </ul>
 */
public final class NodeContext
{
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 100;

    static final String AERON_DIR_NAME = "aeron";

    private int nodeId = -1;
    private Path nodeDir;
    private LogManager logs;
    private TransportContext transport;
    private ReplicaConfig replicaConfig;
    private ControllerClient controller;
    private long heartbeatIntervalMs = HEARTBEAT_INTERVAL_MS_DEFAULT;
    private AcksListener acksListener = (topicId, partition, token, outcome) -> { };
    private ReplicationProbe probe = ReplicationProbe.NONE;
    private long incarnation;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private ErrorHandler errorHandler = Throwable::printStackTrace;
    private boolean concluded;

    /**
     * @throws IllegalArgumentException naming the first setting that is wrong.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("this context is already concluded");
        }
        if (nodeId < 0)
        {
            throw new IllegalArgumentException("node id must be given, 0 or more");
        }
        if (nodeDir == null || logs == null || transport == null || replicaConfig == null || controller == null)
        {
            throw new IllegalArgumentException("node directory, logs, transport, replica config and controller " +
                "must be given");
        }
        if (probe == null || acksListener == null)
        {
            throw new IllegalArgumentException("the probe and the acks listener may not be null (leave them unset)");
        }
        if (heartbeatIntervalMs < 1)
        {
            throw new IllegalArgumentException("heartbeat interval " + heartbeatIntervalMs + " ms must be at least 1");
        }
        if (logs.highWatermarkPolicy() != PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION)
        {
            throw new IllegalArgumentException("the logs in " + logs.dataDir() + " move the high watermark with the " +
                "log end: a node's logs must be opened with SET_BY_REPLICATION, or consumers read what is not " +
                "committed");
        }
        if (logs.dataDir().toAbsolutePath().normalize().equals(nodeDir.toAbsolutePath().normalize()))
        {
            throw new IllegalArgumentException("the logs' data directory " + logs.dataDir() + " must be one of its " +
                "own, not the node directory");
        }
        if (transport.aeronDirectory() == null)
        {
            transport.aeronDirectory(nodeDir.resolve(AERON_DIR_NAME));
        }
        transport.errorHandler(errorHandler);
        if (transport.peers().containsKey(nodeId))
        {
            throw new IllegalArgumentException("node " + nodeId + " is named among its own peers");
        }
        if (incarnation <= 0)
        {
            try
            {
                Files.createDirectories(nodeDir);
                incarnation = NodeIncarnation.next(nodeDir);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    public NodeContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public NodeContext nodeDir(final Path nodeDir)
    {
        this.nodeDir = nodeDir;
        return this;
    }

    public Path nodeDir()
    {
        return nodeDir;
    }

    public NodeContext logs(final LogManager logs)
    {
        this.logs = logs;
        return this;
    }

    public LogManager logs()
    {
        return logs;
    }

    public NodeContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }

    public TransportContext transport()
    {
        return transport;
    }

    public NodeContext replicaConfig(final ReplicaConfig replicaConfig)
    {
        this.replicaConfig = replicaConfig;
        return this;
    }

    public ReplicaConfig replicaConfig()
    {
        return replicaConfig;
    }

    public NodeContext controller(final ControllerClient controller)
    {
        this.controller = controller;
        return this;
    }

    public ControllerClient controller()
    {
        return controller;
    }

    /**
     * How often the node tells the controller it is alive: a small part of the controller's node timeout.
     */
    public NodeContext heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    public NodeContext acksListener(final AcksListener acksListener)
    {
        this.acksListener = acksListener;
        return this;
    }

    public AcksListener acksListener()
    {
        return acksListener;
    }

    /**
     * Told as records pass each stage of replication on this node, for stage attribution (default: nothing).
     */
    public NodeContext probe(final ReplicationProbe probe)
    {
        this.probe = probe;
        return this;
    }

    public ReplicationProbe probe()
    {
        return probe;
    }

    /**
     * Only for tests that restart a node in one JVM at a chosen incarnation; a node otherwise takes the next one its
     * data directory records.
     */
    public NodeContext incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    public long incarnation()
    {
        return incarnation;
    }

    public NodeContext clock(final EpochClock clock)
    {
        this.clock = clock;
        return this;
    }

    public EpochClock clock()
    {
        return clock;
    }

    public NodeContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
