package io.loglab.broker.wire;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.LogRegion;
import io.loglab.engine.log.RegionRemovedException;
import io.loglab.engine.partition.Partition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fetch waiting for its data: on each pass it reads the partitions it asks for (cheap when nothing is new: only
 * the high watermarks are looked at) and is ready once the regions found add up to {@code min_bytes}, a partition
 * has an error to report, or the max wait is over. The regions found are held until the response is sent.
 * <p>
 * Threading: the network thread only.
 */
final class PendingFetch extends KafkaResponse
{
    private static final class PartitionFetch
    {
        private final String topic;
        private final int index;
        private final Partition partition;
        private final long fetchOffset;
        private final int maxBytes;
        private Errors error;
        private FileRegionRecords records;
        private long highWatermark = -1;
        private long logStartOffset = -1;

        private PartitionFetch(
            final String topic, final int index, final Partition partition, final long fetchOffset, final int maxBytes)
        {
            this.topic = topic;
            this.index = index;
            this.partition = partition;
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
            this.error = partition == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : null;
        }

        private void release()
        {
            if (records != null)
            {
                records.close();
                records = null;
            }
        }
    }

    private final List<PartitionFetch> partitions = new ArrayList<>();
    private final Readers readers;
    private final int minBytes;
    private final int maxBytes;
    private final long deadlineNs;

    PendingFetch(
        final SocketTransferChannel channel,
        final RequestContext context,
        final Readers readers,
        final int minBytes,
        final int maxBytes,
        final long deadlineNs)
    {
        super(channel, context);
        this.readers = readers;
        this.minBytes = Math.max(1, minBytes);
        this.maxBytes = maxBytes;
        this.deadlineNs = deadlineNs;
    }

    void add(final String topic, final int index, final Partition partition, final long fetchOffset, final int max)
    {
        partitions.add(new PartitionFetch(topic, index, partition, fetchOffset, max));
    }

    /**
     * A partition answered {@code error} without a read (led by another node, say).
     */
    void refuse(final String topic, final int index, final Errors error)
    {
        final PartitionFetch refused = new PartitionFetch(topic, index, null, -1, 0);
        refused.error = error;
        partitions.add(refused);
    }

    @Override
    boolean readyNow(final long nowNs)
    {
        final boolean lastChance = nowNs - deadlineNs >= 0;
        if (!lastChance && !anythingNew())
        {
            return false;
        }
        long found = 0;
        boolean errors = false;
        long budget = maxBytes;
        for (final PartitionFetch fetch : partitions)
        {
            fetch.release();
            if (fetch.partition != null)
            {
                // Past the response's max_bytes only the high watermarks are given, unless nothing was found yet.
                read(fetch, budget > 0 || found == 0 ? Math.max(1, budget) : 0);
            }
            errors |= fetch.error != null;
            if (fetch.records != null)
            {
                found += fetch.records.sizeInBytes();
                budget -= fetch.records.sizeInBytes();
            }
        }
        if (found >= minBytes || errors || lastChance)
        {
            return true;
        }
        partitions.forEach(PartitionFetch::release);
        return false;
    }

    /**
     * Whether a partition has something past its fetch offset, or its offset is out of range, or it is gone: worth
     * reading (an error ends the wait, as in Kafka).
     */
    private boolean anythingNew()
    {
        for (final PartitionFetch fetch : partitions)
        {
            try
            {
                if (fetch.partition == null || fetch.partition.log().highWatermark() > fetch.fetchOffset ||
                    fetch.partition.logStartOffset() > fetch.fetchOffset ||
                    fetch.partition.logEndOffset() < fetch.fetchOffset)
                {
                    return true;
                }
            }
            catch (final UncheckedIOException refused)
            {
                return true;
            }
        }
        return false;
    }

    private void read(final PartitionFetch fetch, final long budget)
    {
        fetch.error = null;
        try
        {
            fetch.highWatermark = fetch.partition.log().highWatermark();
            fetch.logStartOffset = fetch.partition.logStartOffset();
            if (budget == 0)
            {
                return;
            }
            final LogReader reader = readers.of(fetch.partition);
            if (reader.read(fetch.fetchOffset, (int)Math.min(fetch.maxBytes, budget)) ==
                LogReader.OFFSET_OUT_OF_RANGE)
            {
                fetch.error = Errors.OFFSET_OUT_OF_RANGE;
                return;
            }
            final LogRegion region = reader.holdRegion();
            fetch.records = region == null ? null : new FileRegionRecords(region);
        }
        catch (final RegionRemovedException removed)
        {
            // Retention or truncation removed it after the lookup: read again on the next pass.
        }
        catch (final IOException | UncheckedIOException ex)
        {
            fetch.error = Errors.KAFKA_STORAGE_ERROR;
        }
    }

    @Override
    ApiMessage body()
    {
        final FetchResponseData response = new FetchResponseData().setSessionId(0);
        FetchResponseData.FetchableTopicResponse topic = null;
        for (final PartitionFetch fetch : partitions)
        {
            if (topic == null || !topic.topic().equals(fetch.topic))
            {
                topic = new FetchResponseData.FetchableTopicResponse().setTopic(fetch.topic);
                response.responses().add(topic);
            }
            // With an error Kafka gives no offsets: -1.
            final boolean failed = fetch.error != null;
            topic.partitions().add(new FetchResponseData.PartitionData()
                .setPartitionIndex(fetch.index)
                .setErrorCode(failed ? fetch.error.code() : Errors.NONE.code())
                .setHighWatermark(failed ? -1 : fetch.highWatermark)
                .setLastStableOffset(failed ? -1 : fetch.highWatermark)
                .setLogStartOffset(failed ? -1 : fetch.logStartOffset)
                .setAbortedTransactions(null)
                // Never null: librdkafka takes a null record set for a broken one.
                .setRecords(fetch.records == null ? MemoryRecords.EMPTY : fetch.records));
        }
        return response;
    }

    @Override
    public void close()
    {
        partitions.forEach(PartitionFetch::release);
    }
}
