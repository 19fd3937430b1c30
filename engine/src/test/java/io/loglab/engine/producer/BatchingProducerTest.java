package io.loglab.engine.producer;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.producer.ProducerTestSupport.Outcome;
import io.loglab.engine.producer.ProducerTestSupport.Outcomes;
import io.loglab.engine.producer.ProducerTestSupport.Stored;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.loglab.engine.producer.ProducerTestSupport.ascii;
import static io.loglab.engine.producer.ProducerTestSupport.readAll;
import static io.loglab.engine.producer.ProducerTestSupport.values;
import static io.loglab.engine.record.Record.NULL_LENGTH;
import static io.loglab.engine.record.RecordBatchDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

class BatchingProducerTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dataDir;

    private LogManager manager;
    private final Outcomes outcomes = new Outcomes();

    @BeforeEach
    void open() throws IOException
    {
        manager = LogManager.open(new LogManagerContext().dataDir(dataDir));
    }

    @AfterEach
    void close()
    {
        manager.close();
    }

    private ProducerContext context()
    {
        return new ProducerContext().listener(outcomes).batchBytes(512).inFlightPerPartition(2);
    }

    private static int send(final BatchingProducer producer, final int partition, final String value)
    {
        final UnsafeBuffer bytes = ascii(value);
        return producer.sendTo(partition, NOW, null, 0, 0, bytes, 0, bytes.capacity());
    }

    private List<Outcome> outcomesOf(final int partition)
    {
        return outcomes.outcomes.stream().filter(outcome -> outcome.partition() == partition).toList();
    }

    @Test
    void shouldAcknowledgeEveryRecordInOrderPerPartitionWhenKeyed() throws IOException
    {
        final Topic topic = manager.createTopic("t", 3, new LogConfig());
        final BatchingProducer producer = new BatchingProducer(topic, context().batchBytes(1024));
        final List<List<String>> expected = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final Map<String, Integer> partitionOfKey = new HashMap<>();
        for (int i = 0; i < 3000; i++)
        {
            final String key = "k" + (i % 7);
            final UnsafeBuffer keyBytes = ascii(key);
            final UnsafeBuffer value = ascii("value-" + i);
            final int partition = producer.send(NOW, keyBytes, 0, keyBytes.capacity(), value, 0, value.capacity());
            assertEquals(partition, partitionOfKey.computeIfAbsent(key, k -> partition), "a key keeps its partition");
            expected.get(partition).add("value-" + i);
        }
        assertTrue(producer.awaitIdle(TIMEOUT_NS));
        assertTrue(producer.isIdle());
        assertEquals(0, outcomes.failedRecords);
        assertEquals(3000, outcomes.acknowledgedRecords);
        for (int p = 0; p < 3; p++)
        {
            long next = 0;
            for (final Outcome outcome : outcomesOf(p))
            {
                assertEquals(next, outcome.baseOffset(), "completions come in order, without gaps: " + outcome);
                assertEquals(outcome.recordCount(), outcome.lastOffset() - outcome.baseOffset() + 1);
                next = outcome.lastOffset() + 1;
            }
            assertEquals(expected.get(p).size(), next);
            assertEquals(expected.get(p), values(readAll(topic.partition(p).log())));
        }
    }

    @Test
    void shouldSendBatchAfterLingerWhenNoMoreRecordsArrive() throws IOException
    {
        final Topic topic = manager.createTopic("t", 1, new LogConfig());
        final long[] nowNs = { 0 };
        final long lingerNs = TimeUnit.MILLISECONDS.toNanos(5);
        final BatchingProducer producer = new BatchingProducer(topic,
            context().clock(() -> nowNs[0]).lingerNs(lingerNs).blocking(false));

        assertEquals(0, send(producer, 0, "only"));
        assertEquals(lingerNs, producer.lingerDeadlineNs(0));
        assertEquals(0, producer.poll(lingerNs - 1));
        assertEquals(1, producer.unsentRecords(0), "still waiting for more records");
        assertEquals(0, producer.inFlight());

        nowNs[0] = lingerNs;
        assertTrue(producer.poll(lingerNs) > 0);
        assertEquals(0, producer.unsentRecords(0));
        assertEquals(Long.MAX_VALUE, producer.lingerDeadlineNs(0));
        TestBatches.await(() ->
        {
            producer.poll(nowNs[0]);
            return outcomes.acknowledgedRecords == 1;
        }, 30_000, () -> "the lingering batch to be acknowledged");
        assertEquals(List.of("only"), values(readAll(topic.partition(0).log())));
    }

    @Test
    void shouldReturnBackPressureWithNothingAddedWhenWindowIsFull() throws IOException
    {
        final Topic topic = manager.createTopic("t", 1, new LogConfig());
        final BatchingProducer producer = new BatchingProducer(topic,
            context().blocking(false).inFlightPerPartition(1).lingerNs(TimeUnit.HOURS.toNanos(1)));
        final String padding = "x".repeat(100);
        final RecordBatchBuilder fitting = new RecordBatchBuilder().wrap(new UnsafeBuffer(new byte[512]), 0, 512);
        final UnsafeBuffer record = ascii("000" + padding);
        int perBatch = 0;
        while (fitting.tryAppend(NOW, null, 0, 0, record, 0, record.capacity(), null))
        {
            perBatch++;
        }

        int added = 0;
        while (send(producer, 0, String.format("%03d", added) + padding) == 0)
        {
            added++;
        }
        assertEquals(perBatch, added, "one full batch went out, and the one request is still not polled");
        assertEquals(1, producer.inFlight(0));
        assertEquals(0, producer.unsentRecords(0));
        assertEquals(BatchingProducer.BACK_PRESSURED, send(producer, 0, String.format("%03d", added) + padding),
            "no room until a poll reports the batch in flight");

        TestBatches.await(() ->
        {
            producer.poll(System.nanoTime());
            return producer.inFlight() == 0;
        }, 30_000, () -> "the first batch to complete");
        assertEquals(0, send(producer, 0, String.format("%03d", added) + padding));
        assertTrue(producer.awaitIdle(TIMEOUT_NS));

        final List<String> expected = new ArrayList<>();
        for (int i = 0; i <= added; i++)
        {
            expected.add(String.format("%03d", i) + padding);
        }
        assertEquals(expected, values(readAll(topic.partition(0).log())), "each back-pressured record stored once");
        assertEquals(added + 1, outcomes.acknowledgedRecords);
    }

    @Test
    void shouldPutRecordLargerThanBatchInBatchOfItsOwn() throws IOException
    {
        final Topic topic = manager.createTopic("t", 1, new LogConfig().maxMessageBytes(4096));
        final BatchingProducer producer = new BatchingProducer(topic, context());
        final String large = "L".repeat(2000);
        send(producer, 0, "before");
        send(producer, 0, large);
        send(producer, 0, "after");
        assertTrue(producer.awaitIdle(TIMEOUT_NS));

        final List<Stored> stored = readAll(topic.partition(0).log());
        assertEquals(List.of("before", large, "after"), values(stored));
        assertEquals(HEADER_LENGTH + RecordBatchBuilder.recordLength(0, 0, NULL_LENGTH, 2000, null),
            stored.get(1).batchBytes(), "the large record's batch is sized for it alone");
        assertEquals(3, outcomes.outcomes.size(), "three batches: " + outcomes.outcomes);
    }

    @Test
    void shouldRefuseRecordLargerThanMaxMessageBytesWithNothingAdded() throws IOException
    {
        final Topic topic = manager.createTopic("t", 1, new LogConfig().maxMessageBytes(4096));
        final BatchingProducer producer = new BatchingProducer(topic, context());
        int largest = 0;
        while (HEADER_LENGTH + RecordBatchBuilder.recordLength(0, 0, NULL_LENGTH, largest + 1, null) <= 4096)
        {
            largest++;
        }
        send(producer, 0, "first");
        final String tooLarge = "x".repeat(largest + 1);
        final IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> send(producer, 0, tooLarge));
        assertTrue(refused.getMessage().contains("max.message.bytes=4096"), refused.getMessage());
        assertEquals(1, producer.unsentRecords(0), "the refused record added nothing");

        send(producer, 0, "y".repeat(largest));
        assertTrue(producer.awaitIdle(TIMEOUT_NS));
        assertEquals(List.of("first", "y".repeat(largest)), values(readAll(topic.partition(0).log())));
    }

    @Test
    void shouldReportEveryRecordFailedWhenPartitionIsClosed() throws IOException
    {
        final Topic topic = manager.createTopic("t", 2, new LogConfig());
        final BatchingProducer producer = new BatchingProducer(topic, context());
        for (int i = 0; i < 3; i++)
        {
            send(producer, 0, "stored-" + i);
        }
        assertTrue(producer.awaitIdle(TIMEOUT_NS));
        topic.partition(0).close();

        send(producer, 0, "refused-0");
        send(producer, 0, "refused-1");
        send(producer, 1, "elsewhere");
        assertTrue(producer.awaitIdle(TIMEOUT_NS));

        assertEquals(4, outcomes.acknowledgedRecords);
        assertEquals(2, outcomes.failedRecords);
        final Outcome failed = outcomesOf(0).get(outcomesOf(0).size() - 1);
        assertTrue(failed.failed());
        assertEquals(2, failed.recordCount());
        assertTrue(failed.cause().contains("closed"), failed.cause());
        assertEquals(3, topic.partition(0).logEndOffset());
    }

    @Test
    void shouldSendBatchesInRecordOrderOneAtATimeWhenOrdered() throws IOException
    {
        final Topic topic = manager.createTopic("t", 2, new LogConfig());
        final BatchingProducer producer = new BatchingProducer(topic,
            context().ordered(true).lingerNs(TimeUnit.HOURS.toNanos(1)));
        final int[] partitions = { 0, 0, 1, 1, 0 };
        for (int i = 0; i < partitions.length; i++)
        {
            send(producer, partitions[i], "r" + i);
            assertTrue(producer.inFlight() <= 1, "one batch in flight at a time");
        }
        assertTrue(producer.awaitIdle(TIMEOUT_NS));

        assertEquals(List.of(
            new Outcome(0, 0, 1, 2, false, null),
            new Outcome(1, 0, 1, 2, false, null),
            new Outcome(0, 2, 2, 1, false, null)), outcomes.outcomes, "a batch per run of records to a partition");
        assertEquals(List.of("r0", "r1", "r4"), values(readAll(topic.partition(0).log())));
        assertEquals(List.of("r2", "r3"), values(readAll(topic.partition(1).log())));
    }

    @Test
    void shouldOfferNothingAfterFailedBatchWhenOrdered() throws IOException
    {
        final Topic topic = manager.createTopic("t", 2, new LogConfig());
        final BatchingProducer producer = new BatchingProducer(topic, context().ordered(true));
        topic.partition(0).close();

        send(producer, 0, "fails");
        send(producer, 1, "after-0");
        send(producer, 1, "after-1");
        assertTrue(producer.awaitIdle(TIMEOUT_NS));

        assertEquals(2, outcomes.outcomes.size(), outcomes.outcomes.toString());
        final Outcome first = outcomes.outcomes.get(0);
        assertEquals(0, first.partition());
        assertTrue(first.failed() && first.cause().contains("closed"), first.toString());
        final Outcome second = outcomes.outcomes.get(1);
        assertEquals(1, second.partition());
        assertEquals(2, second.recordCount());
        assertTrue(second.failed() && second.cause().contains("earlier batch failed"), second.toString());
        assertEquals(0, topic.partition(1).logEndOffset(), "nothing after the failure was offered");
    }

    @Test
    void shouldRefuseBatchBytesAboveMaxMessageBytes() throws IOException
    {
        final Topic topic = manager.createTopic("t", 1, new LogConfig().maxMessageBytes(4096));
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> new BatchingProducer(topic, context().batchBytes(8192)));
        assertTrue(refused.getMessage().contains("batchBytes=8192"), refused.getMessage());
    }

    @Test
    void shouldAllocateNothingPerRecordAfterWarmUp() throws IOException
    {
        final Topic topic = manager.createTopic("t", 2, new LogConfig().flushPolicy(FlushPolicy.OS));
        final CountingListener counted = new CountingListener();
        final BatchingProducer producer = new BatchingProducer(topic,
            new ProducerContext().listener(counted).batchBytes(16 * 1024).inFlightPerPartition(4));
        final UnsafeBuffer key = ascii("key-0");
        final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();

        produce(producer, key, value, 200_000);
        final long before = threads.getCurrentThreadAllocatedBytes();
        produce(producer, key, value, 200_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(400_000, counted.records);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes producing 200,000 records");
    }

    private static void produce(
        final BatchingProducer producer, final UnsafeBuffer key, final UnsafeBuffer value, final int records)
    {
        for (int i = 0; i < records; i++)
        {
            key.putByte(4, (byte)('0' + (i & 7)));
            producer.send(NOW, key, 0, key.capacity(), value, 0, value.capacity());
        }
        assertTrue(producer.awaitIdle(TIMEOUT_NS));
    }

    /**
     * Counts acknowledged records, allocating nothing.
     */
    private static final class CountingListener implements ProducerListener
    {
        long records;

        @Override
        public void onAcknowledged(
            final int partition,
            final long baseOffset,
            final long lastOffset,
            final int recordCount,
            final int sizeInBytes,
            final boolean durable)
        {
            records += recordCount;
        }

        @Override
        public void onFailed(final int partition, final int recordCount, final Throwable cause)
        {
            throw new AssertionError("partition " + partition + " failed", cause);
        }
    }
}
