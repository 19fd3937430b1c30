package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class PartitionCloseTest
{
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

        try (LogManager manager = LogManager.open(new LogManager.Context().dataDir(dataDir).appendQueueCapacity(64)))
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

        try (LogManager reopened = LogManager.open(new LogManager.Context().dataDir(dataDir)))
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

        final LogManager manager = LogManager.open(new LogManager.Context().dataDir(dataDir).writerThreads(2)
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
        try (LogManager reopened = LogManager.open(new LogManager.Context().dataDir(dataDir)))
        {
            for (int p = 0; p < partitions; p++)
            {
                assertEquals(appended[p], reopened.topic("t").partition(p).logEndOffset(),
                    "exactly the requests answered as appended are in partition " + p);
            }
        }
    }
}
