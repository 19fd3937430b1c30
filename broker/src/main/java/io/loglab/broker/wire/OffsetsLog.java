package io.loglab.broker.wire;

import io.loglab.broker.group.CommittedOffset;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.GroupError;
import io.loglab.broker.group.TopicPartitionId;
import io.loglab.engine.partition.AppendListener;
import io.loglab.engine.topic.Topic;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes to the offsets topic on a group's behalf (commits, and a deleted group's tombstones) and applies each to
 * the coordinator once it is durable, whether or not the client that asked is still connected: what OffsetFetch
 * answers is always what is stored.
 * <p>
 * Threading: the network thread only; appends complete on writer threads, published through their requests.
 */
final class OffsetsLog
{
    /** One batch of a group's records on its way to the offsets topic. */
    final class Write
    {
        private final String groupId;
        private final Map<TopicPartitionId, CommittedOffset> records;
        private final boolean deletesGroup;
        private final long nowMs;
        private PartitionAppend append;
        private boolean finished;
        private String failure;

        private Write(final String groupId, final Map<TopicPartitionId, CommittedOffset> records,
            final boolean deletesGroup, final long nowMs)
        {
            this.groupId = groupId;
            this.records = records;
            this.deletesGroup = deletesGroup;
            this.nowMs = nowMs;
        }

        /** Stored and applied, or failed. */
        boolean isFinished()
        {
            return finished;
        }

        /** Null once stored; why not otherwise (answered COORDINATOR_NOT_AVAILABLE, which clients retry). */
        String failure()
        {
            return failure;
        }

        private void fail(final String why)
        {
            failure = why;
            finished = true;
        }
    }

    private final Placement placement;
    private final GroupCoordinator coordinator;
    private final Runnable wakeup;
    private final AppendListener wakeWhenAppended;
    private final List<Write> inFlight = new ArrayList<>();

    OffsetsLog(final Placement placement, final GroupCoordinator coordinator, final Runnable wakeup)
    {
        this.placement = placement;
        this.coordinator = coordinator;
        this.wakeup = wakeup;
        this.wakeWhenAppended = request -> wakeup.run();
    }

    /**
     * Append a group's records (a null offset is a tombstone) in one batch.
     *
     * @param deletesGroup forget the group once the tombstones are stored (DeleteGroups).
     * @param nowMs        the network thread's clock, for groups created by the commit.
     * @param wallClockMs  the records' timestamp.
     */
    Write write(final String groupId, final Map<TopicPartitionId, CommittedOffset> records,
        final boolean deletesGroup, final long nowMs, final long wallClockMs)
    {
        final Write write = new Write(groupId, records, deletesGroup, nowMs);
        final Topic topic;
        try
        {
            topic = placement.offsetsTopic();
        }
        catch (final IOException | RuntimeException ex)
        {
            write.fail("the offsets topic cannot be created: " + ex.getMessage());
            return write;
        }
        if (topic == null)
        {
            write.fail("the offsets topic is being made");
            return write;
        }
        final int partition = OffsetsTopic.partitionFor(groupId, topic);
        write.append = new PartitionAppend(OffsetsTopic.NAME, partition, (short)-1);
        if (placement.replicates())
        {
            // Committed once the offsets partition's in-sync replicas have it, so it moves with a failover.
            write.append.committedBy(placement, wakeup);
        }
        write.append.start(topic, OffsetsTopic.batch(groupId, records, wallClockMs),
            wakeWhenAppended);
        inFlight.add(write);
        poll();
        return write;
    }

    /**
     * Give up every write still in flight, for this broker stopped coordinating: each is answered
     * COORDINATOR_NOT_AVAILABLE (its client finds the new coordinator and commits again there) and none is applied to
     * the groups, which belong to another broker now. A write the old term's replicas committed is in the log the new
     * coordinator replays.
     */
    void abandon()
    {
        inFlight.forEach(write -> write.fail("this broker stopped coordinating groups before the write was stored"));
        inFlight.clear();
    }

    /**
     * Apply every write that is now stored, in the order they were made.
     */
    void poll()
    {
        for (final Iterator<Write> writes = inFlight.iterator(); writes.hasNext(); )
        {
            final Write write = writes.next();
            if (!write.append.check())
            {
                continue;
            }
            writes.remove();
            final Errors error = write.append.error();
            if (error != null)
            {
                write.fail(error + ": " + write.append.message());
                continue;
            }
            long recordOffset = write.append.baseOffset();
            for (final Map.Entry<TopicPartitionId, CommittedOffset> record : write.records.entrySet())
            {
                if (record.getValue() == null)
                {
                    coordinator.applyRemoval(write.groupId, record.getKey());
                }
                else
                {
                    coordinator.applyCommit(write.groupId, record.getKey(), record.getValue(), recordOffset,
                        write.nowMs);
                }
                recordOffset++;
            }
            if (write.deletesGroup && coordinator.checkDeletable(write.groupId) == GroupError.NONE)
            {
                coordinator.delete(write.groupId);
            }
            write.finished = true;
        }
    }
}
