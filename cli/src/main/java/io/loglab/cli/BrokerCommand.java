package io.loglab.cli;

import io.loglab.broker.Broker;
import io.loglab.engine.topic.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
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
        "closed cleanly). One node, which leads every partition. Served so far: ApiVersions, Metadata, CreateTopics,",
        "CreatePartitions, DeleteTopics, DescribeConfigs, InitProducerId, Produce (acks 0, 1, all; idempotent), Fetch",
        "(long poll, zero-copy) and ListOffsets; consumers use assigned partitions until consumer groups land. Binds",
        "loopback unless --host says otherwise."
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

    @Override
    public Integer call() throws Exception
    {
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("--port " + port + " is not a port number (0 to 65535)");
        }
        final LogManager manager = CliSupport.open(dir);
        final Broker broker;
        try
        {
            broker = Broker.start(manager, new InetSocketAddress(host, port),
                ex -> System.err.println(CliSupport.report("loglab broker: ", ex, CliSupport.debug())));
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
}
