package io.loglab.cli;

import io.loglab.broker.Broker;
import io.loglab.broker.group.GroupConfig;
import io.loglab.engine.topic.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code loglab broker}: serve a data directory over Kafka's wire protocol until stopped.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
        "Serve a data directory over Kafka's wire protocol, so Kafka's own clients and tools (the Java client, kcat,",
        "kafka-python) produce to and consume from it unchanged, until stopped (Ctrl-C or SIGTERM: the logs are then",
        "closed cleanly). One node, which leads every partition. Served: ApiVersions, Metadata, CreateTopics,",
        "CreatePartitions, DeleteTopics, DescribeConfigs, InitProducerId, Produce (acks 0, 1, all; idempotent), Fetch",
        "(long poll, zero-copy), ListOffsets, and classic consumer groups (FindCoordinator, JoinGroup, SyncGroup,",
        "Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups; static members)",
        "and the consumer group protocol (ConsumerGroupHeartbeat, KIP-848), whose committed offsets are kept in the",
        "internal topic __consumer_offsets. Binds loopback unless --host says otherwise.",
        "",
        "--config FILE is a properties file of group settings, by Kafka's names and with Kafka's defaults:",
        "  group.min.session.timeout.ms (6000), group.max.session.timeout.ms (1800000),",
        "  group.initial.rebalance.delay.ms (3000), offset.metadata.max.bytes (4096),",
        "  and for the consumer group protocol (group.protocol=consumer): group.consumer.session.timeout.ms (45000),",
        "  group.consumer.heartbeat.interval.ms (5000), group.consumer.max.size (2147483647),",
        "  group.consumer.assignment.interval.ms (1000: the least time between two target assignments of a group)."
    })
final class BrokerCommand implements Callable<Integer>
{
    @Option(names = "--dir", required = true, description = "Data directory (created if missing).")
    Path dir;

    @Option(names = "--host", defaultValue = "127.0.0.1",
        description = "Address to bind, and to tell clients to connect to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9092", description = "Port to bind (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--config", description = "Properties file of group settings (see above).")
    Path config;

    @Override
    public Integer call() throws Exception
    {
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("--port " + port + " is not a port number (0 to 65535)");
        }
        final GroupConfig groupConfig = groupConfig();
        final LogManager manager = CliSupport.open(dir);
        final Broker broker;
        try
        {
            broker = Broker.start(manager, new InetSocketAddress(host, port),
                ex -> System.err.println(CliSupport.report("loglab broker: ", ex, CliSupport.debug())), groupConfig);
        }
        catch (final Exception ex)
        {
            manager.close();
            throw ex;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                broker.close();
            }
            finally
            {
                manager.close();
                System.err.println("loglab broker: stopped, logs closed");
                stopped.countDown();
            }
        }, "loglab-broker-shutdown"));
        System.out.println(
            "loglab broker listening on " + host + ":" + broker.address().getPort() + ", data in " + dir);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private GroupConfig groupConfig() throws IOException
    {
        if (config == null)
        {
            return new GroupConfig().conclude();
        }
        if (!Files.isRegularFile(config))
        {
            throw new IllegalArgumentException("--config " + config + " is not a file");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config))
        {
            properties.load(reader);
        }
        try
        {
            return GroupConfig.fromProperties(properties);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--config " + config + ": " + ex.getMessage(), ex);
        }
    }
}
