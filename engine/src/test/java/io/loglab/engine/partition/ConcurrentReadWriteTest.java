package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.TestBatches.Batch;
import io.loglab.engine.TestBatches.Rec;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

class ConcurrentReadWriteTest
{
    private static final int REQUESTS_PER_PRODUCER = 4;
    private static final long DEADLINE_MS = 240_000;

    @TempDir
    Path dataDir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    /**
     * @param producers                      threads each offering to every partition in turn.
     * @param readers                        threads each reading every partition from its start.
     * @param recordsPerProducerPerPartition records each producer writes to each partition.
     */
    private record Run(int partitions, int writerThreads, int producers, int readers, int recordsPerProducerPerPartition)
    {
        int recordsPerPartition()
        {
            return producers * recordsPerProducerPerPartition;
        }
    }

    @Test
    void shouldServeEveryRecordOnceInProducerOrderWhileProducersAndReadersRunConcurrently() throws Exception
    {
        run(new Run(1, Runtime.getRuntime().availableProcessors(), 3, 4, 66_667));
    }

    @Test
    void shouldServeEveryRecordOnceInProducerOrderWhenManyProducersWriteManyPartitionsOverTwoShards() throws Exception
    {
        run(new Run(6, 2, 4, 3, 8_000));
    }

    private void run(final Run run) throws Exception
    {
        final long deadline = System.currentTimeMillis() + DEADLINE_MS;
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)
            .writerThreads(run.writerThreads()).appendQueueCapacity(64).errorHandler(errors::add)))
        {
            final Topic topic = manager.createTopic(
                "t", run.partitions(), new LogConfig().segmentBytes(64 * 1024).retentionMs(-1));
            final Partition[] partitions = new Partition[run.partitions()];
            Arrays.setAll(partitions, topic::partition);

            final List<Thread> threads = new ArrayList<>();
            final long[][][] lastSeqSeen = new long[run.readers()][][];
            for (int r = 0; r < run.readers(); r++)
            {
                final long[][] lastSeq = new long[run.partitions()][run.producers()];
                lastSeqSeen[r] = lastSeq;
                threads.add(new Thread(() -> guard(() -> read(run, partitions, lastSeq, deadline)), "reader-" + r));
            }
            for (int p = 0; p < run.producers(); p++)
            {
                final int producer = p;
                threads.add(new Thread(() -> guard(() -> produce(run, partitions, producer, deadline)),
                    "producer-" + p));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(Math.max(1, deadline + 10_000 - System.currentTimeMillis()));
                assertFalse(thread.isAlive(), thread.getName() + " did not finish");
            }
            assertEquals(List.of(), List.copyOf(errors));

            for (final Partition partition : partitions)
            {
                assertEquals(run.recordsPerPartition(), partition.logEndOffset(), partition.toString());
                assertTrue(partition.log().segmentCount() > 3, "the run crossed segment rolls in " + partition);
            }
            for (int r = 0; r < run.readers(); r++)
            {
                for (int partition = 0; partition < run.partitions(); partition++)
                {
                    for (int p = 0; p < run.producers(); p++)
                    {
                        assertEquals(run.recordsPerProducerPerPartition() - 1, lastSeqSeen[r][partition][p],
                            "reader " + r + ", partition " + partition + ", producer " + p);
                    }
                }
            }
        }
        assertEquals(List.of(), List.copyOf(errors));

        final Queue<LogFinding> findings = new ConcurrentLinkedQueue<>();
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)
            .recoveryListener((name, finding) -> findings.add(finding))))
        {
            final Partition[] partitions = new Partition[run.partitions()];
            Arrays.setAll(partitions, manager.topic("t")::partition);
            final long[][] lastSeq = new long[run.partitions()][run.producers()];
            read(run, partitions, lastSeq, System.currentTimeMillis() + 60_000);
            for (int partition = 0; partition < run.partitions(); partition++)
            {
                assertEquals(run.recordsPerPartition(), partitions[partition].logEndOffset());
                for (int p = 0; p < run.producers(); p++)
                {
                    assertEquals(run.recordsPerProducerPerPartition() - 1, lastSeq[partition][p]);
                }
            }
            assertEquals(List.of(), List.copyOf(findings), "a clean close leaves nothing to recover");
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
     * Offer batches of 1 to 7 records whose values are {@code p<producer>-<sequence>}, sequences counted per
     * partition, to each partition in turn, reusing a few requests and buffers, each only after the writer has
     * completed it.
     */
    private static void produce(final Run run, final Partition[] partitions, final int producer, final long deadline)
    {
        final AppendRequest[] requests = new AppendRequest[REQUESTS_PER_PRODUCER];
        final UnsafeBuffer[] buffers = new UnsafeBuffer[REQUESTS_PER_PRODUCER];
        final int[] expectedCounts = new int[REQUESTS_PER_PRODUCER];
        final boolean[] inFlight = new boolean[REQUESTS_PER_PRODUCER];
        for (int i = 0; i < REQUESTS_PER_PRODUCER; i++)
        {
            requests[i] = new AppendRequest();
            buffers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        }
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        final int[] sequences = new int[partitions.length];
        final int total = run.recordsPerProducerPerPartition();
        int slot = 0;
        int batchNumber = 0;
        int partition = producer % partitions.length;
        int partitionsDone = 0;
        while (partitionsDone < partitions.length)
        {
            final int sequence = sequences[partition];
            if (sequence == total)
            {
                partition = (partition + 1) % partitions.length;
                continue;
            }
            final AppendRequest request = requests[slot];
            if (inFlight[slot])
            {
                awaitDone(request, deadline);
                checkCompleted(request, expectedCounts[slot]);
            }
            final int count = Math.min(1 + (batchNumber++ % 7), total - sequence);
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
            while ((result = partitions[partition].offer(request)) == Partition.BACK_PRESSURED)
            {
                checkDeadline(deadline, "queue space");
                Thread.yield();
            }
            assertEquals(Partition.OFFERED, result);
            inFlight[slot] = true;
            expectedCounts[slot] = count;
            sequences[partition] += count;
            if (sequences[partition] == total)
            {
                partitionsDone++;
            }
            slot = (slot + 1) % REQUESTS_PER_PRODUCER;
            partition = (partition + 1) % partitions.length;
        }
        for (int i = 0; i < REQUESTS_PER_PRODUCER; i++)
        {
            if (inFlight[i])
            {
                awaitDone(requests[i], deadline);
                checkCompleted(requests[i], expectedCounts[i]);
            }
        }
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
     * Read every partition from offset 0, in turn, until every record is read, validating each batch and checking
     * that offsets are contiguous, never past the log end offset seen before the read, and that each producer's
     * sequence in each partition rises by one.
     */
    private static void read(final Run run, final Partition[] partitions, final long[][] lastSeq, final long deadline)
        throws Exception
    {
        final LogReader[] readers = new LogReader[partitions.length];
        final long[] offsets = new long[partitions.length];
        for (int p = 0; p < partitions.length; p++)
        {
            Arrays.fill(lastSeq[p], -1);
            readers[p] = partitions[p].newReader();
        }
        final ByteBuffer copy = ByteBuffer.allocate(256 * 1024);
        final long total = run.recordsPerPartition();
        int partitionsDone = 0;
        int p = 0;
        while (partitionsDone < partitions.length)
        {
            p = (p + 1) % partitions.length;
            final long offset = offsets[p];
            if (offset == total)
            {
                continue;
            }
            checkDeadline(deadline, "records to read at offset " + offset + " of " + partitions[p]);
            final long end = partitions[p].logEndOffset();
            if (offset == end)
            {
                Thread.yield();
                continue;
            }
            assertTrue(offset < end);
            final LogReader reader = readers[p];
            final int maxBytes = 1 + (int)(offset % 40_000);
            assertEquals(LogReader.OK, reader.read(offset, maxBytes, end), "read at " + offset);
            assertEquals(offset, reader.firstOffset(), "reads from a batch boundary start at that batch");
            assertTrue(reader.length() > 0);
            assertTrue(reader.nextOffset() <= end, "read past the end offset it was bounded by");
            copy.clear();
            reader.copyTo(copy);
            assertEquals(reader.length(), copy.position());
            long next = offset;
            for (final Batch batch : TestBatches.decode(copy.array(), copy.position()))
            {
                assertEquals(next, batch.baseOffset(), "contiguous batches");
                for (final Rec rec : batch.records())
                {
                    assertEquals(next, rec.offset());
                    final String value = rec.value();
                    final int dash = value.indexOf('-');
                    final int producer = Integer.parseInt(value.substring(1, dash));
                    final long seq = Long.parseLong(value.substring(dash + 1));
                    assertEquals(lastSeq[p][producer] + 1, seq,
                        "producer " + producer + " at offset " + next + " of " + partitions[p]);
                    lastSeq[p][producer] = seq;
                    next++;
                }
            }
            assertEquals(reader.nextOffset(), next);
            offsets[p] = next;
            if (next == total)
            {
                partitionsDone++;
            }
        }
    }
}
