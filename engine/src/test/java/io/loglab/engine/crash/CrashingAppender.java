package io.loglab.engine.crash;

import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Child program of {@link SigkillRecoveryTest}: appends to a topic with {@link FlushPolicy#EVERY} until it is killed,
 * and reports on stdout every append that completed as {@link AppendRequest#DURABLE}.
 * <p>
 * Arguments: {@code dataDir topic runId partitions segmentBytes inFlightPerPartition maxRecords}.
 * <p>
 * Each record's value encodes who wrote it: {@link #VALUE_LENGTH} bytes, big-endian
 * {@code runId (long), partition (int), sequence (long)}, then padding derived from the sequence. Sequences count from
 * 0 per (run, partition) with no gaps, in the order the batches are offered. Each durable completion is reported as
 * one line, written whole with a single write to stdout and flushed before the next poll:
 * <pre>
 *   durable &lt;partition&gt; &lt;baseOffset&gt; &lt;lastOffset&gt; &lt;runId&gt; &lt;firstSequence&gt; &lt;lastSequence&gt;
 * </pre>
 * The program never exits on its own unless an append fails (exit 2), it reaches {@code maxRecords} (exit 3), or its
 * stdin reaches end of file, meaning the test JVM that started it is gone (exit 4).
 */
public final class CrashingAppender
{
    public static final int VALUE_LENGTH = 200;
    public static final int MAX_RECORDS_PER_BATCH = 8;

    private static final int BATCH_CAPACITY = 64 * 1024;

    private CrashingAppender()
    {
    }

    private static final class Slot
    {
        final AppendRequest request = new AppendRequest();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BATCH_CAPACITY);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        /** Holds a built batch not yet reported: offered, or waiting to be offered again after back pressure. */
        boolean loaded;
        long firstSequence;
        long lastSequence;
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 7)
        {
            System.err.println(
                "usage: CrashingAppender dataDir topic runId partitions segmentBytes inFlightPerPartition maxRecords");
            System.exit(1);
        }
        final Path dataDir = Path.of(args[0]);
        final String topicName = args[1];
        final long runId = Long.parseLong(args[2]);
        final int partitionCount = Integer.parseInt(args[3]);
        final int segmentBytes = Integer.parseInt(args[4]);
        final int inFlight = Integer.parseInt(args[5]);
        final long maxRecords = Long.parseLong(args[6]);

        startParentWatchdog();

        final LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir));
        final Topic topic;
        if (manager.hasTopic(topicName))
        {
            topic = manager.topic(topicName);
        }
        else
        {
            topic = manager.createTopic(topicName, partitionCount, new LogConfig()
                .flushPolicy(FlushPolicy.EVERY)
                .segmentBytes(segmentBytes)
                .retentionMs(-1)
                .retentionBytes(-1));
        }
        if (topic.partitionCount() != partitionCount)
        {
            System.err.println("topic " + topicName + " has " + topic.partitionCount() + " partitions, expected " +
                partitionCount);
            System.exit(1);
        }

        final OutputStream out = new FileOutputStream(FileDescriptor.out);
        final StringBuilder lines = new StringBuilder(4096);
        final Random random = new Random(runId * 7919L);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        final byte[] value = new byte[VALUE_LENGTH];
        final UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        final long[] nextSequence = new long[partitionCount];
        final Slot[][] slots = new Slot[partitionCount][inFlight];
        for (int p = 0; p < partitionCount; p++)
        {
            for (int s = 0; s < inFlight; s++)
            {
                slots[p][s] = new Slot();
            }
        }
        // Lines go out whole and in completion order per partition; slots are polled in offer order, so a later
        // request is never reported before an earlier one of the same partition.
        final int[] oldest = new int[partitionCount];
        final int[] offered = new int[partitionCount];
        long records = 0;

        while (true)
        {
            boolean progress = false;
            lines.setLength(0);
            for (int p = 0; p < partitionCount; p++)
            {
                final Partition partition = topic.partition(p);
                // Report completions in offer order.
                while (offered[p] > 0)
                {
                    final Slot slot = slots[p][oldest[p]];
                    if (!slot.request.isDone())
                    {
                        break;
                    }
                    final int status = slot.request.status();
                    if (status != AppendRequest.DURABLE)
                    {
                        System.err.println("append to partition " + p + " completed with status " + status + ": " +
                            slot.request);
                        if (slot.request.failure() != null)
                        {
                            slot.request.failure().printStackTrace();
                        }
                        System.exit(2);
                    }
                    lines.append("durable ").append(p)
                        .append(' ').append(slot.request.baseOffset())
                        .append(' ').append(slot.request.lastOffset())
                        .append(' ').append(runId)
                        .append(' ').append(slot.firstSequence)
                        .append(' ').append(slot.lastSequence)
                        .append('\n');
                    slot.loaded = false;
                    oldest[p] = (oldest[p] + 1) % inFlight;
                    offered[p]--;
                    progress = true;
                }
                // Keep the pipeline full.
                while (offered[p] < inFlight)
                {
                    final Slot slot = slots[p][(oldest[p] + offered[p]) % inFlight];
                    if (!slot.loaded)
                    {
                        final int count = 1 + random.nextInt(MAX_RECORDS_PER_BATCH);
                        builder.wrap(slot.view, 0, BATCH_CAPACITY);
                        final long now = System.currentTimeMillis();
                        slot.firstSequence = nextSequence[p];
                        for (int r = 0; r < count; r++)
                        {
                            encodeValue(valueBuffer, runId, p, nextSequence[p]);
                            if (!builder.tryAppend(now, null, 0, 0, valueBuffer, 0, VALUE_LENGTH, null))
                            {
                                throw new IllegalStateException("record does not fit in an empty batch");
                            }
                            nextSequence[p]++;
                        }
                        slot.lastSequence = nextSequence[p] - 1;
                        final int length = builder.build();
                        slot.buffer.clear().limit(length);
                        slot.request.batch(slot.buffer);
                        slot.loaded = true;
                        records += count;
                    }
                    final int result = partition.offer(slot.request);
                    if (result == Partition.OFFERED)
                    {
                        offered[p]++;
                        progress = true;
                    }
                    else if (result == Partition.CLOSED)
                    {
                        System.err.println("partition " + p + " is closed");
                        System.exit(2);
                    }
                    else
                    {
                        break; // back pressured: the slot keeps its batch and is offered again next time
                    }
                }
            }
            if (lines.length() > 0)
            {
                out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            if (records >= maxRecords)
            {
                System.err.println("reached maxRecords=" + maxRecords + " without being killed; exiting");
                System.exit(3);
            }
            if (!progress)
            {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /**
     * Value of the record with {@code sequence} written by run {@code runId} to {@code partition}.
     */
    static void encodeValue(final UnsafeBuffer value, final long runId, final int partition, final long sequence)
    {
        value.putLong(0, runId, ByteOrder.BIG_ENDIAN);
        value.putInt(8, partition, ByteOrder.BIG_ENDIAN);
        value.putLong(12, sequence, ByteOrder.BIG_ENDIAN);
        for (int i = 20; i < VALUE_LENGTH; i++)
        {
            value.putByte(i, (byte)(sequence * 31 + i));
        }
    }

    /**
     * Exit when stdin closes: the test JVM holds the other end and never closes it while this program should run.
     */
    private static void startParentWatchdog()
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                final InputStream in = System.in;
                final byte[] discard = new byte[64];
                while (in.read(discard) >= 0)
                {
                    // Ignore anything sent.
                }
            }
            catch (final IOException ignored)
            {
                // Treated as end of file.
            }
            System.err.println("stdin closed: the test JVM is gone; exiting");
            Runtime.getRuntime().halt(4);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
