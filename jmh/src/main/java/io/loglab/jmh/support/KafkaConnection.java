package io.loglab.jmh.support;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One client connection to a Kafka-protocol broker for the broker benchmarks: requests are encoded once, before
 * measurement, with kafka-clients' generated classes (as a client would), and each call sends one and reads its whole
 * response into a reused buffer, so the client side allocates nothing per call and {@code -prof gc} sees the
 * broker's allocation.
 */
public final class KafkaConnection implements AutoCloseable
{
    private final SocketChannel channel;
    private final ByteBuffer responseSize = ByteBuffer.allocateDirect(Integer.BYTES);
    private ByteBuffer response = ByteBuffer.allocateDirect(64 * 1024);

    public KafkaConnection(final InetSocketAddress address) throws IOException
    {
        channel = SocketChannel.open(address);
    }

    /**
     * A request frame (size prefix, header, body), ready to send as many times as wanted.
     */
    public static ByteBuffer frame(final ApiKeys api, final short version, final ApiMessage body)
    {
        final short headerVersion = api.requestHeaderVersion(version);
        final RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id)
            .setRequestApiVersion(version).setClientId("jmh").setCorrelationId(1);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = header.size(cache, headerVersion) + body.size(cache, version);
        final ByteBuffer frame = ByteBuffer.allocateDirect(Integer.BYTES + size).putInt(size);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return frame.flip();
    }

    /**
     * Send {@code frame} whole and read the whole response.
     *
     * @return the response's size in bytes, without its size prefix.
     */
    public int roundTrip(final ByteBuffer frame) throws IOException
    {
        frame.clear();
        while (frame.hasRemaining())
        {
            channel.write(frame);
        }
        responseSize.clear();
        readFully(responseSize);
        final int length = responseSize.getInt(0);
        if (response.capacity() < length)
        {
            response = ByteBuffer.allocateDirect(length);
        }
        response.clear().limit(length);
        readFully(response);
        return length;
    }

    private void readFully(final ByteBuffer target) throws IOException
    {
        while (target.hasRemaining())
        {
            if (channel.read(target) < 0)
            {
                throw new IOException("the broker closed the connection");
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
