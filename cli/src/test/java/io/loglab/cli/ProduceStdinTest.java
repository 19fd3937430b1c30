package io.loglab.cli;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code produce} from standard input keeps input order: everything before a bad record is stored and
 * acknowledged, nothing after it, and the error names the record.
 */
class ProduceStdinTest
{
    @TempDir
    Path tmp;

    private CliCapture cli;
    private String dir;

    @BeforeEach
    void setUp()
    {
        cli = new CliCapture();
        dir = tmp.resolve("data").toString();
    }

    @AfterEach
    void tearDown()
    {
        cli.restore();
    }

    private int produce(final byte[] input, final String... options)
    {
        System.setIn(new ByteArrayInputStream(input));
        final List<String> args = new ArrayList<>(List.of("produce", "--dir", dir, "--topic", "t"));
        args.addAll(List.of(options));
        return cli.run(args.toArray(new String[0]));
    }

    /** The values consume prints (text format), in partition order. */
    private List<String> storedValues()
    {
        assertEquals(0, cli.run("consume", "--dir", dir, "--topic", "t"), cli.err());
        final List<String> values = new ArrayList<>();
        for (final String line : cli.outLines())
        {
            if (!line.isEmpty())
            {
                values.add(line.split(" ", 4)[3]);
            }
        }
        return values;
    }

    private static long storedCount(final Map<Integer, Long> lastAcks)
    {
        return lastAcks.values().stream().mapToLong(offset -> offset + 1).sum();
    }

    @Test
    void shouldStoreEveryLineBeforeMalformedOneAndNoneAfter()
    {
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "3"));
        final StringBuilder input = new StringBuilder();
        final List<String> before = new ArrayList<>();
        for (int line = 1; line <= 20; line++)
        {
            final String value = "value-" + line;
            if (line == 12)
            {
                input.append("a2V5\tnot base64!\n");
                continue;
            }
            if (line < 12)
            {
                before.add(value);
            }
            input.append(b64("key-" + line % 5)).append('\t').append(b64(value)).append('\n');
        }

        assertEquals(2, produce(input.toString().getBytes(StandardCharsets.US_ASCII), "--format", "base64"));
        assertTrue(cli.err().contains("line 12: the value is not base64"), cli.err());
        assertTrue(cli.err().contains("everything before it is stored"), cli.err());
        assertEquals(11, storedCount(cli.lastAcks()), "the final lines count lines 1 to 11: " + cli.out());
        assertEquals(3, cli.lastAcks().size(), "a final line for every partition: " + cli.out());

        final List<String> stored = storedValues();
        assertEquals(before.size(), stored.size(), stored.toString());
        assertTrue(stored.containsAll(before), stored.toString());
    }

    @Test
    void shouldOpenOnlyThePartitionsItSendsToAndStillPrintAFinalLineForEvery()
    {
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "8"));
        final StringBuilder input = new StringBuilder();
        for (int line = 0; line < 50; line++)
        {
            input.append("one-key\tvalue-").append(line).append('\n');
        }

        assertEquals(0, produce(input.toString().getBytes(StandardCharsets.US_ASCII)), cli.err());
        assertEquals(8, cli.lastAcks().size(), "a final line for every partition: " + cli.out());
        final List<Integer> sentTo = new ArrayList<>();
        cli.lastAcks().forEach((partition, offset) ->
        {
            if (offset >= 0)
            {
                sentTo.add(partition);
            }
        });
        assertEquals(1, sentTo.size(), "one key, one partition: " + cli.out());
        assertEquals(49, cli.lastAcks().get(sentTo.get(0)));
        for (int p = 0; p < 8; p++)
        {
            assertEquals(p == sentTo.get(0), java.nio.file.Files.exists(tmp.resolve("data/t/partition-" + p)),
                "partition " + p + "'s log is made only if it was sent to");
        }
    }

    @Test
    void shouldNameMalformedBinaryRecordByNumberAndPosition() throws IOException
    {
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1"));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(-1);
        out.writeInt(3);
        out.write("one".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(-5);

        assertEquals(2, produce(bytes.toByteArray(), "--format", "binary"));
        assertTrue(cli.err().contains("record 2 at byte 11: key length -5 is negative"), cli.err());
        assertEquals(List.of("one"), storedValues());

        out.writeInt(4);
        final byte[] cut = bytes.toByteArray();
        cut[11] = 0;
        cut[12] = 0;
        cut[13] = 0;
        cut[14] = 1;
        assertEquals(2, produce(cut, "--format", "binary"));
        assertTrue(cli.err().contains("record 2 at byte 11: the input ends inside the record"), cli.err());
        assertEquals(1, cli.lastAcks().get(0), "record 1 is stored again, after the first run's: " + cli.out());
        assertEquals(List.of("one", "one"), storedValues(), "and nothing of record 2");
    }

    @Test
    void shouldStoreLineLargerThanBatchAloneAndRefuseLineLargerThanMaxMessageBytes() throws IOException
    {
        try (LogManager manager = LogManager.open(new LogManagerContext().dataDir(tmp.resolve("data"))))
        {
            manager.createTopic("t", 2, new LogConfig().maxMessageBytes(4096));
        }
        final String large = "L".repeat(3000);
        final String input = "a\n" + large + "\nb\n" + "H".repeat(5000) + "\nc\n";

        assertEquals(2, produce(input.getBytes(StandardCharsets.US_ASCII), "--batch-bytes", "1024"));
        assertTrue(cli.err().contains("line 4: ") && cli.err().contains("max.message.bytes=4096"), cli.err());
        assertEquals(3, storedCount(cli.lastAcks()), cli.out());
        assertEquals(List.of("a", large, "b"), storedValues(), "sticky null keys: one partition, in order");

        assertEquals(2, produce("x\n".getBytes(StandardCharsets.US_ASCII), "--batch-bytes", "8192"));
        assertTrue(cli.err().contains("--batch-bytes 8192 is larger than t's max.message.bytes=4096"), cli.err());
    }

    @Test
    void shouldAcknowledgeEachLineAfterLingerWhileInputStaysOpen() throws Exception
    {
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1"));
        final PipedOutputStream writer = new PipedOutputStream();
        System.setIn(new PipedInputStream(writer, 1 << 16));
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Integer> exit = executor.submit(() -> LoglabCli.run(
                "produce", "--dir", dir, "--topic", "t", "--linger-ms", "5"));
            for (int line = 0; line < 3; line++)
            {
                writer.write(("line " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                writer.flush();
                final String ack = "partition=0 last-acked-offset=" + line + " ";
                await(() -> cli.out().contains(ack), () -> ack + " while standard input stays open: " + cli.out());
            }
            writer.close();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS), cli.err());
        }
        finally
        {
            executor.shutdownNow();
        }
        assertEquals(List.of("line 0", "line 1", "line 2"), storedValues());
    }

    private static void await(final BooleanSupplier condition, final java.util.function.Supplier<String> what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static String b64(final String text)
    {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
