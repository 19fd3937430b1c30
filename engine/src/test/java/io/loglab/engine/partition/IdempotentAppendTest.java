package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.IdempotenceException;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.ProducerStateTable;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Idempotent producers' batches through the writer shards, by Kafka's rules: a retry is answered with its original
 * offsets and not stored twice (also after a restart), an older epoch is fenced, a sequence gap or a new epoch not
 * starting at 0 is out of order, an unknown producer may start at any sequence.
 */
class IdempotentAppendTest
{
    private static final long NOW = System.currentTimeMillis();
    private static final long PID = 4242;

    @TempDir
    Path dir;

    static ByteBuffer batch(final long producerId, final int epoch, final int sequence, final int records)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(view, 0, buffer.capacity())
            .producer(producerId, (short)epoch, sequence);
        final UnsafeBuffer value = new UnsafeBuffer("v".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < records; i++)
        {
            assertTrue(builder.tryAppend(NOW, null, 0, 0, value, 0, 1, null));
        }
        buffer.limit(builder.build());
        return buffer;
    }

    private static AppendRequest append(final Partition partition, final ByteBuffer batch)
    {
        final AppendRequest request = new AppendRequest().batch(batch);
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, 10_000, () -> "offer");
        TestBatches.await(request::isDone, 10_000, () -> "an answer");
        return request;
    }

    private static int verdict(final AppendRequest request)
    {
        assertEquals(AppendRequest.FAILED, request.status());
        return assertInstanceOf(IdempotenceException.class, request.failure()).verdict();
    }

    @Test
    void shouldStoreEachBatchOnceAndAnswerRetriesWithTheirOriginalOffsetsAcrossARestart() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            assertEquals(AppendRequest.WRITTEN, append(partition, TestBatches.batch(2, NOW)).status());
            final AppendRequest first = append(partition, batch(PID, 0, 7, 3));
            assertEquals(2, first.baseOffset(), "an unknown producer may start at any sequence");
            final AppendRequest second = append(partition, batch(PID, 0, 10, 2));
            assertEquals(5, second.baseOffset());

            final AppendRequest retry = append(partition, batch(PID, 0, 7, 3));
            assertNotEquals(AppendRequest.FAILED, retry.status());
            assertEquals(2, retry.baseOffset(), "the original offsets");
            assertEquals(4, retry.lastOffset());
            assertEquals(7, partition.logEndOffset(), "not stored again");

            assertEquals(ProducerStateTable.OUT_OF_SEQUENCE, verdict(append(partition, batch(PID, 0, 13, 1))));
            assertEquals(ProducerStateTable.OUT_OF_SEQUENCE, verdict(append(partition, batch(PID, 1, 5, 1))),
                "a new epoch starts at sequence 0");
            assertEquals(7, append(partition, batch(PID, 1, 0, 1)).baseOffset(), "the bump");
            assertEquals(ProducerStateTable.FENCED, verdict(append(partition, batch(PID, 0, 12, 1))));
            assertEquals(8, partition.logEndOffset(), "none of the refused ones stored");
        }

        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.topic("t").partition(0);
            final AppendRequest retry = append(partition, batch(PID, 1, 0, 1));
            assertEquals(7, retry.baseOffset(), "the state was read back from the batch headers");
            assertEquals(ProducerStateTable.FENCED, verdict(append(partition, batch(PID, 0, 12, 1))));
            assertEquals(8, append(partition, batch(PID, 1, 1, 1)).baseOffset());
            assertEquals(9, partition.logEndOffset());
        }
    }

    @Test
    void shouldKeepFiveBatchesPerProducerAsKafkaDoes() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir)))
        {
            final Partition partition = logs.createTopic("t", 1, new LogConfig()).partition(0);
            for (int sequence = 0; sequence < 6; sequence++)
            {
                assertEquals(sequence, append(partition, batch(PID, 0, sequence, 1)).baseOffset());
            }
            assertEquals(1, append(partition, batch(PID, 0, 1, 1)).baseOffset(), "the fifth newest is kept");
            assertEquals(ProducerStateTable.OUT_OF_SEQUENCE, verdict(append(partition, batch(PID, 0, 0, 1))),
                "the sixth newest is not: it is out of order");
            assertEquals(6, partition.logEndOffset());
        }
    }
}
