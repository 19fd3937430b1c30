package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestBatches.Batch;
import io.loglab.engine.TestBatches.Rec;
import io.loglab.engine.log.Corruption;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class ConcurrentReadWriteTest
{
    private static final int PRODUCERS = 3;
    private static final int READERS = 4;
    private static final int RECORDS_PER_PRODUCER = 66_667;
    private static final int TOTAL_RECORDS = PRODUCERS * RECORDS_PER_PRODUCER;
    private static final int REQUESTS_PER_PRODUCER = 4;
    private static final long DEADLINE_MS = 240_000;

    @TempDir
    Path dataDir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger producersDone = new AtomicInteger();

    @Test
    void shouldServeEveryRecordOnceInProducerOrderWhileProducersAndReadersRunConcurrently() throws Exception
    {
        final long deadline = System.currentTimeMillis() + DEADLINE_MS;
        try (LogManager manager = LogManager.open(new LogManager.Context().dataDir(dataDir)
            .appendQueueCapacity(64).errorHandler(errors::add)))
        {
            final Topic topic = manager.createTopic("t", 1, new LogConfig().segmentBytes(64 * 1024).retentionMs(-1));
            final Partition partition = topic.partition(0);

            final List<Thread> threads = new ArrayList<>();
            final long[][] lastSeqSeen = new long[READERS][];
            for (int r = 0; r < READERS; r++)
            {
                final int reader = r;
                lastSeqSeen[r] = new long[PRODUCERS];
                threads.add(new Thread(() -> guard(() -> read(partition, lastSeqSeen[reader], deadline)),
                    "reader-" + r));
            }
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int producer = p;
                threads.add(new Thread(() -> guard(() -> produce(partition, producer, deadline)), "producer-" + p));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(Math.max(1, deadline + 10_000 - System.currentTimeMillis()));
                assertFalse(thread.isAlive(), thread.getName() + " did not finish");
            }
            assertEquals(List.of(), List.copyOf(errors));

            assertEquals(TOTAL_RECORDS, partition.logEndOffset());
            for (int r = 0; r < READERS; r++)
            {
                for (int p = 0; p < PRODUCERS; p++)
                {
                    assertEquals(RECORDS_PER_PRODUCER - 1, lastSeqSeen[r][p], "reader " + r + ", producer " + p);
                }
            }
            assertTrue(partition.log().segmentCount() > 10, "the run crossed many segment rolls");
        }
        assertEquals(List.of(), List.copyOf(errors));

        final Queue<Corruption> findings = new ConcurrentLinkedQueue<>();
        try (LogManager manager = LogManager.open(new LogManager.Context().dataDir(dataDir)
            .recoveryListener((name, finding) -> findings.add(finding))))
        {
            final Partition partition = manager.topic("t").partition(0);
            assertEquals(TOTAL_RECORDS, partition.logEndOffset());
            assertEquals(List.of(), List.copyOf(findings), "a clean close leaves nothing to recover");
            final long[] lastSeq = new long[PRODUCERS];
            read(partition, lastSeq, System.currentTimeMillis() + 60_000);
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(RECORDS_PER_PRODUCER - 1, lastSeq[p]);
            }
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private void guard(final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable t)
        {
            errors.add(t);
        }
    }

    /**
     * Offer batches of 1 to 7 records whose values are {@code p<producer>-<sequence>}, reusing a few requests and
     * buffers, each only after the writer has completed it.
     */
    private void produce(final Partition partition, final int producer, final long deadline)
    {
        final AppendRequest[] requests = new AppendRequest[REQUESTS_PER_PRODUCER];
        final UnsafeBuffer[] buffers = new UnsafeBuffer[REQUESTS_PER_PRODUCER];
        final int[] expectedCounts = new int[REQUESTS_PER_PRODUCER];
        for (int i = 0; i < REQUESTS_PER_PRODUCER; i++)
        {
            requests[i] = new AppendRequest();
            buffers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        }
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        int sequence = 0;
        int slot = 0;
        int batchNumber = 0;
        boolean[] inFlight = new boolean[REQUESTS_PER_PRODUCER];
        while (sequence < RECORDS_PER_PRODUCER)
        {
            final AppendRequest request = requests[slot];
            if (inFlight[slot])
            {
                awaitDone(request, deadline);
                checkCompleted(request, expectedCounts[slot]);
            }
            final int count = Math.min(1 + (batchNumber++ % 7), RECORDS_PER_PRODUCER - sequence);
            final String[] values = new String[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = "p" + producer + "-" + (sequence + i);
            }
            final int length = TestBatches.build(builder, buffers[slot], System.currentTimeMillis(), 0, values);
            final ByteBuffer batch = buffers[slot].byteBuffer().duplicate();
            batch.clear().limit(length);
            request.batch(batch);
            int result;
            while ((result = partition.offer(request)) == Partition.BACK_PRESSURED)
            {
                checkDeadline(deadline, "queue space");
                Thread.yield();
            }
            assertEquals(Partition.OFFERED, result);
            inFlight[slot] = true;
            expectedCounts[slot] = count;
            sequence += count;
            slot = (slot + 1) % REQUESTS_PER_PRODUCER;
        }
        for (int i = 0; i < REQUESTS_PER_PRODUCER; i++)
        {
            if (inFlight[i])
            {
                awaitDone(requests[i], deadline);
                checkCompleted(requests[i], expectedCounts[i]);
            }
        }
        producersDone.incrementAndGet();
    }

    private static void awaitDone(final AppendRequest request, final long deadline)
    {
        while (!request.isDone())
        {
            checkDeadline(deadline, "append completion");
            Thread.yield();
        }
    }

    private static void checkCompleted(final AppendRequest request, final int count)
    {
        assertEquals(AppendRequest.WRITTEN, request.status(), () -> String.valueOf(request.failure()));
        assertEquals(count - 1, request.lastOffset() - request.baseOffset());
    }

    private static void checkDeadline(final long deadline, final String what)
    {
        if (System.currentTimeMillis() > deadline)
        {
            throw new AssertionError("timed out waiting for " + what);
        }
    }

    /**
     * Read from offset 0 until every record is read, validating each batch and checking that offsets are contiguous,
     * never past the log end offset seen before the read, and that each producer's sequence rises by one.
     */
    private static void read(final Partition partition, final long[] lastSeq, final long deadline) throws Exception
    {
        java.util.Arrays.fill(lastSeq, -1);
        final LogReader reader = partition.newReader();
        final ByteBuffer copy = ByteBuffer.allocate(256 * 1024);
        long offset = 0;
        while (offset < TOTAL_RECORDS)
        {
            checkDeadline(deadline, "records to read at offset " + offset);
            final long end = partition.logEndOffset();
            if (offset == end)
            {
                Thread.yield();
                continue;
            }
            assertTrue(offset < end);
            final int maxBytes = 1 + (int)(offset % 40_000);
            assertEquals(LogReader.OK, reader.read(offset, maxBytes, end), "read at " + offset);
            assertEquals(offset, reader.firstOffset(), "reads from a batch boundary start at that batch");
            assertTrue(reader.length() > 0);
            assertTrue(reader.nextOffset() <= end, "read past the end offset it was bounded by");
            copy.clear();
            reader.copyTo(copy);
            assertEquals(reader.length(), copy.position());
            final List<Batch> batches = TestBatches.decode(copy.array(), copy.position());
            for (final Batch batch : batches)
            {
                assertEquals(offset, batch.baseOffset(), "contiguous batches");
                for (final Rec rec : batch.records())
                {
                    assertEquals(offset, rec.offset());
                    final String value = rec.value();
                    final int dash = value.indexOf('-');
                    final int producer = Integer.parseInt(value.substring(1, dash));
                    final long seq = Long.parseLong(value.substring(dash + 1));
                    assertEquals(lastSeq[producer] + 1, seq, "producer " + producer + " at offset " + offset);
                    lastSeq[producer] = seq;
                    offset++;
                }
            }
            assertEquals(reader.nextOffset(), offset);
        }
        assertEquals(TOTAL_RECORDS, offset);
    }

    @SuppressWarnings("unused")
    private static long elapsed(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
