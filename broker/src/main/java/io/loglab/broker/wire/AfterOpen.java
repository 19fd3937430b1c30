package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A request that reads logs (Fetch, ListOffsets) handled once the logs it names are open: a log's first use opens it
 * on its writer shard (index and checkpoint files, their fsyncs), which the network thread does not wait for, so no
 * other connection waits either. Until then the response is not ready; the network thread asks on every pass.
 * <p>
 * Threading: the network thread; each open completes on its shard, published through its future.
 */
final class AfterOpen implements Response
{
    private final List<CompletableFuture<Void>> opening;
    private final Supplier<Response> handler;
    private Response response;

    private AfterOpen(final List<CompletableFuture<Void>> opening, final Supplier<Response> handler)
    {
        this.opening = opening;
        this.handler = handler;
    }

    /**
     * {@code handler}'s response now if every partition named is open, else once they are.
     *
     * @param named the topic and partition of each partition the request names (unknown ones are skipped: the
     *              handler answers them).
     */
    static Response of(final LogManager logs, final List<TopicPartitionName> named, final Supplier<Response> handler)
    {
        final List<CompletableFuture<Void>> opening = new ArrayList<>();
        for (final TopicPartitionName name : named)
        {
            final Partition partition = Partitions.find(logs, name.topic(), name.partition());
            if (partition != null)
            {
                final CompletableFuture<Void> opened = partition.openAsync();
                if (!opened.isDone())
                {
                    opening.add(opened);
                }
            }
        }
        return opening.isEmpty() ? handler.get() : new AfterOpen(opening, handler);
    }

    /** A partition as a request names it. */
    record TopicPartitionName(String topic, int partition)
    {
    }

    @Override
    public boolean isReady(final long nowNs)
    {
        if (response == null)
        {
            for (final CompletableFuture<Void> opened : opening)
            {
                if (!opened.isDone())
                {
                    return false;
                }
            }
            response = handler.get();
        }
        return response.isReady(nowNs);
    }

    @Override
    public boolean writeTo(final SocketChannel socket) throws IOException
    {
        return response.writeTo(socket);
    }

    @Override
    public boolean closesConnection()
    {
        return response != null && response.closesConnection();
    }

    @Override
    public void close()
    {
        if (response != null)
        {
            response.close();
        }
    }
}
