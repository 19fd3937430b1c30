package io.loglab.broker.wire;

import io.loglab.engine.log.LogRegion;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.DefaultRecordsSend;
import org.apache.kafka.common.record.internal.RecordsSend;
import org.apache.kafka.common.record.internal.TransferableRecords;

import java.io.IOException;

/**
 * A held region of a segment file as the records of a Fetch response: the generated {@code write()} puts the
 * partition's fixed fields around it and the region goes to the socket with {@code transferTo}, never through the
 * heap. Closed with the response, which lets the segment go.
 */
final class FileRegionRecords implements TransferableRecords
{
    private final LogRegion region;

    FileRegionRecords(final LogRegion region)
    {
        this.region = region;
    }

    @Override
    public int sizeInBytes()
    {
        return region.length();
    }

    @Override
    public RecordsSend<? extends TransferableRecords> toSend()
    {
        return new DefaultRecordsSend<>(this);
    }

    @Override
    public int writeTo(final TransferableChannel channel, final int position, final int length) throws IOException
    {
        return (int)region.transferTo(position, length, ((SocketTransferChannel)channel).socket());
    }

    void close()
    {
        region.close();
    }
}
