package io.loglab.broker.cluster;

import io.loglab.broker.Broker;
import io.loglab.broker.wire.BrokerAddress;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.node.NodeContext;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.quorum.ControllerMember;
import io.loglab.replication.quorum.QuorumControllerClient;
import io.loglab.replication.replica.ReplicaConfig;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a cluster in its own process ({@code loglab node}): its logs, its replicas and their media driver, the
 * controller member it hosts (if the quorum names it), its session with the controller quorum, and a Kafka-protocol
 * broker in front. Under the data directory: {@code logs}, {@code aeron} (the node's driver), {@code controller}.
 */
public final class ClusterNode implements AutoCloseable
{
    /** A replica message is at most an eighth of a term: 16 MiB terms carry Kafka's default 1 MiB batches. */
    private static final int TERM_LENGTH = 16 * 1024 * 1024;
    private static final int BYTES_PER_CYCLE = 1024 * 1024;
    /** How far a leader may stream ahead of a follower's taking: Aeron's default (128 KiB) back-pressured it. */
    private static final int RECEIVER_WINDOW = 2 * 1024 * 1024;
    private static final long REPLICA_HEARTBEAT_MS = 50;
    private static final long RESEND_TIMEOUT_MS = 300;

    private final LogManager logs;
    private final ControllerMember member;
    private final ReplicaNode replicas;
    private final AgentRunner controllerSession;
    private final Broker broker;

    private ClusterNode(final LogManager logs, final ControllerMember member, final ReplicaNode replicas,
        final AgentRunner controllerSession, final Broker broker)
    {
        this.logs = logs;
        this.member = member;
        this.replicas = replicas;
        this.controllerSession = controllerSession;
        this.broker = broker;
    }

    /**
     * Where a node's logs are under its data directory.
     */
    public static Path logsDir(final Path dataDir)
    {
        return dataDir.resolve("logs");
    }

    /**
     * Where the controller member a node hosts keeps its files, its media driver's among them.
     */
    public static Path controllerDir(final Path dataDir)
    {
        return dataDir.resolve("controller");
    }

    /**
     * Start the node; whatever started is closed again if a later part fails.
     */
    public static ClusterNode start(final NodeConfig config, final ErrorHandler errorHandler) throws IOException
    {
        final List<AutoCloseable> started = new ArrayList<>();
        try
        {
            final Path dir = config.dataDir();
            final LogManager logs = LogManager.open(new LogManagerContext().dataDir(logsDir(dir))
                .writerThreads(config.writerThreads())
                .highWatermarkPolicy(PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION)
                .errorHandler(errorHandler));
            started.add(logs);
            final List<ControllerMember.Endpoints> endpoints = new ArrayList<>();
            int memberId = -1;
            for (final NodeConfig.MemberAddress address : config.quorum())
            {
                final int first = address.firstPort();
                if (address.id() == config.nodeId())
                {
                    memberId = endpoints.size();
                }
                endpoints.add(new ControllerMember.Endpoints(address.host(), first, first + 1, first + 2, first + 3,
                    first + 4));
            }
            if (memberId >= 0)
            {
                // The logs' lock is held: no live process uses this node's directory, so marks left are a dead one's.
                ControllerMember.removeStaleMarkFiles(controllerDir(dir), removed ->
                    System.err.println("loglab node " + config.nodeId() + ": controller member: " + removed));
            }
            final ControllerMember member = memberId < 0 ? null : ControllerMember.launch(memberId, endpoints,
                controllerDir(dir), new ControllerConfig(config.nodeTimeoutMs()), ControllerMember.Timeouts.FAST,
                errorHandler);
            if (member != null)
            {
                started.add(member);
            }
            final NodeConfig.NodeAddress self = config.self();
            final Path aeronDir = dir.resolve("aeron");
            final TransportContext transport = new TransportContext().endpoint(self.host() + ":" + self.replicaPort())
                .aeronDirectory(aeronDir).termLength(TERM_LENGTH).mtuLength(config.replicaMtuLength())
                .receiverWindowLength(RECEIVER_WINDOW)
                .errorHandler(errorHandler);
            final List<BrokerAddress> brokers = new ArrayList<>();
            for (final NodeConfig.NodeAddress node : config.nodes())
            {
                brokers.add(new BrokerAddress(node.id(), node.host(), node.kafkaPort()));
                if (node.id() != self.id())
                {
                    transport.peer(node.id(), node.host() + ":" + node.replicaPort());
                }
            }
            final QuorumControllerClient client = new QuorumControllerClient(
                ControllerMember.ingressEndpoints(endpoints), aeronDir.toString(), errorHandler);
            final CommitWaits commitWaits = new CommitWaits();
            final ReplicaNode replicas = ReplicaNode.launch(new NodeContext().nodeId(config.nodeId()).nodeDir(dir)
                .logs(logs).transport(transport)
                .replicaConfig(new ReplicaConfig(config.commitRule(), 1, config.replicaLagTimeMaxMs(),
                    BYTES_PER_CYCLE, REPLICA_HEARTBEAT_MS, RESEND_TIMEOUT_MS))
                .controller(client).acksListener(commitWaits).errorHandler(errorHandler));
            started.add(replicas);
            client.bind(replicas);
            final AgentRunner session = client.start();
            started.add(session);
            final Broker broker = Broker.start(logs, new InetSocketAddress(self.host(), self.kafkaPort()),
                errorHandler, config.groupConfig(), bound -> new ReplicatedPlacement(replicas, commitWaits, logs,
                    brokers, config.defaultReplicationFactor(), config.commitRule(), client));
            return new ClusterNode(logs, member, replicas, session, broker);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (int i = started.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(started.get(i));
            }
            throw ex;
        }
    }

    /**
     * The Kafka listener's address.
     */
    public InetSocketAddress kafkaAddress()
    {
        return broker.address();
    }

    /**
     * Whether this node hosts a member of the controller quorum.
     */
    public boolean hostsControllerMember()
    {
        return member != null;
    }

    /**
     * Stop serving, then the replicas (their waits are answered), the controller session and member, and close the
     * logs with what they hold.
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(broker, replicas, controllerSession, member, logs);
    }
}
