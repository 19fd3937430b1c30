package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class PartitionCloseTest
{
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerEveryOfferedRequestWhenClosedWhileProducersOffer() throws Exception
    {
        final int producers = 3;
        final ConcurrentLinkedQueue<AppendRequest> offered = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(producers);
        final List<Thread> threads = new ArrayList<>();
        long appended = 0;

        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir).appendQueueCapacity(64)))
        {
            final Topic topic = manager.createTopic("t", 1, new LogConfig());
            final Partition partition = topic.partition(0);
            for (int p = 0; p < producers; p++)
            {
                final Thread thread = new Thread(() ->
                {
                    started.countDown();
                    while (!stop.get())
                    {
                        final ByteBuffer batch = TestBatches.batch(2, System.currentTimeMillis());
                        final AppendRequest request = new AppendRequest().batch(batch);
                        final int result = partition.offer(request);
                        if (result == Partition.OFFERED)
                        {
                            offered.add(request);
                        }
                        else if (result == Partition.CLOSED)
                        {
                            return;
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            started.await();
            TestBatches.await(() -> offered.size() > 1000, 30_000, () -> "producers to get going");
            partition.close();
            stop.set(true);
            for (final Thread thread : threads)
            {
                thread.join();
            }

            for (final AppendRequest request : offered)
            {
                TestBatches.await(request::isDone, 30_000, () -> "every offered request to be answered: " + request);
                if (request.status() == AppendRequest.FAILED)
                {
                    assertTrue(request.failure().getMessage().contains("closed"), request.failure().toString());
                }
                else
                {
                    appended += 2;
                }
            }
        }

        try (LogManager reopened = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            assertEquals(appended, reopened.topic("t").partition(0).logEndOffset(),
                "exactly the requests answered as appended are in the log");
        }
    }

    @Test
    void shouldAnswerEveryOfferedRequestWhenTheManagerClosesWhileProducersOfferToPartitionsOnTwoShards()
        throws Exception
    {
        final int producers = 3;
        final int partitions = 4;
        final ConcurrentLinkedQueue<AppendRequest> offered = new ConcurrentLinkedQueue<>();
        final CountDownLatch started = new CountDownLatch(producers);
        final List<Thread> threads = new ArrayList<>();
        final long[] appended = new long[partitions];

        final LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir).writerThreads(2)
            .appendQueueCapacity(64));
        final Topic topic = manager.createTopic("t", partitions, new LogConfig());
        for (int p = 0; p < producers; p++)
        {
            final int first = p;
            final Thread thread = new Thread(() ->
            {
                started.countDown();
                int partition = first % partitions;
                while (true)
                {
                    final AppendRequest request = new AppendRequest()
                        .batch(TestBatches.batch(2, System.currentTimeMillis())).attachment(partition);
                    final int result = topic.partition(partition).offer(request);
                    if (result == Partition.OFFERED)
                    {
                        offered.add(request);
                    }
                    else if (result == Partition.CLOSED)
                    {
                        return;
                    }
                    partition = (partition + 1) % partitions;
                }
            });
            thread.start();
            threads.add(thread);
        }
        started.await();
        TestBatches.await(() -> offered.size() > 2000, 30_000, () -> "producers to get going");
        manager.close();
        for (final Thread thread : threads)
        {
            thread.join();
        }

        for (final AppendRequest request : offered)
        {
            TestBatches.await(request::isDone, 30_000, () -> "every offered request to be answered: " + request);
            if (request.status() == AppendRequest.FAILED)
            {
                assertTrue(request.failure().getMessage().contains("closed"), request.failure().toString());
            }
            else
            {
                appended[(Integer)request.attachment()] += 2;
            }
        }
        try (LogManager reopened = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            for (int p = 0; p < partitions; p++)
            {
                assertEquals(appended[p], reopened.topic("t").partition(p).logEndOffset(),
                    "exactly the requests answered as appended are in partition " + p);
            }
        }
    }

    @Test
    void shouldAnswerEveryRequestWhenTheManagerClosesWhileAPartitionCloseItDidNotBeginWaits() throws Exception
    {
        // More than one cycle's drains, so some are still queued after the cycle that ends the hold.
        final int requests = WriterShard.MAX_PARTITIONS_PER_CYCLE * WriterShard.MAX_DRAIN + 44;
        final LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir).writerThreads(1)
            .appendQueueCapacity(requests));
        final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
        partition.flush().get(WAIT_MS, TimeUnit.MILLISECONDS);

        // Hold the shard in a command, with a full cycle of commands behind it, so the partition's own close is sent
        // for the cycle after the one that ends when the hold is released.
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        partition.command((log, nowMs) ->
        {
            entered.countDown();
            TestBatches.await(() -> release.getCount() == 0, WAIT_MS, () -> "the hold to be released");
        });
        assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
        for (int i = 1; i < ShardCommands.MAX_PER_CYCLE; i++)
        {
            partition.command((log, nowMs) -> { });
        }
        final List<AppendRequest> offered = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            final AppendRequest request = new AppendRequest().batch(TestBatches.batch(1, System.currentTimeMillis()));
            assertEquals(Partition.OFFERED, partition.offer(request));
            offered.add(request);
        }

        final AtomicReference<Throwable> partitionClose = new AtomicReference<>();
        final Thread closingPartition = new Thread(() -> catching(partitionClose, partition::close));
        closingPartition.start();
        awaitWaiting(closingPartition);
        final AtomicReference<Throwable> managerClose = new AtomicReference<>();
        final Thread closingManager = new Thread(() -> catching(managerClose, manager::close));
        closingManager.start();
        awaitWaiting(closingManager);
        release.countDown();
        closingPartition.join(WAIT_MS);
        closingManager.join(WAIT_MS);

        for (final AppendRequest request : offered)
        {
            TestBatches.await(request::isDone, 10_000, () -> "every offered request to be answered: " + request);
            assertEquals(AppendRequest.WRITTEN, request.status(), () -> String.valueOf(request.failure()));
        }
        assertNull(partitionClose.get(), () -> "the partition's close: " + partitionClose.get());
        assertNull(managerClose.get(), () -> "the manager's close: " + managerClose.get());
        try (LogManager reopened = LogManager.open(new LogManagerContext().dataDir(dataDir)))
        {
            assertEquals(requests, reopened.topic("t").partition(0).logEndOffset());
        }
    }

    private static void catching(final AtomicReference<Throwable> failure, final Runnable action)
    {
        try
        {
            action.run();
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    /** Until {@code thread} waits with a timeout: for a close it sent, or for the writer thread to stop. */
    private static void awaitWaiting(final Thread thread)
    {
        TestBatches.await(() -> thread.getState() == Thread.State.TIMED_WAITING, WAIT_MS, () -> thread + " to wait");
    }
}
