package io.loglab.cli;

import io.loglab.broker.wire.RemoteLogClient;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Where a command finds its topics: a data directory it opens itself ({@code --dir}), or a running broker it asks
 * over Kafka's protocol ({@code --bootstrap}, loglab's or Apache Kafka's). One of the two, never both.
 */
final class LogSource
{
    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--bootstrap", required = true, description = "A running broker, HOST:PORT (loglab's or " +
        "Kafka's), asked over Kafka's protocol instead of opening a directory.")
    String bootstrap;

    boolean remote()
    {
        return bootstrap != null;
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
        return new RemoteLogClient(bootstrap);
    }
}
