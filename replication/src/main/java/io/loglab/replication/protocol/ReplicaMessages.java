package io.loglab.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.UUID;

/**
 * The byte layout of the messages replicas exchange over the transport, and its one home: every message starts with
 * the same header, then its type's fixed fields; a records message ends with the leader's batches exactly as stored
 * (RecordBatch v2, never re-encoded). Little-endian, as Agrona writes; fields are read and written in place, nothing
 * is allocated per message.
 * <pre>
 *  0  int16  type          1 records, 2 heartbeat, 3 divergence, 4 position
 *  2  int16  version       1
 *  4  int32  sender        node id
 *  8  int64  incarnation   the sender's
 * 16  int32  leader epoch  the leader's; a follower's report names the epoch it follows
 * 20  int32  partition     index
 * 24  int64  topic id      most significant bits
 * 32  int64  topic id      least significant bits
 * 40  (the type's fields)
 * records     40 int64 base offset, 48 int64 end offset, 56 int64 high watermark, 64 batches to the end
 * heartbeat   40 int64 high watermark (-1: not known to the follower yet)
 * divergence  40 int32 epoch, 44 int32 flags (1: truncate fully), 48 int64 end offset
 * position    40 int64 log end, 48 int64 durable log end, 56 int32 latest epoch, 60 int32 flags (1: resend)
 * </pre>
 * A message that is too short for its type, or of a type or version not known, is refused by {@link #check}, which
 * says why; bad bytes on the wire are dropped and counted by the caller, never taken.
 */
public final class ReplicaMessages
{
    public static final short RECORDS = 1;
    public static final short HEARTBEAT = 2;
    public static final short DIVERGENCE = 3;
    public static final short POSITION = 4;
    public static final short VERSION = 1;

    public static final int FLAG_TRUNCATE_FULLY = 1;
    public static final int FLAG_RESEND = 1;

    private static final int TYPE = 0;
    private static final int VERSION_OFFSET = 2;
    private static final int SENDER = 4;
    private static final int INCARNATION = 8;
    private static final int LEADER_EPOCH = 16;
    private static final int PARTITION = 20;
    private static final int TOPIC_MSB = 24;
    private static final int TOPIC_LSB = 32;
    public static final int HEADER_LENGTH = 40;

    private static final int RECORDS_BASE_OFFSET = 40;
    private static final int RECORDS_END_OFFSET = 48;
    private static final int RECORDS_HIGH_WATERMARK = 56;
    /** Where a records message's batches start. */
    public static final int RECORDS_HEADER_LENGTH = 64;

    private static final int HEARTBEAT_HIGH_WATERMARK = 40;
    public static final int HEARTBEAT_LENGTH = 48;

    private static final int DIVERGENCE_EPOCH = 40;
    private static final int DIVERGENCE_FLAGS = 44;
    private static final int DIVERGENCE_END_OFFSET = 48;
    public static final int DIVERGENCE_LENGTH = 56;

    private static final int POSITION_LOG_END = 40;
    private static final int POSITION_DURABLE_END = 48;
    private static final int POSITION_LATEST_EPOCH = 56;
    private static final int POSITION_FLAGS = 60;
    public static final int POSITION_LENGTH = 64;

    private ReplicaMessages()
    {
    }

