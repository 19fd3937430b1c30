package io.loglab.broker;

import io.loglab.broker.group.GroupConfig;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.network.NetworkServer;
import io.loglab.broker.wire.BrokerAddress;
import io.loglab.broker.wire.KafkaRequestHandler;
import io.loglab.broker.wire.KafkaServerAssignors;
import io.loglab.broker.wire.Placement;
import io.loglab.broker.wire.SingleNodePlacement;
import io.loglab.engine.topic.LogManager;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.IntFunction;

/**
 * A Kafka-protocol broker over a {@link LogManager}: one network thread speaking Kafka's wire protocol, handing
 * produced batches to the partitions' writer shards and serving fetches from the segment files; alone, or on a node
 * of a replicated cluster ({@link Placement}).
 * <p>
 * Threading: {@link #start} and {@link #close} from one controlling thread.
 */
public final class Broker implements AutoCloseable
{
    /** Kafka's {@code socket.request.max.bytes} default. */
    public static final int MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    /** The one node's id. */
    public static final int NODE_ID = 0;

    private final NetworkServer server;
    private final KafkaRequestHandler handler;
    private final InetSocketAddress address;

    private Broker(final NetworkServer server, final KafkaRequestHandler handler, final InetSocketAddress address)
    {
        this.server = server;
        this.handler = handler;
        this.address = address;
    }

    /**
     * {@link #start(LogManager, InetSocketAddress, ErrorHandler, GroupConfig)} with Kafka's group settings.
     */
    public static Broker start(final LogManager logs, final InetSocketAddress address, final ErrorHandler errorHandler)
        throws IOException
    {
        return start(logs, address, errorHandler, new GroupConfig().conclude());
    }

    /**
     * Bind {@code address} (port 0 for any free one), load the committed offsets, and serve {@code logs}, which the
     * caller keeps and closes after the broker. Clients are told to connect to the address bound.
     *
     * @param errorHandler told why a connection was closed, of failures on the network thread, and of offsets-topic
     *                     records that do not decode (skipped at load).
     */
    public static Broker start(
        final LogManager logs, final InetSocketAddress address, final ErrorHandler errorHandler,
        final GroupConfig groupConfig) throws IOException
    {
        return start(logs, address, errorHandler, groupConfig,
            bound -> new SingleNodePlacement(logs, new BrokerAddress(NODE_ID, address.getHostString(), bound)));
    }

    /**
     * As {@link #start(LogManager, InetSocketAddress, ErrorHandler, GroupConfig)}, for a node of a cluster: the
     * placement (given the port bound) says which brokers there are and who leads what.
     */
    public static Broker start(
        final LogManager logs, final InetSocketAddress address, final ErrorHandler errorHandler,
        final GroupConfig groupConfig, final IntFunction<Placement> placement) throws IOException
    {
        final GroupCoordinator coordinator = new GroupCoordinator(groupConfig, new KafkaServerAssignors());
        final NetworkServer server = new NetworkServer(address, errorHandler, MAX_REQUEST_BYTES);
        final InetSocketAddress bound = server.localAddress();
        final KafkaRequestHandler handler;
        try
        {
            handler = new KafkaRequestHandler(logs, coordinator, placement.apply(bound.getPort()), server::wakeup,
                errorHandler);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            throw ex;
        }
        server.start(handler);
        return new Broker(server, handler, bound);
    }

    /**
     * The address bound: its port is the one chosen when port 0 was asked for.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Stop serving: connections are closed, pending responses dropped. The logs stay open.
     */
    @Override
    public void close()
    {
        server.close();
        handler.close();
    }
}
