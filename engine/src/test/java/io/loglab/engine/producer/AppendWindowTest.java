package io.loglab.engine.producer;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.producer.ProducerTestSupport.Outcome;
import io.loglab.engine.producer.ProducerTestSupport.Outcomes;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AppendWindowTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private final Outcomes outcomes = new Outcomes();

    private static int fill(final UnsafeBuffer target, final ByteBuffer template)
    {
        target.putBytes(0, template, 0, template.limit());
        return template.limit();
    }

    private void pollUntil(final AppendWindow window, final int reported)
    {
        TestBatches.await(() ->
        {
            window.poll(outcomes);
            return outcomes.outcomes.size() == reported;
        }, 30_000, () -> reported + " completions, got " + outcomes.outcomes);
    }

    @Test
    void shouldReportCompletionsInOfferOrderAndReuseBuffersInRingOrder() throws IOException
    {
        final ByteBuffer template = TestBatches.batch(2, NOW);
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            final AppendWindow window = new AppendWindow(7, partition, 3, 128);
            final UnsafeBuffer first = window.claim(template.limit());
            for (int i = 0; i < 3; i++)
            {
                final UnsafeBuffer buffer = window.claim(template.limit());
                assertSame(buffer, window.claim(template.limit()), "claiming again before offering changes nothing");
                assertEquals(Partition.OFFERED, window.offer(fill(buffer, template)));
                final int claimed = i;
                assertEquals(i + 1, window.inFlight(), () -> "after offer " + claimed);
            }
            assertTrue(window.isFull());
            assertNull(window.claim(template.limit()));
            assertThrows(IllegalStateException.class, () -> window.offer(template.limit()));

            pollUntil(window, 3);
            assertEquals(List.of(
                new Outcome(7, 0, 1, 2, false, null),
                new Outcome(7, 2, 3, 2, false, null),
                new Outcome(7, 4, 5, 2, false, null)), outcomes.outcomes);
            assertEquals(0, window.inFlight());

            // The first request comes round again with its batch still in its buffer: offer it as it is.
            assertSame(first, window.claim(template.limit()));
            assertEquals(Partition.OFFERED, window.offer(template.limit()));
            pollUntil(window, 4);
            assertEquals(new Outcome(7, 6, 7, 2, false, null), outcomes.outcomes.get(3));
        }
    }

    @Test
    void shouldGrowBufferForLargerBatchAndKeepIt() throws IOException
    {
        final ByteBuffer large = TestBatches.batch(50, NOW, 0, 100);
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            final AppendWindow window = new AppendWindow(0, partition, 1, 128);
            final UnsafeBuffer buffer = window.claim(large.limit());
            assertTrue(buffer.capacity() >= large.limit(), "grown to " + buffer.capacity());
            assertEquals(Partition.OFFERED, window.offer(fill(buffer, large)));
            pollUntil(window, 1);
            assertEquals(50, outcomes.outcomes.get(0).recordCount());
            assertTrue(window.claim(1).capacity() >= large.limit(), "the grown buffer is kept");
        }
    }

    @Test
    void shouldReportBatchRefusedByClosedPartitionFailedInOrder() throws IOException
    {
        final ByteBuffer template = TestBatches.batch(3, NOW);
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            final AppendWindow window = new AppendWindow(0, partition, 2, 256);
            assertEquals(Partition.OFFERED, window.offer(fill(window.claim(256), template)));
            partition.close();
            assertEquals(Partition.CLOSED, window.offer(fill(window.claim(256), template)));
            assertEquals(2, window.inFlight(), "the refused batch waits its turn to be reported");

            pollUntil(window, 2);
            final Outcome appended = outcomes.outcomes.get(0);
            assertFalse(appended.failed(), appended.toString());
            final Outcome refused = outcomes.outcomes.get(1);
            assertTrue(refused.failed() && refused.cause().contains("closed"), refused.toString());
            assertEquals(3, refused.recordCount());
        }
    }
}
