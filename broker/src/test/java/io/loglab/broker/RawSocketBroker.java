package io.loglab.broker;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A broker on a fresh data directory with topic "t" of one partition, for the tests that speak to it from a raw
 * socket; it keeps what it reports of each connection it closes.
 */
final class RawSocketBroker implements AutoCloseable
{
    final Queue<Throwable> closed = new ConcurrentLinkedQueue<>();
    final LogManager logs;
    final Broker broker;

    RawSocketBroker(final Path dir) throws Exception
    {
        logs = LogManager.open(new LogManagerContext().dataDir(dir));
        try
        {
            logs.createTopic("t", 1, new LogConfig());
            broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), closed::add);
        }
        catch (final Exception ex)
        {
            logs.close();
            throw ex;
        }
    }

    RawKafkaClient client() throws IOException
    {
        return new RawKafkaClient(broker.address());
    }

    @Override
    public void close() throws Exception
    {
        broker.close();
        logs.close();
    }
}
