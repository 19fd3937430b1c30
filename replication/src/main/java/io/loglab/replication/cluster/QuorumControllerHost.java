package io.loglab.replication.cluster;

import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ControllerClient;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.quorum.ControllerMember;
import io.loglab.replication.quorum.QuorumControllerClient;
import io.loglab.transport.aeron.LoopbackPorts;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The controller as a quorum of Aeron Cluster members in this JVM, each in a directory of its own on loopback ports,
 * and each node's {@link QuorumControllerClient} on a thread of its own. A member can be stopped and started again
 * on its directory, to test the quorum losing its leader.
 */
public final class QuorumControllerHost implements ControllerHost
{
    private final Path dir;
    private final ControllerConfig config;
    private final ControllerMember.Timeouts timeouts;
    private final ErrorHandler errorHandler;
    private final List<ControllerMember.Endpoints> endpoints = new ArrayList<>();
    private final Map<Integer, ControllerMember> members = new TreeMap<>();
    private final Map<Integer, QuorumControllerClient> clients = new TreeMap<>();
    private final Map<Integer, AgentRunner> runners = new TreeMap<>();

    /**
     * Start {@code memberCount} members, numbered from 0, under {@code dir}.
     */
    public QuorumControllerHost(final Path dir, final int memberCount, final ControllerConfig config,
        final ControllerMember.Timeouts timeouts, final ErrorHandler errorHandler)
    {
        this.dir = dir;
        this.config = config;
        this.timeouts = timeouts;
        this.errorHandler = errorHandler;
        for (int id = 0; id < memberCount; id++)
        {
            endpoints.add(new ControllerMember.Endpoints("127.0.0.1", LoopbackPorts.freeUdpPort(),
                LoopbackPorts.freeUdpPort(), LoopbackPorts.freeUdpPort(), LoopbackPorts.freeUdpPort(),
                LoopbackPorts.freeUdpPort()));
        }
        try
        {
            for (int id = 0; id < memberCount; id++)
            {
                startMember(id);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }


    /**
     * Start member {@code id} (again) on its directory.
     */
    public synchronized void startMember(final int id)
    {
        members.put(id, ControllerMember.launch(id, endpoints, dir.resolve("controller-" + id), config, timeouts,
            errorHandler));
    }

    /**
     * Stop member {@code id}, as if its process died.
     */
    public synchronized void stopMember(final int id)
    {
        CloseHelper.close(members.remove(id));
    }

    /**
     * The id of the member that leads the quorum now, or -1 while none does (an election).
     */
    public synchronized int leaderMember()
    {
        for (final Map.Entry<Integer, ControllerMember> member : members.entrySet())
        {
            if (member.getValue().isLeader())
            {
                return member.getKey();
            }
        }
        return -1;
    }

    @Override
    public synchronized ControllerClient client(final int nodeId, final String aeronDirectory)
    {
        final QuorumControllerClient client = new QuorumControllerClient(
            ControllerMember.ingressEndpoints(endpoints), aeronDirectory, errorHandler);
        clients.put(nodeId, client);
        return client;
    }

    @Override
    public synchronized void attach(final ReplicaNode node)
    {
        final QuorumControllerClient client = clients.get(node.nodeId());
        client.bind(node);
        final AgentRunner runner = client.start();
        runners.put(node.nodeId(), runner);
    }

    @Override
    public synchronized void detach(final int nodeId)
    {
        CloseHelper.close(runners.remove(nodeId));
        clients.remove(nodeId);
    }

    @Override
    public synchronized CompletableFuture<String> createTopic(final String name, final int partitions,
        final TopicSettings settings, final LogConfig logConfig)
    {
        if (clients.isEmpty())
        {
            return CompletableFuture.completedFuture("no node is running to ask the controller");
        }
        return clients.values().iterator().next().createTopic(name, partitions, settings, logConfig);
    }

    @Override
    public synchronized CompletableFuture<String> deleteTopic(final String name)
    {
        if (clients.isEmpty())
        {
            return CompletableFuture.completedFuture("no node is running to ask the controller");
        }
        return clients.values().iterator().next().deleteTopic(name);
    }

    @Override
    public synchronized void close()
    {
        runners.values().forEach(CloseHelper::close);
        runners.clear();
        members.values().forEach(CloseHelper::close);
        members.clear();
    }
}
