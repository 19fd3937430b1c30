package io.loglab.engine.partition;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class PartitionRefusalTest
{
    private static final long NOW = System.currentTimeMillis();
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dataDir;

    private final Queue<String> refused = new ConcurrentLinkedQueue<>();
    private final Queue<String> recovered = new ConcurrentLinkedQueue<>();

    private LogManager open() throws IOException
    {
        return LogManager.open(new LogManagerContext().dataDir(dataDir).writerThreads(2)
            .recoveryListener(new RecoveryListener()
            {
                public void onRecovered(final String partition, final LogFinding finding)
                {
                    recovered.add(partition + ": " + finding);
                }

                public void onRefused(final String partition, final PartitionRefusedException refusal)
                {
                    refused.add(partition + ": " + refusal.getMessage());
                }
            }));
    }

    private static AppendRequest offerAndWait(final Partition partition)
    {
        final AppendRequest request = new AppendRequest().batch(TestBatches.batch(3, NOW));
        TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, WAIT_MS, () -> "offer to " + partition);
        TestBatches.await(request::isDone, WAIT_MS, () -> "an answer from " + partition);
        return request;
    }

    @Test
    void shouldRefuseOnlyThePartitionWhoseLogCannotOpenAndNameTheRepairCommand() throws Exception
    {
        final Path inTheWay;
        try (LogManager manager = open())
        {
            final Topic topic = manager.createTopic("t", 3, new LogConfig());
            manager.createTopic("other", 1, new LogConfig());
            // A regular file where partition 1's directory must go: its open fails, as a damaged log's would.
            inTheWay = topic.dir().resolve("partition-1");
            Files.writeString(inTheWay, "not a directory");

            final AppendRequest failed = offerAndWait(topic.partition(1));
            assertEquals(AppendRequest.FAILED, failed.status());
            final String expectedCommand = "loglab repair --dir " + dataDir + " --topic t --partition 1";
            assertInstanceOf(PartitionRefusedException.class, failed.failure());
            assertTrue(failed.failure().getMessage().contains(inTheWay.toString()), failed.failure().getMessage());
            assertTrue(failed.failure().getMessage().endsWith(expectedCommand), failed.failure().getMessage());
            assertEquals(expectedCommand, ((PartitionRefusedException)failed.failure()).repairCommand());

            final AppendRequest later = offerAndWait(topic.partition(1));
            assertEquals(AppendRequest.FAILED, later.status(), "later requests are refused too");
            assertSame(failed.failure(), later.failure());
            final UncheckedIOException getter = assertThrows(UncheckedIOException.class,
                () -> topic.partition(1).logEndOffset());
            assertTrue(getter.getMessage().contains(expectedCommand), getter.getMessage());
            assertThrows(UncheckedIOException.class, () -> topic.partition(1).newReader());
            final CompletableFuture<Void> roll = topic.partition(1).roll();
            final ExecutionException commandFailure = assertThrows(ExecutionException.class,
                () -> roll.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(PartitionRefusedException.class, commandFailure.getCause());

            for (final Partition working : List.of(topic.partition(0), topic.partition(2),
                manager.topic("other").partition(0)))
            {
                final AppendRequest request = offerAndWait(working);
                assertEquals(AppendRequest.WRITTEN, request.status(), () -> String.valueOf(request.failure()));
                assertEquals(3, working.logEndOffset(), working + " keeps working");
            }
            assertEquals(1, refused.size(), "told once: " + refused);
            assertTrue(refused.peek().startsWith("t-1: t-1 cannot be opened"), refused.peek());
        }
        assertEquals("not a directory", Files.readString(inTheWay), "the file in the way is left alone");
    }

    @Test
    void shouldTellTheRecoveryListenerWhatRecoveryCutWhenTheLogOpens() throws Exception
    {
        final Path segment;
        try (LogManager manager = open())
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            assertEquals(AppendRequest.WRITTEN, offerAndWait(partition).status());
            segment = partition.log().dir().resolve("00000000000000000000.log");
        }
        // A crash tore the tail of the active segment: no clean-shutdown marker, junk after the last batch.
        Files.delete(segment.resolveSibling(".clean-shutdown"));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}));
        }

        try (LogManager manager = open())
        {
            final Partition partition = manager.topic("t").partition(0);
            assertEquals(List.of(), List.copyOf(recovered), "nothing is opened, so nothing is recovered, yet");
            assertEquals(3, partition.logEndOffset(), "the intact batch is kept");
            assertEquals(1, recovered.size(), recovered.toString());
            assertTrue(recovered.peek().startsWith("t-0: " + segment), recovered.peek());
        }
        assertEquals(List.of(), List.copyOf(refused));
    }

    @Test
    void shouldTellEveryFindingAndKeepThePartitionWorkingWhenTheRecoveryListenerThrows() throws Exception
    {
        final Path partitionDir;
        try (LogManager manager = open())
        {
            final Partition partition = manager.createTopic("t", 1, new LogConfig()).partition(0);
            assertEquals(AppendRequest.WRITTEN, offerAndWait(partition).status());
            partitionDir = partition.log().dir();
        }
        // Two findings: a stray file named like a segment, and a torn tail after a crash.
        Files.writeString(partitionDir.resolve("00000000000000000100.log"), "not a segment!");
        Files.delete(partitionDir.resolve(".clean-shutdown"));
        try (FileChannel channel = FileChannel.open(partitionDir.resolve("00000000000000000000.log"),
            StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}));
        }

        final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir).writerThreads(1)
            .errorHandler(errors::add)
            .recoveryListener(new RecoveryListener()
            {
                public void onRecovered(final String partition, final LogFinding finding)
                {
                    recovered.add(partition + ": " + finding);
                    throw new IllegalStateException("listener failed on " + finding);
                }

                public void onRefused(final String partition, final PartitionRefusedException refusal)
                {
                    refused.add(partition);
                }
            })))
        {
            final Partition partition = manager.topic("t").partition(0);
            assertEquals(AppendRequest.WRITTEN, offerAndWait(partition).status(), "the partition works");
            assertEquals(6, partition.logEndOffset());
        }
        assertEquals(2, recovered.size(), "every finding told: " + recovered);
        assertEquals(2, errors.size(), "each listener failure reached the error handler: " + errors);
        assertEquals(List.of(), List.copyOf(refused));
    }
}
