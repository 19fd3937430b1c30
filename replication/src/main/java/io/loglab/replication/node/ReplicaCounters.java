package io.loglab.replication.node;

import io.loglab.engine.stat.CountersFile;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * One replica's status as counters in its node's counters file, so another process ({@code loglab cluster status})
 * reads every node's view of every partition without asking the node anything: role, leader, leader epoch, in-sync
 * set (a bit per node id below 63), high watermark and log end offset. The counters' key and its one home: int32
 * field, int32 partition, topic id (2 x int64); the label is {@code replica TOPIC-PARTITION FIELD}.
 * <p>
 * Threading: the node's thread is the one writer (ordered stores); readers load them volatile.
 */
public final class ReplicaCounters implements AutoCloseable
{
    private static final int FIELD_OFFSET = 0;
    private static final int PARTITION_OFFSET = 4;
    private static final int TOPIC_ID_OFFSET = 8;
    private static final int MAX_NODE_BIT = 62;
    private static final String[] FIELDS = {"role", "leader", "leader-epoch", "isr", "high-watermark",
        "log-end-offset"};
    private static final int ROLE = 0;
    private static final int LEADER = 1;
    private static final int EPOCH = 2;
    private static final int ISR = 3;
    private static final int HIGH_WATERMARK = 4;
    private static final int LOG_END_OFFSET = 5;

    private final AtomicCounter[] counters = new AtomicCounter[FIELDS.length];
    /** The counters file had room for all of them; if not, the replica runs without (status shows nothing). */
    private final boolean published;

    /**
     * One replica as read back: the view of the node whose counters file it came from.
     */
    public record Row(String topic, UUID topicId, int partition, ReplicaStatus.Role role, int leaderId, int leaderEpoch,
        int[] isr, long highWatermark, long logEndOffset)
    {
    }

    ReplicaCounters(final CountersManager manager, final String topic, final UUID topicId, final int partition)
    {
        boolean made = true;
        try
        {
            make(manager, topic, topicId, partition);
        }
        catch (final IllegalStateException full)
        {
            // The counters file is full: a replica's status is for reading, not for running it.
            close();
            made = false;
        }
        published = made;
    }

    private void make(final CountersManager manager, final String topic, final UUID topicId, final int partition)
    {
        for (int field = 0; field < FIELDS.length; field++)
        {
            final int f = field;
            counters[field] = manager.newCounter("replica " + topic + "-" + partition + " " + FIELDS[field],
                CountersFile.REPLICA_TYPE_ID, key ->
                {
                    key.putInt(FIELD_OFFSET, f);
                    key.putInt(PARTITION_OFFSET, partition);
                    key.putLong(TOPIC_ID_OFFSET, topicId.getMostSignificantBits());
                    key.putLong(TOPIC_ID_OFFSET + Long.BYTES, topicId.getLeastSignificantBits());
                });
        }
    }

    void update(final ReplicaStatus status)
    {
        if (!published)
        {
            return;
        }
        counters[ROLE].setOrdered(status.role().ordinal());
        counters[LEADER].setOrdered(status.leaderId());
        counters[EPOCH].setOrdered(status.leaderEpoch());
        long isr = 0;
        for (final int node : status.isr())
        {
            isr |= node >= 0 && node <= MAX_NODE_BIT ? 1L << node : 0;
        }
        counters[ISR].setOrdered(isr);
        counters[HIGH_WATERMARK].setOrdered(status.highWatermark());
        counters[LOG_END_OFFSET].setOrdered(status.logEndOffset());
    }

    /**
     * Every replica in a counters file, in the order they were made.
     */
    public static List<Row> read(final CountersReader reader)
    {
        final Map<String, long[]> values = new LinkedHashMap<>();
        final Map<String, String> topics = new LinkedHashMap<>();
        reader.forEach((id, typeId, key, label) ->
        {
            if (typeId != CountersFile.REPLICA_TYPE_ID)
            {
                return;
            }
            final int field = key.getInt(FIELD_OFFSET);
            final int partition = key.getInt(PARTITION_OFFSET);
            final String replica = new UUID(key.getLong(TOPIC_ID_OFFSET), key.getLong(TOPIC_ID_OFFSET + Long.BYTES)) +
                "/" + partition;
            if (field < 0 || field >= FIELDS.length)
            {
                return;
            }
            values.computeIfAbsent(replica, k -> new long[FIELDS.length])[field] = reader.getCounterValue(id);
            final String suffix = "-" + partition + " " + FIELDS[field];
            if (label.startsWith("replica ") && label.endsWith(suffix))
            {
                topics.put(replica, label.substring("replica ".length(), label.length() - suffix.length()));
            }
        });
        final List<Row> rows = new ArrayList<>();
        values.forEach((replica, fields) ->
        {
            final int slash = replica.indexOf('/');
            rows.add(new Row(topics.getOrDefault(replica, "?"), UUID.fromString(replica.substring(0, slash)),
                Integer.parseInt(replica.substring(slash + 1)), ReplicaStatus.Role.values()[(int)Math.max(0,
                Math.min(2, fields[ROLE]))], (int)fields[LEADER], (int)fields[EPOCH], nodes(fields[ISR]),
                fields[HIGH_WATERMARK], fields[LOG_END_OFFSET]));
        });
        return rows;
    }

    private static int[] nodes(final long bits)
    {
        return IntStream.rangeClosed(0, MAX_NODE_BIT).filter(n -> (bits & 1L << n) != 0).toArray();
    }

    @Override
    public void close()
    {
        for (int field = 0; field < counters.length; field++)
        {
            CloseHelper.close(counters[field]);
            counters[field] = null;
        }
    }
}
