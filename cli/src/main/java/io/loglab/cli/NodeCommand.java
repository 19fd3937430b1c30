package io.loglab.cli;

import io.loglab.broker.cluster.ClusterNode;
import io.loglab.broker.cluster.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code loglab node --config FILE}: run one node of a replicated cluster until stopped.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
        "Run one node of a replicated cluster until stopped (Ctrl-C or SIGTERM: the logs are then closed cleanly):",
        "its logs, its replicas streaming to and from the other nodes over Aeron UDP (an embedded media driver, SHARED",
        "threading), the controller quorum member it hosts, and a Kafka-protocol broker in front, so Kafka's clients",
        "see a cluster: Metadata names each partition's leader, followers answer NOT_LEADER_OR_FOLLOWER, acks=all is",
        "answered once the in-sync replicas have the records. `loglab cluster start` writes these files and starts",
        "the nodes for you.",
        "",
        "--config FILE is a properties file:",
        "  node.id=1                         this node",
        "  data.dir=DIR                      logs, the media driver and the controller member under it",
        "  nodes=1@HOST:KAFKA:REPLICA,...    every node: id, host, Kafka TCP port, replica UDP port",
        "  controller.quorum=1@HOST:PORT,... the controller's members (one or three, each on a node of that id):",
        "                                    five UDP ports each, from PORT",
        "  default.replication.factor=N      of a topic made without one (default: 3, or fewer nodes)",
        "  commit.rule=isr|majority          of a topic made without one (default isr),",
        "  replica.lag.time.max.ms (10000), node.timeout.ms (1500: a node silent this long is dead to the",
        "  controller), writer.threads (1),",
        "  and the group settings of `loglab broker --help`."
    })
final class NodeCommand implements Callable<Integer>
{
    @Option(names = "--config", required = true, description = "The node's properties file (see above).")
    Path config;

    @Override
    public Integer call() throws Exception
    {
        final NodeConfig nodeConfig = NodeConfig.read(config);
        final String name = "loglab node " + nodeConfig.nodeId();
        final ClusterNode node = ClusterNode.start(nodeConfig,
            ex -> System.err.println(CliSupport.report(name + ": ", ex, CliSupport.debug())));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                node.close();
            }
            finally
            {
                System.err.println(name + ": stopped, logs closed");
                stopped.countDown();
            }
        }, "loglab-node-shutdown"));
        System.out.println(name + ": Kafka on " + nodeConfig.self().host() + ":" + node.kafkaAddress().getPort() +
            ", replicas on UDP " + nodeConfig.self().replicaPort() + (node.hostsControllerMember() ?
            ", a controller member" : "") + ", data in " + nodeConfig.dataDir());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
