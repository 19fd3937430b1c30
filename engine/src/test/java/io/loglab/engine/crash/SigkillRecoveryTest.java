package io.loglab.engine.crash;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.LogVerifier;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchValidator;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.engine.topic.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash durability under SIGKILL: a child JVM ({@link CrashingAppender}) appends with {@code flush.policy=every} and
 * reports each append that completed as durable; the test kills it at a random moment, reopens the log (recovery),
 * and checks that every acknowledged append survived, that offsets are contiguous and every batch is valid, and that
 * each run's records are in order with neither gaps nor duplicates. The next child appends to the same directory, so
 * the log grows across kills and segments roll.
 * <p>
 * Every fifth iteration kills the child early instead, at a random moment while it starts, opens and recovers the
 * log, or makes its first appends.
 * <p>
 * System properties: {@code loglab.crash.iterations} (default 16), {@code loglab.crash.seed},
 * {@code loglab.crash.earlyKillEvery} (default 5; 0 for none). The data directory and each child's stdout and stderr
 * stay in {@code target/sigkill-recovery} for a post-mortem.
 */
class SigkillRecoveryTest
{
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 2;
    /** Small, so that segments roll every few hundred records and kills land near rolls too. */
    private static final int SEGMENT_BYTES = 64 * 1024;
    private static final int IN_FLIGHT_PER_PARTITION = 4;
    private static final long MAX_RECORDS = 100_000_000L;
    private static final int ITERATIONS = Integer.getInteger("loglab.crash.iterations", 16);
    private static final long SEED = Long.getLong("loglab.crash.seed", 0x5EED_C0DEL);
    /** Every this many iterations, one kills the child early: while it opens and recovers the log. */
    private static final int EARLY_KILL_EVERY = Integer.getInteger("loglab.crash.earlyKillEvery", 5);
    /** Durable appends the child must have reported before the kill moment is chosen. */
    private static final int MIN_ACKS_BEFORE_KILL = 20;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final int READ_BYTES = 1024 * 1024;

