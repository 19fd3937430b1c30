package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class WriterShardTest
{
    private static final long NOW = System.currentTimeMillis();
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dataDir;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private LogManager open(final int writerThreads) throws Exception
    {
        return LogManager.open(new LogManagerContext().dataDir(dataDir).writerThreads(writerThreads)
            .errorHandler(errors::add));
    }

    private static AppendRequest append(final Partition partition, final AppendListener listener)
    {
        final AppendRequest request = new AppendRequest().batch(TestBatches.batch(1, NOW)).listener(listener);
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, WAIT_MS, () -> "offer to " + partition);
        TestBatches.await(request::isDone, WAIT_MS, () -> "append to " + partition);
        assertEquals(AppendRequest.WRITTEN, request.status(), () -> String.valueOf(request.failure()));
        return request;
    }

    /** The partition leader epoch of the batch stored at {@code offset}, read back from the log. */
    private static int storedLeaderEpoch(final Partition partition, final long offset) throws Exception
    {
        final LogReader reader = partition.newReader();
        assertEquals(LogReader.OK, reader.read(offset, Integer.MAX_VALUE));
        final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
        reader.copyTo(bytes);
        return bytes.getInt(RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET);
    }

    @Test
    void shouldServeAQuietPartitionAfterOneDrainOfAFloodedOneOnTheSameShard() throws Exception
    {
        final int capacity = LogManagerContext.APPEND_QUEUE_CAPACITY_DEFAULT;
        try (LogManager manager = open(1))
        {
            final Topic topic = manager.createTopic("t", 2, new LogConfig().retentionMs(-1));
            final Partition flooded = topic.partition(0);
            final Partition quiet = topic.partition(1);

            // Hold the shard in a command while the flooded partition's queue fills and the quiet one gets a request.
            final CountDownLatch release = new CountDownLatch(1);
            final CompletableFuture<Void> holding = flooded.command((log, nowMs) -> awaitLatch(release));
            final AtomicLong floodCompleted = new AtomicLong();
            final List<AppendRequest> flood = new ArrayList<>();
            for (int i = 0; i < capacity; i++)
            {
                final AppendRequest request = new AppendRequest().batch(TestBatches.batch(1, NOW))
                    .listener(done -> floodCompleted.incrementAndGet());
                assertEquals(Partition.OFFERED, flooded.offer(request));
                flood.add(request);
            }
            assertEquals(Partition.BACK_PRESSURED, flooded.offer(new AppendRequest().batch(TestBatches.batch(1, NOW))));
            final AtomicLong floodCompletedWhenQuietWas = new AtomicLong(-1);
            final AppendRequest quietRequest = new AppendRequest().batch(TestBatches.batch(1, NOW))
                .listener(done -> floodCompletedWhenQuietWas.set(floodCompleted.get()));
            assertEquals(Partition.OFFERED, quiet.offer(quietRequest));
            release.countDown();
            holding.get(WAIT_MS, TimeUnit.MILLISECONDS);

            TestBatches.await(quietRequest::isDone, WAIT_MS, () -> "the quiet partition's request");
            assertEquals(AppendRequest.WRITTEN, quietRequest.status(), () -> String.valueOf(quietRequest.failure()));
            assertEquals(WriterShard.MAX_DRAIN, floodCompletedWhenQuietWas.get(),
                "the quiet partition waited for one drain of the flooded one, not for all " + capacity);
            for (final AppendRequest request : flood)
            {
                TestBatches.await(request::isDone, WAIT_MS, () -> "the flood to be appended");
                assertEquals(AppendRequest.WRITTEN, request.status(), () -> String.valueOf(request.failure()));
            }
            assertEquals(capacity, flooded.logEndOffset());
            assertEquals(1, quiet.logEndOffset());
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    private static void awaitLatch(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldRunCommandsOnTheThreadThatAppendsToThePartition() throws Exception
    {
        try (LogManager manager = open(2))
        {
            final Topic topic = manager.createTopic("t", 4, new LogConfig());
            final Set<Thread> writers = new HashSet<>();
            for (int p = 0; p < topic.partitionCount(); p++)
            {
                final Partition partition = topic.partition(p);
                final AtomicReference<Thread> appendedOn = new AtomicReference<>();
                append(partition, request -> appendedOn.set(Thread.currentThread()));
                final AtomicReference<Thread> commandRanOn = new AtomicReference<>();
                partition.command((log, nowMs) -> commandRanOn.set(Thread.currentThread())).get(WAIT_MS, TimeUnit.MILLISECONDS);

                assertSame(appendedOn.get(), commandRanOn.get(), "commands run on the partition's writer thread");
                assertTrue(commandRanOn.get().getName().startsWith(WriterShards.THREAD_NAME_PREFIX),
                    commandRanOn.get().getName());
                writers.add(commandRanOn.get());

                assertEquals(1, partition.log().segmentCount());
                partition.roll().get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(2, partition.log().segmentCount(), "roll ran on the shard");
                partition.leaderEpoch(7).get(WAIT_MS, TimeUnit.MILLISECONDS);
                partition.flush().get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(partition.logEndOffset(), partition.durableEndOffset(), "flush ran on the shard");
                final AppendRequest stamped = append(partition, null);
                assertEquals(7, storedLeaderEpoch(partition, stamped.baseOffset()), "epoch set on the shard");
            }
            assertEquals(2, writers.size(), "four partitions spread over both writer threads");
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    @Test
    void shouldFailCommandsAndOffersWhenThePartitionIsClosed() throws Exception
    {
        try (LogManager manager = open(1))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            append(partition, null);
            partition.close();

            final CompletableFuture<Void> roll = partition.roll();
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> roll.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(ex.getCause().getMessage().contains("closed"), ex.getCause().toString());
            assertEquals(Partition.CLOSED, partition.offer(new AppendRequest().batch(TestBatches.batch(1, NOW))));
        }
    }

    @Test
    void shouldFlushOnTheIntervalWithoutFurtherAppends() throws Exception
    {
        try (LogManager manager = open(1))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig().flush("interval:20"))
                .partition(0);
            final AppendRequest request = append(partition, null);
            assertEquals(AppendRequest.WRITTEN, request.status(), "interval flush does not fsync on the write");
            TestBatches.await(() -> partition.durableEndOffset() == 1, WAIT_MS,
                () -> "the shard's interval timer to flush the idle partition");
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    @Test
    void shouldKeepOneWriterThreadPerPartitionWhenWriterThreadsIsZero() throws Exception
    {
        try (LogManager manager = open(0))
        {
            final Topic topic = manager.createTopic("t", 3, new LogConfig());
            assertEquals(3, manager.writerThreadCount());
            final Set<String> names = new HashSet<>();
            for (int p = 0; p < 3; p++)
            {
                final AtomicReference<Thread> appendedOn = new AtomicReference<>();
                append(topic.partition(p), request -> appendedOn.set(Thread.currentThread()));
                names.add(appendedOn.get().getName());
            }
            assertEquals(Set.of("loglab-writer-t-0", "loglab-writer-t-1", "loglab-writer-t-2"), names);
            assertTrue(Files.isDirectory(dataDir.resolve("t").resolve("partition-2")));
        }
        assertEquals(List.of(), List.copyOf(errors));
    }

    @Test
    void shouldSignalEachWriteOnTheWritersThreadAndWriteOnWhenTheTargetThrows() throws Exception
    {
        try (LogManager manager = open(1))
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            final Queue<String> signalledOn = new ConcurrentLinkedQueue<>();
            manager.appendSignal().target(() -> signalledOn.add(Thread.currentThread().getName()));
            append(partition, request -> { });
            TestBatches.await(() -> !signalledOn.isEmpty(), WAIT_MS, () -> "a signal after the write");
            assertEquals(List.of(WriterShards.THREAD_NAME_PREFIX + 0), List.copyOf(signalledOn));

            final IllegalStateException thrown = new IllegalStateException("a target's own failure");
            manager.appendSignal().target(() ->
            {
                throw thrown;
            });
            append(partition, request -> { });
            TestBatches.await(() -> errors.contains(thrown), WAIT_MS, () -> "the target's failure reported");

            manager.appendSignal().target(null);
            append(partition, request -> { });
            assertEquals(3, partition.logEndOffset());
            assertEquals(1, signalledOn.size());
        }
        assertEquals(List.of("a target's own failure"), errors.stream().map(Throwable::getMessage).toList());
    }
}
