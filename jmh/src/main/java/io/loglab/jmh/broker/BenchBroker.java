package io.loglab.jmh.broker;

import io.loglab.broker.Broker;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.jmh.support.BenchDirectory;
import io.loglab.jmh.support.BenchLogs;
import io.loglab.jmh.support.KafkaConnection;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What the broker benchmarks run against: a broker on loopback over a fresh data directory holding one topic,
 * {@link #TOPIC}, of one partition (flush left to the OS), and one client connection to it. Closing it closes all of
 * that and deletes the directory.
 */
final class BenchBroker implements AutoCloseable
{
    static final String TOPIC = "t";

    private final Path dir;
    private final LogManager logs;
    private final Broker broker;
    private final KafkaConnection connection;

    private BenchBroker(final Path dir, final LogManager logs, final Broker broker, final KafkaConnection connection)
    {
        this.dir = dir;
        this.logs = logs;
        this.broker = broker;
        this.connection = connection;
    }

    /**
     * @param prefix the data directory's name prefix.
     */
    static BenchBroker start(final String prefix) throws IOException
    {
        final Path dir = BenchDirectory.create(prefix);
        final LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir));
        logs.createTopic(TOPIC, 1, BenchLogs.appendConfig("os"));
        final Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace);
        return new BenchBroker(dir, logs, broker, new KafkaConnection(broker.address()));
    }

    KafkaConnection connection()
    {
        return connection;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(connection, broker, logs);
        BenchDirectory.delete(dir);
    }
}
