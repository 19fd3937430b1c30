package io.loglab.broker.wire;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * ListOffsets: the earliest offset (-2, the log start offset), the latest (-1, the high watermark: what a consumer
 * may read), or the first offset whose record is at least as recent as a timestamp. The max-timestamp query (-3)
 * is not answered yet, and the timestamp answered for a timestamp query is the one asked for, not yet the found
 * record's own.
 */
final class ListOffsetsHandler
{
    private static final long LATEST = -1;
    private static final long EARLIEST = -2;
    private static final int NO_EPOCH = -1;

    private final LogManager logs;
    private final Placement placement;
    private final Readers readers;

    ListOffsetsHandler(final LogManager logs, final Placement placement, final Readers readers)
    {
        this.logs = logs;
        this.placement = placement;
        this.readers = readers;
    }

    ListOffsetsResponseData handle(final ListOffsetsRequestData request)
    {
        final ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (final ListOffsetsRequestData.ListOffsetsTopic topic : request.topics())
        {
            final ListOffsetsResponseData.ListOffsetsTopicResponse answered =
                new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(answered);
            for (final ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions())
            {
                final int index = partition.partitionIndex();
                answered.partitions().add((Partitions.ledElsewhere(placement, topic.name(), index) ?
                    new ListOffsetsResponseData.ListOffsetsPartitionResponse().setLeaderEpoch(NO_EPOCH)
                        .setTimestamp(-1).setOffset(-1).setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()) :
                    lookup(Partitions.find(logs, topic.name(), index), partition.timestamp()))
                    .setPartitionIndex(index));
            }
        }
        return response;
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse lookup(final Partition partition, final long timestamp)
    {
        final ListOffsetsResponseData.ListOffsetsPartitionResponse answer =
            new ListOffsetsResponseData.ListOffsetsPartitionResponse().setLeaderEpoch(NO_EPOCH).setTimestamp(-1);
        if (partition == null)
        {
            return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setOffset(-1);
        }
        try
        {
            if (timestamp == LATEST)
            {
                return answer.setOffset(partition.log().highWatermark());
            }
            if (timestamp == EARLIEST)
            {
                return answer.setOffset(partition.logStartOffset());
            }
            if (timestamp < 0)
            {
                return answer.setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setOffset(-1);
            }
            final long offset = readers.of(partition).offsetForTimestamp(timestamp);
            return offset == LogReader.NO_OFFSET ? answer.setOffset(-1) : answer.setOffset(offset)
                .setTimestamp(timestamp);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return answer.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setOffset(-1);
        }
    }
}
