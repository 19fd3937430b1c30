package io.loglab.broker.cluster;

import io.loglab.broker.Broker;
import io.loglab.broker.group.GroupConfig;
import io.loglab.broker.wire.BrokerAddress;
import io.loglab.replication.cluster.ClusterContext;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.transport.aeron.LoopbackPorts;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An {@link EmbeddedCluster} with a Kafka-protocol broker on every node, each on a loopback port of its own, so
 * Kafka's clients see an N-broker cluster inside one JVM: Metadata names each partition's leader, followers refuse
 * with NOT_LEADER_OR_FOLLOWER, acks=all waits for the in-sync replicas, and a node stopped and started again takes
 * its broker with it.
 * <p>
 * Threading: one controlling thread starts and stops nodes.
 */
public final class EmbeddedBrokers implements AutoCloseable
{
    private static final String HOST = "127.0.0.1";

    private final ClusterContext ctx;
    private final CommitWaits commitWaits = new CommitWaits();
    private final List<BrokerAddress> addresses = new ArrayList<>();
    private final Map<Integer, Broker> brokers = new TreeMap<>();
    private final EmbeddedCluster cluster;

    /**
     * Start the context's nodes and a broker on each.
     *
     * @param ctx its acks listener is the brokers'.
     */
    public EmbeddedBrokers(final ClusterContext ctx) throws IOException
    {
        this.ctx = ctx.acksListener(commitWaits);
        for (int id = 1; id <= ctx.nodeCount(); id++)
        {
            addresses.add(new BrokerAddress(id, HOST, LoopbackPorts.freeTcpPort()));
        }
        this.cluster = new EmbeddedCluster(ctx);
        try
        {
            for (int id = 1; id <= ctx.nodeCount(); id++)
            {
                startBroker(id);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Kafka's {@code bootstrap.servers} for every broker.
     */
    public String bootstrapServers()
    {
        return addresses.stream().map(address -> address.host() + ":" + address.port())
            .collect(Collectors.joining(","));
    }

    public EmbeddedCluster cluster()
    {
        return cluster;
    }

    /**
     * Stop node {@code id} and its broker: its clients' connections close.
     */
    public void stop(final int id)
    {
        CloseHelper.close(brokers.remove(id));
        cluster.stop(id);
    }

    /**
     * Start node {@code id} again on its directory, then its broker.
     */
    public void start(final int id) throws IOException
    {
        cluster.start(id);
        startBroker(id);
    }

    private void startBroker(final int id) throws IOException
    {
        final EmbeddedCluster.Node node = cluster.node(id);
        final BrokerAddress address = addresses.get(id - 1);
        brokers.put(id, Broker.start(node.logs(), new InetSocketAddress(HOST, address.port()), ctx.errorHandler(),
            new GroupConfig().conclude(), bound -> new ReplicatedPlacement(node.replicas(), commitWaits, node.logs(),
                addresses, Math.min(3, addresses.size()), ctx.replicaConfig().commitRule(),
                ctx.controller())));
    }

    @Override
    public void close()
    {
        brokers.values().forEach(CloseHelper::quietClose);
        brokers.clear();
        CloseHelper.quietClose(cluster);
    }
}
