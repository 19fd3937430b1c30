package io.loglab.broker.wire;

import org.apache.kafka.common.network.TransferableChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Kafka's {@link TransferableChannel} over a plain socket, so a response's {@code Send} can write its fixed bytes and
 * hand file regions to {@code transferTo}. The region's own {@link FileRegionRecords} does the transfer; this
 * method is here because the interface asks for it.
 */
final class SocketTransferChannel implements TransferableChannel
{
    private final RequestStats stats;
    private SocketChannel channel;

    SocketTransferChannel(final RequestStats stats)
    {
        this.stats = stats;
    }

    /**
     * A response wrote {@code bytes} to the socket, file regions included.
     */
    void written(final long bytes)
    {
        stats.onWritten(bytes);
    }

    SocketTransferChannel wrap(final SocketChannel channel)
    {
        this.channel = channel;
        return this;
    }

    SocketChannel socket()
    {
        return channel;
    }

    @Override
    public boolean hasPendingWrites()
    {
        return false;
    }

    @Override
    public long transferFrom(final FileChannel fileChannel, final long position, final long count) throws IOException
    {
        return fileChannel.transferTo(position, count, channel);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        return channel.write(srcs, offset, length);
    }

    @Override
    public long write(final ByteBuffer[] srcs) throws IOException
    {
        return channel.write(srcs);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        return channel.write(src);
    }

    @Override
    public boolean isOpen()
    {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