    /** One line the child printed: an append that completed as durable. */
    record Ack(int partition, long baseOffset, long lastOffset, long runId, long firstSequence, long lastSequence)
    {
        static Ack parse(final String line)
        {
            final String[] f = line.split(" ");
            if (f.length != 7 || !f[0].equals("durable"))
            {
                throw new IllegalArgumentException("unexpected line from child: '" + line + "'");
            }
            return new Ack(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]));
        }
    }

    /**
     * Reads the child's stdout on its own thread, as the child writes it. Stdout goes to a file rather than a pipe:
     * the JDK's process reaper closes a pipe's stream under a concurrent reader when the child dies, while a file
     * keeps every byte the child wrote before SIGKILL. Only lines ended by a newline count: a line cut short by the
     * kill was never acknowledged.
     */
    static final class ChildOutput implements Runnable
    {
        private final Path file;
        final List<Ack> acks = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicInteger count = new AtomicInteger();
        volatile String partialTail = "";
        /** {@link System#nanoTime()} in ms when the first ack was read. */
        volatile long firstAckMs;
        /** Set once the child is dead: read to the end of the file, then finish. */
        volatile boolean childDead;
        volatile boolean finished;

        ChildOutput(final Path file)
        {
            this.file = file;
        }

        @Override
        public void run()
        {
            final StringBuilder line = new StringBuilder();
            final byte[] chunk = new byte[8192];
            try (InputStream in = Files.newInputStream(file))
            {
                while (true)
                {
                    final boolean lastPass = childDead; // read before reading, so nothing written earlier is missed
                    int n;
                    boolean readAny = false;
                    while ((n = in.read(chunk)) > 0)
                    {
                        readAny = true;
                        for (int i = 0; i < n; i++)
                        {
                            final char c = (char)(chunk[i] & 0xFF);
                            if (c == '\n')
                            {
                                try
                                {
                                    acks.add(Ack.parse(line.toString()));
                                    if (count.incrementAndGet() == 1)
                                    {
                                        firstAckMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
                                    }
                                }
                                catch (final RuntimeException ex)
                                {
                                    problems.add(ex.getMessage());
                                }
                                line.setLength(0);
                            }
                            else
                            {
                                line.append(c);
                            }
                        }
                    }
                    if (lastPass)
                    {
                        break;
                    }
                    if (!readAny)
                    {
                        Thread.sleep(1);
                    }
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                problems.add("reading child stdout: " + ex);
            }
            finally
            {
                partialTail = line.toString();
                finished = true;
            }
        }
    }

    /** What one iteration saw, for the summary. */
    record IterationResult(
        int iteration, int acks, long killDelayMs, String killMode, List<LogFinding> recovery, List<LogFinding> rawDamage,
        long[] endOffsets, int[] segmentCounts, long[] unackedSurvivors, String partialTail)
    {
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyDurableAppendSurvivesSigkill() throws Exception
    {
        final long started = System.nanoTime();
        final Path workDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("target").resolve("sigkill-recovery");
        IoUtil.delete(workDir.toFile(), false);
        final Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        final Random random = new Random(SEED);
        final List<Ack> allAcks = new ArrayList<>();
        final List<IterationResult> results = new ArrayList<>();
        long startupMs = 500; // time from start to first ack, measured by each normal iteration
        System.out.println("SigkillRecoveryTest: seed=" + SEED + " iterations=" + ITERATIONS + " dir=" + workDir);

        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final long runId = iteration + 1;
            final Path stderrFile = workDir.resolve("child-" + runId + ".stderr");
            final Path stdoutFile = workDir.resolve("child-" + runId + ".stdout");
            final long childStarted = System.nanoTime();
            final Process child = startChild(dataDir, runId, stdoutFile, stderrFile);
            final ChildOutput output = new ChildOutput(stdoutFile);
            final Thread readerThread = new Thread(output, "child-" + runId + "-stdout");
            readerThread.setDaemon(true);
            readerThread.start();
            final Supplier<String> childState = () -> "child run " + runId + " (alive=" + child.isAlive() +
                ", acks=" + output.count.get() + ", problems=" + output.problems + ")\nstderr:\n" + tail(stderrFile);

            final boolean earlyKill = EARLY_KILL_EVERY > 0 && iteration % EARLY_KILL_EVERY == EARLY_KILL_EVERY - 1;
            final long killWaitStart = System.nanoTime();
            final String killMode;
            try
            {
                killMode = earlyKill ?
                    waitForEarlyKillMoment(random, startupMs) :
                    waitForKillMoment(child, output, random, childState);
                assertTrue(child.isAlive(), () -> "child exited on its own before the kill: " + childState.get());
            }
            catch (final Throwable ex)
            {
                child.destroyForcibly();
                throw ex;
            }
            final long killDelayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killWaitStart);
            if (!earlyKill)
            {
                startupMs = output.firstAckMs - TimeUnit.NANOSECONDS.toMillis(childStarted);
            }

            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(KILL_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "child did not die after SIGKILL");
            assertEquals(128 + 9, child.exitValue(), () -> "child exit code should say SIGKILL: " + childState.get());
            output.childDead = true;
            await("child run " + runId + " stdout to be read to its end", KILL_TIMEOUT, () -> output.finished,
                childState);
            readerThread.join(KILL_TIMEOUT.toMillis());
            child.getOutputStream().close();
            assertTrue(output.problems.isEmpty(), () -> "child output problems: " + output.problems);

            final List<Ack> acks = new ArrayList<>(output.acks);
            checkAckConsistency(acks, runId);
            allAcks.addAll(acks);

            // What the crash left on disk, before recovery touches it: at most a torn tail, never damage.
            final List<LogFinding> rawDamage = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++)
            {
                final LogVerifier.Result raw = LogVerifier.verify(partitionDir(dataDir, p), new LogConfig());
                rawDamage.addAll(raw.findings());
                final int pp = p;
                assertNotEquals(LogVerifier.Status.DAMAGED, raw.status(),
                    () -> "verify after SIGKILL calls partition " + pp + " damaged: " + raw.findings());
            }

            final IterationResult result = recoverAndCheck(
                dataDir, iteration, acks, allAcks, killDelayMs, killMode, rawDamage, output.partialTail);
            results.add(result);
            System.out.println(describe(result));
        }

        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println(summary(results, allAcks.size(), elapsedMs));
    }

    /**
     * The usual kill moment: once the child has acknowledged {@link #MIN_ACKS_BEFORE_KILL} appends, either after a
     * random number of further acks or after a random short delay.
     */
    private static String waitForKillMoment(
        final Process child, final ChildOutput output, final Random random, final Supplier<String> childState)
        throws InterruptedException
    {
        await("child to report " + MIN_ACKS_BEFORE_KILL + " durable appends", STARTUP_TIMEOUT,
            () -> output.count.get() >= MIN_ACKS_BEFORE_KILL || !child.isAlive(), childState);
        assertTrue(child.isAlive(), () -> "child exited on its own before the kill: " + childState.get());
        if (random.nextBoolean())
        {
            final int more = random.nextInt(300);
            final int target = output.count.get() + more;
            await("child to report " + more + " more durable appends", STARTUP_TIMEOUT,
                () -> output.count.get() >= target || !child.isAlive(), childState);
            return "after " + more + " more acks";
        }
        final long delayMs = random.nextInt(300);
        Thread.sleep(delayMs); // not synchronisation: this is the random kill moment
        return "after " + delayMs + " ms";
    }

    /**
     * An early kill moment: a random delay from start to a little past when the first ack came in the last normal
     * iteration, so the child is starting, opening the log (recovering what the last kill left) or making its first
     * appends.
     */
    private static String waitForEarlyKillMoment(final Random random, final long startupMs)
        throws InterruptedException
    {
        final long delayMs = random.nextInt((int)Math.max(50, startupMs * 6 / 5));
        Thread.sleep(delayMs); // not synchronisation: this is the random kill moment
        return "early, " + delayMs + " ms after start";
    }

    private static Process startChild(
        final Path dataDir, final long runId, final Path stdoutFile, final Path stderrFile) throws IOException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = List.of(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            // Agrona 2.x reads jdk.internal.misc.Unsafe, as in surefire's argLine.
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            CrashingAppender.class.getName(),
            dataDir.toString(),
            TOPIC,
            Long.toString(runId),
            Integer.toString(PARTITIONS),
            Integer.toString(SEGMENT_BYTES),
            Integer.toString(IN_FLIGHT_PER_PARTITION),
            Long.toString(MAX_RECORDS));
        return new ProcessBuilder(command)
            .redirectError(stderrFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(stdoutFile.toFile())
            .start();
    }

    /**
     * Per partition, a run's acks come in offer order: consecutive offsets and consecutive sequences.
     */
    private static void checkAckConsistency(final List<Ack> acks, final long runId)
    {
        final long[] nextOffset = new long[PARTITIONS];
        final long[] nextSequence = new long[PARTITIONS];
        Arrays.fill(nextOffset, -1);
        for (final Ack ack : acks)
        {
            final int p = ack.partition();
            assertEquals(runId, ack.runId(), () -> "ack of another run: " + ack);
            assertEquals(ack.lastOffset() - ack.baseOffset(), ack.lastSequence() - ack.firstSequence(),
                () -> "ack spans a different number of offsets than sequences: " + ack);
            assertEquals(nextSequence[p], ack.firstSequence(), () -> "acks out of sequence order: " + ack);
            if (nextOffset[p] >= 0)
            {
                assertEquals(nextOffset[p], ack.baseOffset(), () -> "acked batches not contiguous: " + ack);
            }
            nextOffset[p] = ack.lastOffset() + 1;
            nextSequence[p] = ack.lastSequence() + 1;
        }
    }

    private IterationResult recoverAndCheck(
        final Path dataDir,
        final int iteration,
        final List<Ack> acks,
        final List<Ack> allAcks,
        final long killDelayMs,
        final String killMode,
        final List<LogFinding> rawDamage,
        final String partialTail) throws IOException
    {
        final List<LogFinding> recovery = new CopyOnWriteArrayList<>();
        final long[] endOffsets = new long[PARTITIONS];
        final int[] segmentCounts = new int[PARTITIONS];
        final long[] batchCounts = new long[PARTITIONS];
        final long[] unackedSurvivors = new long[PARTITIONS];
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(dataDir)
            .recoveryListener((partition, finding) -> recovery.add(finding))))
        {
            final Topic topic = manager.topic(TOPIC);
            assertEquals(PARTITIONS, topic.partitionCount());
            for (int p = 0; p < PARTITIONS; p++)
            {
                final Partition partition = topic.partition(p);
                // The first getter opens the log, and recovery tells the listener what it found before it returns.
                assertEquals(0, partition.logStartOffset(), "log start offset of partition " + p);
                final long end = partition.logEndOffset();
                endOffsets[p] = end;
                segmentCounts[p] = partition.log().segmentCount();

                // (b) and the contents: every batch valid, offsets contiguous from 0 to the log end.
                final PartitionContents contents = scan(partition, end);
                batchCounts[p] = contents.batches;

                // (c) each run's records in order, sequences from 0 with neither gaps nor duplicates, runs in order.
                checkSequences(p, contents);

                // (a) every append acknowledged as durable, in this run or any before, is there.
                long maxAcked = -1;
                for (final Ack ack : allAcks)
                {
                    if (ack.partition() != p)
                    {
                        continue;
                    }
                    final int pp = p;
                    assertTrue(ack.lastOffset() < end, () -> "partition " + pp + ": acked durable " + ack +
                        " is beyond the recovered log end offset " + end);
                    contents.assertHolds(ack.baseOffset(), ack.runId(), ack.firstSequence(), ack);
                    contents.assertHolds(ack.lastOffset(), ack.runId(), ack.lastSequence(), ack);
                    if (ack.runId() == iteration + 1)
                    {
                        maxAcked = Math.max(maxAcked, ack.lastOffset());
                    }
                }
                // The same, for this run's acks, through an indexed lookup of each acked offset.
                final LogReader reader = partition.newReader();
                for (final Ack ack : acks)
                {
                    if (ack.partition() == p)
                    {
                        assertRecordAt(reader, ack.lastOffset(), ack.runId(), ack.lastSequence(), ack);
                    }
                }
                unackedSurvivors[p] = maxAcked < 0 ? -1 : end - (maxAcked + 1);
            }
        }

        // (b) again, as `loglab verify` sees the cleanly closed directory, indexes included.
        for (int p = 0; p < PARTITIONS; p++)
        {
            final LogVerifier.Result summary = LogVerifier.verify(partitionDir(dataDir, p), new LogConfig());
            final int pp = p;
            assertEquals(List.of(), summary.findings(), () -> "partition " + pp + " not clean after recovery");
            assertEquals(LogVerifier.Status.CLEAN, summary.status());
            assertEquals(0, summary.startOffset(), "verified start offset of partition " + p);
            assertEquals(endOffsets[p], summary.endOffset(), "verified end offset of partition " + p);
            assertEquals(batchCounts[p], summary.batches(), "verified batch count of partition " + p);
        }
        return new IterationResult(iteration, acks.size(), killDelayMs, killMode, recovery, rawDamage, endOffsets,
            segmentCounts, unackedSurvivors, partialTail);
    }

    /** Who wrote each offset of a partition: run and sequence, indexed by offset. */
    static final class PartitionContents
    {
        final int partition;
        long[] runs = new long[1024];
        long[] sequences = new long[1024];
        long size;
        long batches;

        PartitionContents(final int partition)
        {
            this.partition = partition;
        }

        void add(final long offset, final long runId, final long sequence)
        {
            assertEquals(size, offset, "partition " + partition + ": offsets not contiguous");
            if (size == runs.length)
            {
                runs = Arrays.copyOf(runs, runs.length * 2);
                sequences = Arrays.copyOf(sequences, sequences.length * 2);
            }
            runs[(int)size] = runId;
            sequences[(int)size] = sequence;
            size++;
        }

        void assertHolds(final long offset, final long runId, final long sequence, final Ack ack)
        {
            assertTrue(offset < size, () -> "partition " + partition + ": acked " + ack + " but the log holds only " +
                size + " records");
            final int i = (int)offset;
            if (runs[i] != runId || sequences[i] != sequence)
            {
                fail("partition " + partition + ": offset " + offset + " holds run " + runs[i] + " sequence " +
                    sequences[i] + " but " + ack + " was acknowledged as durable there");
            }
        }
    }

    private static PartitionContents scan(final Partition partition, final long end) throws IOException
    {
        final int p = partition.id();
        final PartitionContents contents = new PartitionContents(p);
        final LogReader reader = partition.newReader();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BYTES);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        final RecordBatch batch = new RecordBatch();
        final Record record = new Record();
        final RecordBatchValidator validator = new RecordBatchValidator();
        long offset = 0;
        while (offset < end)
        {
            final long at = offset;
            assertEquals(LogReader.OK, reader.read(offset, READ_BYTES), "partition " + p + ": read at " + offset);
            final int length = reader.length();
            assertTrue(length > 0, () -> "partition " + p + ": nothing to read at offset " + at + " below the log end " +
                end);
            assertEquals(offset, reader.firstOffset(), "partition " + p + ": region start");
            buffer.clear();
            reader.copyTo(buffer);
            int position = 0;
            while (position < length)
            {
                batch.wrap(view, position);
                final int total = batch.totalLength();
                final int batchPosition = position;
                assertTrue(total > 0 && position + total <= length,
                    () -> "partition " + p + ": batch at " + batchPosition + " of the region runs past it");
                validator.validate(view, position, total, true);
                assertEquals(offset, batch.baseOffset(), "partition " + p + ": batch base offset");
                int recordAt = batch.recordsOffset();
                for (int r = 0; r < batch.recordsCount(); r++)
                {
                    record.wrap(view, recordAt, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
                    assertEquals(offset, record.offset(), "partition " + p + ": record offset");
                    final long[] decoded = decodeValue(view, record, p);
                    contents.add(offset, decoded[0], decoded[1]);
                    offset++;
                    recordAt += record.totalLength();
                }
                assertEquals(batch.nextOffset(), offset, "partition " + p + ": records of the batch");
                contents.batches++;
                position += total;
            }
            assertEquals(reader.nextOffset(), offset, "partition " + p + ": region end");
        }
        assertEquals(end, contents.size, "partition " + p + ": records read up to the log end");
        return contents;
    }

    private static long[] decodeValue(final UnsafeBuffer view, final Record record, final int partition)
    {
        assertEquals(CrashingAppender.VALUE_LENGTH, record.valueLength(), "value length at offset " + record.offset());
        final int v = record.valueOffset();
        final long runId = view.getLong(v, ByteOrder.BIG_ENDIAN);
        final int valuePartition = view.getInt(v + 8, ByteOrder.BIG_ENDIAN);
        final long sequence = view.getLong(v + 12, ByteOrder.BIG_ENDIAN);
        assertEquals(partition, valuePartition, "value at offset " + record.offset() + " names another partition");
        for (int i = 20; i < CrashingAppender.VALUE_LENGTH; i++)
        {
            if (view.getByte(v + i) != (byte)(sequence * 31 + i))
            {
                fail("value padding at offset " + record.offset() + " byte " + i + " is not what run " + runId +
                    " wrote for sequence " + sequence);
            }
        }
        return new long[]{ runId, sequence };
    }

    private static void checkSequences(final int p, final PartitionContents contents)
    {
        long currentRun = -1;
        long expectedSequence = 0;
        for (int i = 0; i < contents.size; i++)
        {
            final long run = contents.runs[i];
            final long sequence = contents.sequences[i];
            if (run != currentRun)
            {
                if (run < currentRun)
                {
                    fail("partition " + p + ": offset " + i + " holds run " + run + " after records of run " +
                        currentRun);
                }
                currentRun = run;
                expectedSequence = 0;
            }
            if (sequence != expectedSequence)
            {
                fail("partition " + p + ": offset " + i + " holds run " + run + " sequence " + sequence + " where " +
                    expectedSequence + " was expected (" + (sequence < expectedSequence ? "duplicate or reordered" :
                    "gap: records lost") + ")");
            }
            expectedSequence++;
        }
    }

    private static void assertRecordAt(
        final LogReader reader, final long offset, final long runId, final long sequence, final Ack ack)
        throws IOException
    {
        assertEquals(LogReader.OK, reader.read(offset, 1), "read at acked offset " + offset);
        assertTrue(reader.length() > 0, () -> "nothing read at acked offset " + offset + " of " + ack);
        final ByteBuffer buffer = ByteBuffer.allocate(reader.length());
        reader.copyTo(buffer);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        final RecordBatch batch = new RecordBatch().wrap(view, 0);
        assertTrue(batch.baseOffset() <= offset && offset <= batch.lastOffset(),
            () -> "read at " + offset + " returned batch " + batch.baseOffset() + ".." + batch.lastOffset());
        final Record record = new Record();
        int at = batch.recordsOffset();
        for (long o = batch.baseOffset(); o <= offset; o++)
        {
            record.wrap(view, at, batch.limit(), batch.baseOffset(), batch.baseTimestamp());
            at += record.totalLength();
        }
        assertEquals(offset, record.offset());
        final int v = record.valueOffset();
        assertEquals(runId, view.getLong(v, ByteOrder.BIG_ENDIAN), () -> "run at acked offset of " + ack);
        assertEquals(sequence, view.getLong(v + 12, ByteOrder.BIG_ENDIAN), () -> "sequence at acked offset of " + ack);
    }

    private static Path partitionDir(final Path dataDir, final int partition)
    {
        return dataDir.resolve(TOPIC).resolve("partition-" + partition);
    }

    /**
     * Poll {@code condition} until it holds or {@code timeout} passes, then fail naming what was awaited.
     */
    static void await(
        final String what, final Duration timeout, final BooleanSupplier condition, final Supplier<String> state)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; " + state.get());
            }
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    private static String tail(final Path file)
    {
        try
        {
            if (!Files.exists(file))
            {
                return "(no stderr file)";
            }
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
        }
        catch (final IOException ex)
        {
            return "(could not read " + file + ": " + ex + ")";
        }
    }

    private static String describe(final IterationResult r)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("iteration %2d: %5d acks, killed %s (%d ms after start), end offsets %s, segments %s, unacked records kept %s",
            r.iteration(), r.acks(), r.killMode(), r.killDelayMs(), Arrays.toString(r.endOffsets()),
            Arrays.toString(r.segmentCounts()), Arrays.toString(r.unackedSurvivors())));
        if (!r.partialTail().isEmpty())
        {
            text.append(", partial stdout line dropped: '").append(r.partialTail()).append('\'');
        }
        for (final LogFinding c : r.rawDamage())
        {
            text.append("\n    before recovery, verify found: ").append(c);
        }
        for (final LogFinding c : r.recovery())
        {
            text.append("\n    recovery: ").append(c);
        }
        if (r.recovery().isEmpty())
        {
            text.append("\n    recovery: nothing to repair");
        }
        return text.toString();
    }

    private static String summary(final List<IterationResult> results, final int totalAcks, final long elapsedMs)
    {
        int tornTails = 0;
        int anyRecoveryFinding = 0;
        final Map<String, Integer> kinds = new HashMap<>();
        for (final IterationResult r : results)
        {
            boolean torn = false;
            for (final LogFinding c : r.recovery())
            {
                torn |= c.kind() == LogFinding.Kind.TORN_TAIL;
                kinds.merge(c.reason().replaceAll("[0-9]+", "N"), 1, Integer::sum);
            }
            tornTails += torn ? 1 : 0;
            anyRecoveryFinding += r.recovery().isEmpty() ? 0 : 1;
        }
        return String.format("SigkillRecoveryTest summary: %d iterations, %d durable acks checked, %d iterations " +
            "with a recovery finding, %d with a torn tail truncated, findings by kind %s, %d ms",
            results.size(), totalAcks, anyRecoveryFinding, tornTails, kinds, elapsedMs);
    }
}
