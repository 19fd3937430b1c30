package io.loglab.broker.wire;

import io.loglab.broker.group.CommittedOffset;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.TopicPartitionId;
import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.agrona.ErrorHandler;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;

import java.io.IOException;
import java.nio.ByteBuffer;

import java.util.Map;

/**
 * The internal topic {@code __consumer_offsets}, in Kafka's own record format so Kafka's
 * {@code DumpLogSegments --offsets-decoder} reads it: a group's commits go to partition
 * {@code abs(groupId.hashCode()) % 50}, each keyed by record type 1 and {@code OffsetCommitKey{group, topic,
 * partition}}, valued by {@code OffsetCommitValue} v4; a deletion is a tombstone (null value). It is created on
 * first use, as Kafka does, and replayed whole when the broker starts, before it takes any connection: the last
 * value for a key wins. On a cluster the controller makes it with one partition ({@link #CLUSTER_PARTITIONS}), whose
 * leader coordinates every group; a broker replays it when it comes to lead it.
 */
public final class OffsetsTopic
{
    public static final String NAME = "__consumer_offsets";
    /** On a cluster: one partition, so the coordinator is that partition's leader and moves with it. */
    public static final int CLUSTER_PARTITIONS = 1;
    /** Kafka's {@code offsets.topic.num.partitions} default. */
    static final int PARTITIONS = 50;
    /** Kafka's {@code offsets.topic.segment.bytes} default. */
    private static final int SEGMENT_BYTES = 100 * 1024 * 1024;
    private static final short VALUE_VERSION = 4;
    private static final int READ_BYTES = 1024 * 1024;

    private OffsetsTopic()
    {
    }

    /**
     * The partition of {@code topic} (the offsets topic, of 50 partitions alone or one on a cluster) a group's
     * records go to.
     */
    static int partitionFor(final String groupId, final Topic topic)
    {
        return Utils.abs(groupId.hashCode()) % topic.partitionCount();
    }

    /**
     * The offsets topic's settings: compacted, as Kafka's is, so each group's partition keeps its latest commit (a
     * deleted group's tombstones go after {@code delete.retention.ms}), and nothing goes by age.
     */
    public static LogConfig logConfig()
    {
        return new LogConfig().retentionMs(-1).segmentBytes(SEGMENT_BYTES).cleanupPolicy(CleanupPolicy.COMPACT);
    }

    static boolean isInternal(final String topic)
    {
        return NAME.equals(topic);
    }

    /**
     * The topic on one node, created now if it does not exist yet ({@link #logConfig()}). Only the network thread
     * creates topics, so the check and the creation do not race.
     */
    static Topic ensure(final LogManager logs) throws IOException
    {
        if (logs.hasTopic(NAME))
        {
            return logs.topic(NAME);
        }
        return logs.createTopic(NAME, PARTITIONS, logConfig());
    }

    /**
     * One batch holding a group's commits (a null offset is a tombstone), timestamped {@code nowMs}.
     */
    static ByteBuffer batch(final String groupId, final Map<TopicPartitionId, CommittedOffset> commits,
        final long nowMs)
    {
        final SimpleRecord[] records = new SimpleRecord[commits.size()];
        int i = 0;
        for (final Map.Entry<TopicPartitionId, CommittedOffset> commit : commits.entrySet())
        {
            final byte[] key = MessageUtil.toCoordinatorTypePrefixedBytes(new OffsetCommitKey()
                .setGroup(groupId)
                .setTopic(commit.getKey().topic())
                .setPartition(commit.getKey().partition()));
            final CommittedOffset offset = commit.getValue();
            final byte[] value = offset == null ? null : MessageUtil.toVersionPrefixedBytes(VALUE_VERSION,
                new OffsetCommitValue()
                    .setOffset(offset.offset())
                    .setLeaderEpoch(offset.leaderEpoch())
                    .setMetadata(offset.metadata())
                    .setCommitTimestamp(offset.commitTimestampMs()));
            records[i++] = new SimpleRecord(nowMs, key, value);
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    /**
     * Replay every commit stored into the coordinator. A record that does not decode is reported and skipped; the
     * files are only read, and partitions no group has committed to are not opened.
     */
    static void load(final LogManager logs, final GroupCoordinator coordinator, final ErrorHandler errorHandler,
        final long nowMs) throws IOException
    {
        if (!logs.hasTopic(NAME))
        {
            return;
        }
        final Topic topic = logs.topic(NAME);
        final ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
        for (int p = 0; p < topic.partitionCount(); p++)
        {
            final Partition partition = topic.partition(p);
            if (!partition.isStored())
            {
                // No group has committed here: opening it would only create its files.
                continue;
            }
            final LogReader reader = partition.newReader();
            long offset = partition.logStartOffset();
            while (offset < partition.logEndOffset())
            {
                if (reader.read(offset, READ_BYTES, partition.logEndOffset()) != LogReader.OK ||
                    reader.length() == 0)
                {
                    break;
                }
                final ByteBuffer region = reader.length() <= buffer.capacity() ? buffer.clear() :
                    ByteBuffer.allocate(reader.length());
                region.limit(reader.length());
                reader.copyTo(region);
                region.flip();
                for (final RecordBatch batch : MemoryRecords.readableRecords(region).batches())
                {
                    for (final Record record : batch)
                    {
                        replay(coordinator, record, errorHandler, partition, nowMs);
                    }
                }
                offset = reader.nextOffset();
            }
        }
    }

    private static void replay(final GroupCoordinator coordinator, final Record record,
        final ErrorHandler errorHandler, final Partition partition, final long nowMs)
    {
        try
        {
            final ByteBuffer key = record.key();
            final short type = key.getShort();
            if (type != CoordinatorRecordType.OFFSET_COMMIT.id())
            {
                // Group metadata and other record types are not written here: nothing to replay.
                return;
            }
            final OffsetCommitKey commitKey = new OffsetCommitKey(new ByteBufferAccessor(key), (short)0);
            final TopicPartitionId id = new TopicPartitionId(commitKey.topic(), commitKey.partition());
            if (!record.hasValue())
            {
                coordinator.applyRemoval(commitKey.group(), id);
                return;
            }
            final ByteBuffer value = record.value();
            final short version = value.getShort();
            final OffsetCommitValue commit = new OffsetCommitValue(new ByteBufferAccessor(value), version);
            coordinator.applyCommit(commitKey.group(), id, new CommittedOffset(
                commit.offset(), commit.leaderEpoch(), commit.metadata(), commit.commitTimestamp()),
                record.offset(), nowMs);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new IOException(partition + " offset " + record.offset() +
                ": not a committed offset Kafka's format decodes, skipped (the file is left as it is): " +
                ex.getMessage(), ex));
        }
    }
}
