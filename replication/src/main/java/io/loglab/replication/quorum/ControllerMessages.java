package io.loglab.replication.quorum;

import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.CommitRule;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.UUID;

/**
 * The byte layout of the messages between nodes and the controller quorum, and its one home. Ingress (a node to the
 * cluster) and egress (the cluster to a node's session) share one header: int16 type, int16 version. Little-endian,
 * as Agrona writes; strings are an int32 length and UTF-8 bytes, arrays an int32 count and int32 elements.
 * <pre>
 * ingress
 *   1 heartbeat        4 int32 node, 8 int64 incarnation, 16 int64 last decision applied
 *   2 propose isr      4 int32 leader, 8 int32 partition, 12 int32 leader epoch, 16 int32 partition epoch,
 *                      20 isr array, then topic string
 *   3 create topic     4 int32 partitions, 8 int64 correlation id, 16 topic settings, 28 name string, then log
 *                      settings string (properties text)
 *   4 log report       4 int32 node, 8 int64 incarnation, 16 int32 partition, 20 int32 leaderless epoch,
 *                      24 int32 latest epoch, 28 int64 log end offset, 36 topic string
 *   5 delete topic     4 int32 unused, 8 int64 correlation id, 16 name string
 * egress (each decision numbered: the controller's count of decisions when it was made; 0 for one sent again in a
 * resync, which a resync end closes)
 *   11 topic           4 int32 partitions, 8 int64 decision, 16 topic id (2 x int64), 32 topic settings,
 *                      44 name string, then log settings string
 *   12 partition       4 int32 partition, 8 int64 decision, 16 topic id (2 x int64), 32 int32 leader,
 *                      36 int32 leader epoch, 40 int32 partition epoch, 44 replicas array, then isr array, then
 *                      topic string
 *   13 result          4 int32 unused, 8 int64 correlation id, 16 error string (empty: made, or deleted)
 *   14 resync end      4 int32 messages sent again, 8 int64 the newest decision they bring the node to
 *   15 topic deleted   4 int32 unused, 8 int64 decision, 16 topic id (2 x int64), 32 name string
 * topic settings: int32 replication factor, int32 min.insync.replicas, int32 flags (1: unclean election,
 *                 2: majority commit)
 * </pre>
 * {@link #check} refuses a message too short for its type or of an unknown type or version, with the reason.
 */
public final class ControllerMessages
{
    public static final short HEARTBEAT = 1;
    public static final short PROPOSE_ISR = 2;
    public static final short CREATE_TOPIC = 3;
    public static final short LOG_REPORT = 4;
    public static final short DELETE_TOPIC = 5;
    public static final short TOPIC = 11;
    public static final short PARTITION = 12;
    public static final short RESULT = 13;
    public static final short RESYNC_END = 14;
    public static final short TOPIC_DELETED = 15;
    /** The decision number of a topic or partition sent again in a resync. */
    public static final long RESENT = 0;
    /** 2: topic settings whole in create topic and topic (commit rule among them); 3: log report, topic deletion. */
    public static final short VERSION = 3;
    /** Still read: a controller log written before version 3 lays its types out alike, and is replayed whole. */
    private static final short OLDEST_READ = 2;
    public static final int FLAG_UNCLEAN = 1;
    public static final int FLAG_MAJORITY = 2;

    private static final int TYPE = 0;
    private static final int VERSION_OFFSET = 2;
    private static final int INT_4 = 4;
    private static final int LONG_8 = 8;
    private static final int AT_12 = 12;
    private static final int AT_16 = 16;
    private static final int AT_20 = 20;
    private static final int AT_24 = 24;
    private static final int AT_28 = 28;
    private static final int AT_32 = 32;
    private static final int AT_36 = 36;
    private static final int AT_40 = 40;
    private static final int AT_44 = 44;

    private ControllerMessages()
    {
    }

