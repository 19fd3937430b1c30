package io.loglab.broker;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A blocking socket that sends requests built with kafka-clients' generated classes, or any bytes at all, and reads
 * responses: the client for bad-input tests.
 */
final class RawKafkaClient implements AutoCloseable
{
    private final SocketChannel channel;
    private int correlationId;

    RawKafkaClient(final InetSocketAddress address) throws IOException
    {
        this(address, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer, small to make the broker write a response in pieces; 0
     *                           for the system's default.
     */
    RawKafkaClient(final InetSocketAddress address, final int receiveBufferBytes) throws IOException
    {
        channel = SocketChannel.open();
        if (receiveBufferBytes > 0)
        {
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
        }
        channel.connect(address);
    }

    static ByteBuffer frame(final ApiKeys api, final short version, final int correlationId, final ApiMessage body)
    {
        final short headerVersion = api.requestHeaderVersion(version);
        final RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey(api.id)
            .setRequestApiVersion(version)
            .setClientId("raw")
            .setCorrelationId(correlationId);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = header.size(cache, headerVersion) + body.size(cache, version);
        final ByteBuffer frame = ByteBuffer.allocate(Integer.BYTES + size).putInt(size);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return frame.flip();
    }

    /**
     * A Produce request carrying {@code batch} (copied, so the caller's bytes stay as they are) to partition 0 of
     * {@code topic}.
     */
    static ProduceRequestData produceRequest(final String topic, final ByteBuffer batch, final short acks)
    {
        final ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000);
        final ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
            MemoryRecords.readableRecords(ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip())));
        request.topicData().add(data);
        return request;
    }

    /**
     * Produce {@code batch} to partition 0 of {@code topic} (v9) and return that partition's answer.
     */
    ProduceResponseData.PartitionProduceResponse produce(final String topic, final ByteBuffer batch, final short acks)
        throws IOException
    {
        final short version = 9;
        return new ProduceResponseData(new ByteBufferAccessor(call(ApiKeys.PRODUCE, version,
            produceRequest(topic, batch, acks))), version).responses().iterator().next().partitionResponses().get(0);
    }

    /**
     * Send a request and parse its response with the API's generated class.
     */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T exchange(final ApiKeys api, final short version, final ApiMessage body)
        throws IOException
    {
        final ApiMessage response = api.messageType.newResponse();
        response.read(new ByteBufferAccessor(call(api, version, body)), version);
        return (T)response;
    }

    /**
     * Send a request and read its response body, checking the correlation id.
     */
    ByteBuffer call(final ApiKeys api, final short version, final ApiMessage body) throws IOException
    {
        final int id = ++correlationId;
        send(frame(api, version, id, body));
        final ByteBuffer response = receive();
        if (response == null)
        {
            throw new IOException("the broker closed the connection");
        }
        final ResponseHeaderData header =
            new ResponseHeaderData(new ByteBufferAccessor(response), api.responseHeaderVersion(version));
        if (header.correlationId() != id)
        {
            throw new IOException("correlation id " + header.correlationId() + ", expected " + id);
        }
        return response;
    }

    void send(final ByteBuffer bytes) throws IOException
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    /**
     * One response frame, without its size; null if the broker closed the connection instead.
     */
    ByteBuffer receive() throws IOException
    {
        final ByteBuffer size = ByteBuffer.allocate(Integer.BYTES);
        if (!readFully(size))
        {
            return null;
        }
        final ByteBuffer body = ByteBuffer.allocate(size.flip().getInt());
        if (!readFully(body))
        {
            return null;
        }
        return body.flip();
    }

    private boolean readFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
