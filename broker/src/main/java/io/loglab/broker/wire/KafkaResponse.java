package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.ResponseHeader;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A response in Kafka's encoding, built once it is ready: the response header at the version the API's own version
 * calls for (ApiVersions always 0, whatever its body's version), then the body, file regions included as they are.
 * <p>
 * Threading: the network thread only.
 */
abstract class KafkaResponse implements Response
{
    private final SocketTransferChannel channel;
    private final ApiKeys api;
    private final short version;
    private final int correlationId;
    private Send send;
    private boolean ready;
    private boolean built;

    KafkaResponse(final SocketTransferChannel channel, final RequestContext request)
    {
        this.channel = channel;
        this.api = request.api();
        this.version = request.version();
        this.correlationId = request.correlationId();
    }

    /**
     * Whether it can be built now; asked on each pass until it says yes, never after (a response half written must
     * not change under the socket).
     */
    abstract boolean readyNow(long nowNs);

    /**
     * The body to send, asked once when the response is ready; null for none (acks=0).
     */
    abstract ApiMessage body();

    @Override
    public final boolean isReady(final long nowNs)
    {
        if (!ready)
        {
            ready = readyNow(nowNs);
        }
        return ready;
    }

    @Override
    public boolean writeTo(final SocketChannel socket) throws IOException
    {
        if (!built)
        {
            built = true;
            final ApiMessage body = body();
            send = body == null ? null : SendBuilder.buildResponseSend(
                new ResponseHeader(correlationId, api.responseHeaderVersion(version)), body, version);
        }
        if (send == null)
        {
            return true;
        }
        channel.written(send.writeTo(channel.wrap(socket)));
        return send.completed();
    }

    @Override
    public void close()
    {
    }

    /**
     * A response that is ready at once.
     */
    static KafkaResponse of(final SocketTransferChannel channel, final RequestContext request, final ApiMessage body)
    {
        return new KafkaResponse(channel, request)
        {
            @Override
            boolean readyNow(final long nowNs)
            {
                return true;
            }

            @Override
            ApiMessage body()
            {
                return body;
            }
        };
    }

    /**
     * A response that waits, without a thread, until {@code ready} says yes (asked on every pass), then sends the
     * body {@code body} builds then.
     */
    static KafkaResponse when(final SocketTransferChannel channel, final RequestContext request,
        final BooleanSupplier ready, final Supplier<ApiMessage> body)
    {
        return new KafkaResponse(channel, request)
        {
            @Override
            boolean readyNow(final long nowNs)
            {
                return ready.getAsBoolean();
            }

            @Override
            ApiMessage body()
            {
                return body.get();
            }
        };
    }
}