    /**
     * Why a message cannot be taken, or null: its fixed part must be there, of a known type and version (its
     * strings and arrays are checked as they are read, by the buffer's bounds). Writers encode at offset 0 of a
     * buffer of their own; readers take the message's offset.
     */
    public static String check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < INT_4)
        {
            return "a controller message of " + length + " bytes has no header";
        }
        final short version = buffer.getShort(offset + VERSION_OFFSET);
        if (version < OLDEST_READ || version > VERSION)
        {
            return "controller message version " + version + " is not " + OLDEST_READ + " to " + VERSION;
        }
        final short type = type(buffer, offset);
        final int least = switch (type)
        {
            case HEARTBEAT -> 24;
            case PROPOSE_ISR -> 28;
            case CREATE_TOPIC -> 36;
            case LOG_REPORT -> 40;
            case DELETE_TOPIC -> 20;
            case TOPIC -> 52;
            case PARTITION -> 56;
            case RESULT -> 20;
            case RESYNC_END -> 16;
            case TOPIC_DELETED -> 36;
            default -> -1;
        };
        if (least < 0)
        {
            return "controller message type " + type + " is not known";
        }
        return length < least ? "a controller message of type " + type + " needs at least " + least + " bytes, got " +
            length : null;
    }

    public static short type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TYPE);
    }

    public static int heartbeat(final MutableDirectBuffer buffer, final int nodeId, final long incarnation,
        final long applied)
    {
        header(buffer, HEARTBEAT);
        buffer.putInt(INT_4, nodeId);
        buffer.putLong(LONG_8, incarnation);
        buffer.putLong(AT_16, applied);
        return 24;
    }

    public static int proposeIsr(final MutableDirectBuffer buffer, final int leaderId, final String topic,
        final int partition, final int leaderEpoch, final int partitionEpoch, final int[] isr)
    {
        header(buffer, PROPOSE_ISR);
        buffer.putInt(INT_4, leaderId);
        buffer.putInt(LONG_8, partition);
        buffer.putInt(AT_12, leaderEpoch);
        buffer.putInt(AT_16, partitionEpoch);
        final int at = putArray(buffer, AT_20, isr);
        return at + buffer.putStringUtf8(at, topic);
    }

    public static int logReport(final MutableDirectBuffer buffer, final int nodeId, final long incarnation,
        final String topic, final int partition, final int leaderEpoch, final int latestEpoch, final long logEnd)
    {
        header(buffer, LOG_REPORT);
        buffer.putInt(INT_4, nodeId);
        buffer.putLong(LONG_8, incarnation);
        buffer.putInt(AT_16, partition);
        buffer.putInt(AT_20, leaderEpoch);
        buffer.putInt(AT_24, latestEpoch);
        buffer.putLong(AT_28, logEnd);
        return AT_36 + buffer.putStringUtf8(AT_36, topic);
    }

    public static int createTopic(final MutableDirectBuffer buffer, final long correlationId, final String name,
        final int partitions, final TopicSettings settings, final String logSettings)
    {
        header(buffer, CREATE_TOPIC);
        buffer.putInt(INT_4, partitions);
        buffer.putLong(LONG_8, correlationId);
        putSettings(buffer, AT_16, settings);
        final int at = AT_28 + buffer.putStringUtf8(AT_28, name);
        return at + buffer.putStringUtf8(at, logSettings);
    }

    public static int topic(final MutableDirectBuffer buffer, final long decision, final String name,
        final UUID topicId, final int partitions, final TopicSettings settings, final String logSettings)
    {
        header(buffer, TOPIC);
        buffer.putInt(INT_4, partitions);
        buffer.putLong(LONG_8, decision);
        putUuid(buffer, AT_16, topicId);
        putSettings(buffer, AT_32, settings);
        final int at = AT_44 + buffer.putStringUtf8(AT_44, name);
        return at + buffer.putStringUtf8(at, logSettings);
    }

    private static void putSettings(final MutableDirectBuffer buffer, final int at, final TopicSettings settings)
    {
        buffer.putInt(at, settings.replicationFactor());
        buffer.putInt(at + Integer.BYTES, settings.minInsyncReplicas());
        buffer.putInt(at + 2 * Integer.BYTES, (settings.uncleanLeaderElection() ? FLAG_UNCLEAN : 0) |
            (settings.commitRule() == CommitRule.MAJORITY ? FLAG_MAJORITY : 0));
    }

    /**
     * @throws IllegalArgumentException if they are not valid settings.
     */
    private static TopicSettings getSettings(final DirectBuffer buffer, final int at)
    {
        final int flags = buffer.getInt(at + 2 * Integer.BYTES);
        return new TopicSettings(buffer.getInt(at), buffer.getInt(at + Integer.BYTES), (flags & FLAG_UNCLEAN) != 0,
            (flags & FLAG_MAJORITY) != 0 ? CommitRule.MAJORITY : CommitRule.ISR);
    }

    public static int partition(final MutableDirectBuffer buffer, final long decision, final String topic,
        final UUID topicId, final int partition, final PartitionState state)
    {
        header(buffer, PARTITION);
        buffer.putInt(INT_4, partition);
        buffer.putLong(LONG_8, decision);
        putUuid(buffer, AT_16, topicId);
        buffer.putInt(AT_32, state.leader());
        buffer.putInt(AT_36, state.leaderEpoch());
        buffer.putInt(AT_40, state.partitionEpoch());
        int at = putArray(buffer, AT_44, state.replicas());
        at = putArray(buffer, at, state.isr());
        return at + buffer.putStringUtf8(at, topic);
    }

    public static int deleteTopic(final MutableDirectBuffer buffer, final long correlationId, final String name)
    {
        header(buffer, DELETE_TOPIC);
        buffer.putInt(INT_4, 0);
        buffer.putLong(LONG_8, correlationId);
        return AT_16 + buffer.putStringUtf8(AT_16, name);
    }

    public static int topicDeleted(final MutableDirectBuffer buffer, final long decision, final String name,
        final UUID topicId)
    {
        header(buffer, TOPIC_DELETED);
        buffer.putInt(INT_4, 0);
        buffer.putLong(LONG_8, decision);
        putUuid(buffer, AT_16, topicId);
        return AT_32 + buffer.putStringUtf8(AT_32, name);
    }

    /**
     * The answer to a create topic or delete topic.
     */
    public static int result(final MutableDirectBuffer buffer, final long correlationId, final String error)
    {
        header(buffer, RESULT);
        buffer.putInt(INT_4, 0);
        buffer.putLong(LONG_8, correlationId);
        return AT_16 + buffer.putStringUtf8(AT_16, error == null ? "" : error);
    }

    public static int resyncEnd(final MutableDirectBuffer buffer, final long decision, final int messages)
    {
        header(buffer, RESYNC_END);
        buffer.putInt(INT_4, messages);
        buffer.putLong(LONG_8, decision);
        return 16;
    }

    /**
     * Heartbeat and log report (node), propose isr (leader), create topic, topic (partitions), partition (index),
     * resync end (messages).
     */
    public static int int4(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + INT_4);
    }

    /**
     * Heartbeat and log report (incarnation), create topic, delete topic and result (correlation id), topic,
     * partition, topic deleted and resync end (decision).
     */
    public static long long8(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + LONG_8);
    }

    /** Propose isr: partition. */
    public static int proposedPartition(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LONG_8);
    }

    public static int proposedLeaderEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + AT_12);
    }

    public static int proposedPartitionEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + AT_16);
    }

    public static int[] proposedIsr(final DirectBuffer buffer, final int offset)
    {
        return getArray(buffer, offset + AT_20);
    }

    public static String proposedTopic(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_20 + arrayLength(buffer, offset + AT_20));
    }

    /** Log report: the partition, the leaderless epoch it answers, the log's latest epoch and end, the topic. */
    public static int reportPartition(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + AT_16);
    }

    public static int reportLeaderEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + AT_20);
    }

    public static int reportLatestEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + AT_24);
    }

    public static long reportLogEnd(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + AT_28);
    }

    public static String reportTopic(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_36);
    }

    /** Heartbeat: the last decision the node applied. */
    public static long heartbeatApplied(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + AT_16);
    }

    /**
     * @throws IllegalArgumentException if the message's settings are not valid ones.
     */
    public static TopicSettings createSettings(final DirectBuffer buffer, final int offset)
    {
        return getSettings(buffer, offset + AT_16);
    }

    public static String createName(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_28);
    }

    public static String createLogSettings(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_28 + Integer.BYTES + buffer.getInt(offset + AT_28));
    }

    public static UUID topicId(final DirectBuffer buffer, final int offset)
    {
        return new UUID(buffer.getLong(offset + AT_16), buffer.getLong(offset + AT_24));
    }

    /**
     * @throws IllegalArgumentException if the message's settings are not valid ones.
     */
    public static TopicSettings topicSettings(final DirectBuffer buffer, final int offset)
    {
        return getSettings(buffer, offset + AT_32);
    }

    public static String topicName(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_44);
    }

    public static String topicLogSettings(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_44 + Integer.BYTES + buffer.getInt(offset + AT_44));
    }

    public static PartitionState partitionState(final DirectBuffer buffer, final int offset)
    {
        final int[] replicas = getArray(buffer, offset + AT_44);
        final int isrAt = offset + AT_44 + arrayLength(buffer, offset + AT_44);
        return new PartitionState(replicas, buffer.getInt(offset + AT_32), buffer.getInt(offset + AT_36),
            buffer.getInt(offset + AT_40), getArray(buffer, isrAt));
    }

    public static String partitionTopic(final DirectBuffer buffer, final int offset)
    {
        final int isrAt = offset + AT_44 + arrayLength(buffer, offset + AT_44);
        return buffer.getStringUtf8(isrAt + arrayLength(buffer, isrAt));
    }

    /** Delete topic: the name. */
    public static String deleteName(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_16);
    }

    /** Topic deleted: the name (its id: {@link #topicId}). */
    public static String deletedName(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_32);
    }

    public static String resultError(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringUtf8(offset + AT_16);
    }

    private static void header(final MutableDirectBuffer buffer, final short type)
    {
        buffer.putShort(TYPE, type);
        buffer.putShort(VERSION_OFFSET, VERSION);
    }

    private static void putUuid(final MutableDirectBuffer buffer, final int at, final UUID id)
    {
        buffer.putLong(at, id.getMostSignificantBits());
        buffer.putLong(at + LONG_8, id.getLeastSignificantBits());
    }

    private static int putArray(final MutableDirectBuffer buffer, final int at, final int[] values)
    {
        buffer.putInt(at, values.length);
        for (int i = 0; i < values.length; i++)
        {
            buffer.putInt(at + Integer.BYTES * (i + 1), values[i]);
        }
        return at + Integer.BYTES * (values.length + 1);
    }

    private static int arrayLength(final DirectBuffer buffer, final int at)
    {
        return Integer.BYTES * (buffer.getInt(at) + 1);
    }

    private static int[] getArray(final DirectBuffer buffer, final int at)
    {
        final int count = buffer.getInt(at);
        if (count < 0 || count > 1024)
        {
            throw new IllegalArgumentException("an array of " + count + " node ids is not one the controller sends");
        }
        final int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = buffer.getInt(at + Integer.BYTES * (i + 1));
        }
        return values;
    }
}