    /**
     * Why a message cannot be taken, or null if it can: long enough for its header and its type's fields, of a
     * known type and version.
     */
    public static String check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return "a message of " + length + " bytes is shorter than the " + HEADER_LENGTH + "-byte header";
        }
        final short version = buffer.getShort(offset + VERSION_OFFSET);
        if (version != VERSION)
        {
            return "message version " + version + " is not " + VERSION;
        }
        final short type = type(buffer, offset);
        final int least = switch (type)
        {
            case RECORDS -> RECORDS_HEADER_LENGTH;
            case HEARTBEAT -> HEARTBEAT_LENGTH;
            case DIVERGENCE -> DIVERGENCE_LENGTH;
            case POSITION -> POSITION_LENGTH;
            default -> -1;
        };
        if (least < 0)
        {
            return "message type " + type + " is not known";
        }
        if (length < least)
        {
            return "a message of type " + type + " needs " + least + " bytes, got " + length;
        }
        if (type == RECORDS && recordsEndOffset(buffer, offset) < recordsBaseOffset(buffer, offset))
        {
            return "a records message ends at " + recordsEndOffset(buffer, offset) + ", before its base offset " +
                recordsBaseOffset(buffer, offset);
        }
        return null;
    }

    /**
     * Write the header every message starts with, at {@code offset}; the type's fields go after it (every method
     * here takes the offset where the message starts).
     */
    public static void putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final short type,
        final int sender,
        final long incarnation,
        final int leaderEpoch,
        final UUID topicId,
        final int partition)
    {
        buffer.putShort(offset + TYPE, type);
        buffer.putShort(offset + VERSION_OFFSET, VERSION);
        buffer.putInt(offset + SENDER, sender);
        buffer.putLong(offset + INCARNATION, incarnation);
        buffer.putInt(offset + LEADER_EPOCH, leaderEpoch);
        buffer.putInt(offset + PARTITION, partition);
        buffer.putLong(offset + TOPIC_MSB, topicId.getMostSignificantBits());
        buffer.putLong(offset + TOPIC_LSB, topicId.getLeastSignificantBits());
    }

    /**
     * The fields of a records message after its header; the batches follow, from {@link #RECORDS_HEADER_LENGTH} past
     * the message's start to its end.
     */
    public static void putRecords(final MutableDirectBuffer buffer, final int offset, final long baseOffset,
        final long endOffset, final long highWatermark)
    {
        buffer.putLong(offset + RECORDS_BASE_OFFSET, baseOffset);
        buffer.putLong(offset + RECORDS_END_OFFSET, endOffset);
        buffer.putLong(offset + RECORDS_HIGH_WATERMARK, highWatermark);
    }

    public static void putHeartbeat(final MutableDirectBuffer buffer, final int offset, final long highWatermark)
    {
        buffer.putLong(offset + HEARTBEAT_HIGH_WATERMARK, highWatermark);
    }

    public static void putDivergence(final MutableDirectBuffer buffer, final int offset, final int epoch,
        final long endOffset, final boolean truncateFully)
    {
        buffer.putInt(offset + DIVERGENCE_EPOCH, epoch);
        buffer.putInt(offset + DIVERGENCE_FLAGS, truncateFully ? FLAG_TRUNCATE_FULLY : 0);
        buffer.putLong(offset + DIVERGENCE_END_OFFSET, endOffset);
    }

    public static void putPosition(final MutableDirectBuffer buffer, final int offset, final long logEndOffset,
        final long durableEndOffset, final int latestEpoch, final boolean resend)
    {
        buffer.putLong(offset + POSITION_LOG_END, logEndOffset);
        buffer.putLong(offset + POSITION_DURABLE_END, durableEndOffset);
        buffer.putInt(offset + POSITION_LATEST_EPOCH, latestEpoch);
        buffer.putInt(offset + POSITION_FLAGS, resend ? FLAG_RESEND : 0);
    }

    public static short type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TYPE);
    }

    public static int sender(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SENDER);
    }

    public static long incarnation(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + INCARNATION);
    }

    public static int leaderEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LEADER_EPOCH);
    }

    public static int partition(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PARTITION);
    }

    public static long topicIdMostSignificantBits(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TOPIC_MSB);
    }

    public static long topicIdLeastSignificantBits(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TOPIC_LSB);
    }

    public static long recordsBaseOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECORDS_BASE_OFFSET);
    }

    public static long recordsEndOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECORDS_END_OFFSET);
    }

    public static long recordsHighWatermark(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECORDS_HIGH_WATERMARK);
    }

    public static long heartbeatHighWatermark(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HEARTBEAT_HIGH_WATERMARK);
    }

    public static int divergenceEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DIVERGENCE_EPOCH);
    }

    public static long divergenceEndOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DIVERGENCE_END_OFFSET);
    }

    public static boolean divergenceTruncatesFully(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getInt(offset + DIVERGENCE_FLAGS) & FLAG_TRUNCATE_FULLY) != 0;
    }

    public static long positionLogEndOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + POSITION_LOG_END);
    }

    public static long positionDurableEndOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + POSITION_DURABLE_END);
    }

    public static int positionLatestEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + POSITION_LATEST_EPOCH);
    }

    public static boolean positionAsksResend(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getInt(offset + POSITION_FLAGS) & FLAG_RESEND) != 0;
    }
}
