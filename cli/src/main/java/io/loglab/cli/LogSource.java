package io.loglab.cli;

import io.loglab.broker.wire.RemoteLogClient;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Where a command finds its topics: a data directory it opens itself ({@code --dir}), or running brokers it asks
 * over Kafka's protocol ({@code --bootstrap}, loglab's or Apache Kafka's, or {@code --cluster}, a local cluster's
 * directory). One of the three.
 */
final class LogSource
{
    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--bootstrap", required = true, description = "A running broker, HOST:PORT (loglab's or " +
        "Kafka's), asked over Kafka's protocol instead of opening a directory.")
    String bootstrap;

    @Option(names = "--cluster", required = true, description = "The directory of a local cluster " +
        "(`loglab cluster start`): its brokers, asked over Kafka's protocol.")
    Path cluster;

    boolean remote()
    {
        return bootstrap != null || cluster != null;
    }

    /**
     * The brokers to ask: {@code --bootstrap}, or every node of {@code --cluster}.
     *
     * @throws IllegalArgumentException if the cluster directory holds no cluster.
     */
    String bootstrap()
    {
        if (bootstrap != null)
        {
            return bootstrap;
        }
        final ClusterDirectory directory = new ClusterDirectory(cluster);
        if (!directory.exists())
        {
            throw new IllegalArgumentException("--cluster " + cluster + ": no cluster there (`loglab cluster start " +
                "--dir " + cluster + "` makes one)");
        }
        try
        {
            return directory.bootstrapServers();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A broker's call, with an unknown topic reported as bad input and any other failure as the broker's answer.
     */
    static <T> T ask(final String bootstrap, final String topic, final Call<T> call) throws Exception
    {
        try
        {
            return call.run();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                throw new IllegalArgumentException("no topic " + topic + " at " + bootstrap, ex.getCause());
            }
            throw new IllegalStateException("the broker at " + bootstrap + " refused: " + ex.getCause().getMessage(),
                ex.getCause());
        }
    }

    @FunctionalInterface
    interface Call<T>
    {
        T run() throws Exception;
    }

    /**
     * The client for {@link #bootstrap}.
     */
    RemoteLogClient client()
    {
        return new RemoteLogClient(bootstrap());
    }
}
