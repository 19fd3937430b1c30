package io.loglab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.*;

class LoglabCliTest
{

    @TempDir
    Path tmp;

    private CliCapture cli;

    @BeforeEach
    void captureOutput()
    {
        cli = new CliCapture();
    }

    @AfterEach
    void restoreOutput()
    {
        cli.restore();
    }

    private int run(final String... args)
    {
        return cli.run(args);
    }

    private List<String> outLines()
    {
        return cli.outLines();
    }

    @Test
    void shouldProduceConsumeAndVerifyGeneratedRecords()
    {
        final String dir = tmp.resolve("data").toString();
        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "3",
            "--segment-bytes", "65536", "--flush", "every"));

        assertEquals(0, run("produce", "--dir", dir, "--topic", "t", "--count", "20000", "--size", "50",
            "--keys", "10", "--batch-bytes", "4096"));
        long total = 0;
        final long[] finalAck = { -1, -1, -1 };
        for (final String line : outLines())
        {
            final Matcher matcher = CliCapture.ACK.matcher(line);
            assertTrue(matcher.matches(), "unexpected line: " + line);
            finalAck[Integer.parseInt(matcher.group(1))] = Long.parseLong(matcher.group(2));
            assertEquals("true", matcher.group(3), "flush=every acknowledges durable appends: " + line);
        }
        for (final long ack : finalAck)
        {
            total += ack + 1;
        }
        assertEquals(20000, total, "the last acked offsets of all partitions add up to every record");

        // The produce's counters stay after it exits: each partition's log end, as it acknowledged.
        assertEquals(0, run("stat", "--dir", dir, "--count", "1"));
        final List<String> stat = outLines();
        assertTrue(stat.get(0).contains(" stopped, started "), stat.get(0));
        for (int partition = 0; partition < 3; partition++)
        {
            final String label = "log end offset: t-" + partition;
            final String line = stat.stream().filter(l -> l.endsWith(label)).findFirst().orElseThrow();
            assertEquals(finalAck[partition] + 1, Long.parseLong(line.trim().split(" +")[1].replace(",", "")), line);
        }
        assertEquals(2, run("stat", "--dir", tmp.resolve("nowhere").toString(), "--count", "1"));
        assertTrue(cli.err().contains("no data directory"), cli.err());

        assertEquals(0, run("consume", "--dir", dir, "--topic", "t"));
        final List<String> records = outLines();
        assertEquals(20000, records.size());
        for (final String record : records)
        {
            final String[] fields = record.split(" ");
            assertEquals(4, fields.length, record);
            assertTrue(fields[2].startsWith("key-"), record);
            assertEquals(50, fields[3].length(), record);
        }

        assertEquals(0, run("verify", "--dir", dir));
        assertEquals(3, outLines().stream().filter(line -> line.startsWith("ok t-")).count(), cli.out());
    }

    @Test
    void shouldReadKeyTabValueLinesFromStandardInputAndConsumeFromAnOffset()
    {
        final String dir = tmp.resolve("data").toString();
        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "lines", "--partitions", "1"));
        System.setIn(new ByteArrayInputStream("k1\tv1\nno key here\nk2\tv 2\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, run("produce", "--dir", dir, "--topic", "lines"));
        assertTrue(outLines().contains("partition=0 last-acked-offset=2 durable=true"), cli.out());

        assertEquals(0, run("consume", "--dir", dir, "--topic", "lines"));
        assertEquals(List.of("0 0 k1 v1", "0 1 - no key here", "0 2 k2 v 2"), outLines());

        assertEquals(0, run("consume", "--dir", dir, "--topic", "lines", "--from", "1", "--max", "1"));
        assertEquals(List.of("0 1 - no key here"), outLines());
    }

    @Test
    void shouldNameFileAndPositionOfDamageAndRefuseToServeIt() throws Exception
    {
        final String dir = tmp.resolve("data").toString();
        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1"));
        assertEquals(0, run("produce", "--dir", dir, "--topic", "t", "--count", "1000", "--batch-bytes", "8192"));

        final Path segment = tmp.resolve("data/t/partition-0/00000000000000000000.log");
        assertEquals(0, run("dump", "--segment", segment.toString()));
        final String firstBatch = outLines().get(0);
        assertTrue(firstBatch.startsWith("position=0 baseOffset=0 "), firstBatch);
        final long secondBatchPosition = Long.parseLong(outLines().get(1).replaceAll("position=(\\d+) .*", "$1"));

        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.READ))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, secondBatchPosition + 100);
            one.flip().put(0, (byte)~one.get(0));
            channel.write(one, secondBatchPosition + 100);
        }

        assertEquals(1, run("verify", "--dir", dir));
        final String report = cli.out() + cli.err();
        assertTrue(report.contains(segment.toString()), report);
        assertTrue(report.contains("at byte " + secondBatchPosition), report);
        assertTrue(report.contains("CRC32C mismatch"), report);

        assertEquals(0, run("dump", "--segment", segment.toString()));
        assertTrue(outLines().get(1).contains("crcValid=false"), outLines().get(1));

        // The clean-shutdown marker skips the scan, so consume meets the damage and refuses it.
        assertEquals(1, run("consume", "--dir", dir, "--topic", "t"));
        assertTrue(cli.err().contains("corrupt batch"), cli.err());
        assertTrue(Files.exists(segment));
    }

    @Test
    void shouldConsumeACompactedTopicOverItsGaps() throws Exception
    {
        final String dir = tmp.resolve("data").toString();
        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "c", "--partitions", "1",
            "--cleanup-policy", "compact", "--segment-bytes", "1024"));
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            lines.append("k").append(i % 5).append('\t').append("v").append(i).append('\n');
        }
        System.setIn(new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, run("produce", "--dir", dir, "--topic", "c", "--batch-bytes", "200"));
        // A pass of the cleaner, run here as the cleaner thread runs it, then the writer's swap.
        final Path partition = tmp.resolve("data").resolve("c").resolve("partition-0");
        final io.loglab.engine.log.LogConfig config =
            io.loglab.engine.topic.TopicMetadata.read(tmp.resolve("data").resolve("c")).config();
        try (io.loglab.engine.log.PartitionLog log = io.loglab.engine.log.PartitionLog.open(partition, config))
        {
            final io.loglab.engine.log.LogCompactor compactor = new io.loglab.engine.log.LogCompactor(1 << 16);
            assertTrue(log.swapCompacted(compactor.compact(log, compactor.cleanable(log, 0, 0), 0), 0) > 0);
        }
        assertEquals(0, run("consume", "--dir", dir, "--topic", "c"));
        final List<String> consumed = outLines();
        assertTrue(consumed.size() < 100, consumed.size() + " records left of 300");
        assertEquals(List.of("0 295 k0 v295", "0 296 k1 v296", "0 297 k2 v297", "0 298 k3 v298", "0 299 k4 v299"),
            consumed.subList(consumed.size() - 5, consumed.size()), "each key's latest, at its offset");
        assertEquals(0, run("verify", "--dir", dir));
    }

    @Test
    void shouldRejectBadArgumentsWithClearErrors()
    {
        final String dir = tmp.resolve("data").toString();
        assertEquals(2, run("topic", "create", "--dir", dir, "--topic", "a/b", "--partitions", "1"));
        assertTrue(cli.err().contains("illegal character '/'"), cli.err());

        assertEquals(2, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1", "--flush", "sometimes"));
        assertTrue(cli.err().contains("expected every, os or interval:MS"), cli.err());

        assertEquals(2, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1", "--cleanup-policy",
            "compacted"));
        assertTrue(cli.err().contains("--cleanup-policy: 'compacted' is not a cleanup policy"), cli.err());

        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "2"));
        assertEquals(2, run("topic", "alter", "--dir", dir, "--topic", "t", "--partitions", "1"));
        assertTrue(cli.err().contains("never shrink"), cli.err());
        assertEquals(0, run("topic", "alter", "--dir", dir, "--topic", "t", "--partitions", "4"));

        assertEquals(2, run("consume", "--dir", dir, "--topic", "missing"));
        assertTrue(cli.err().contains("no topic missing"), cli.err());

        assertEquals(2, run("consume", "--dir", dir, "--topic", "t", "--from", "5"));
        assertTrue(cli.err().contains("out of range"), cli.err());

        assertEquals(2, run("produce", "--dir", tmp.resolve("nowhere").toString(), "--topic", "t", "--count", "1"));
        assertTrue(cli.err().contains("no data directory"), cli.err());

        assertEquals(2, run("produce", "--dir", dir, "--topic", "t"  , "--count", "1", "--bogus"));
        assertEquals(0, run("produce", "--help"));
        assertTrue(cli.out().contains("Usage: loglab produce"), cli.out());
    }

    @Test
    void shouldRefuseAHugePartitionCountLeavingNoTraceAndListADamagedTopicBesideTheWorkingOnes() throws Exception
    {
        final Path data = tmp.resolve("data");
        final String dir = data.toString();
        assertEquals(2, run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "2147483647"));
        assertTrue(cli.err().contains("1 to 10000 partitions"), cli.err());
        assertFalse(Files.exists(data), "a bad argument leaves no trace");
        assertEquals(0, run("topic", "create", "--help"));
        assertTrue(cli.out().contains("1 to 10000"), cli.out());
        assertEquals(0, run("topic", "alter", "--help"));
        assertTrue(cli.out().contains("10000."), cli.out());

        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "good", "--partitions", "1"));
        assertEquals(0, run("topic", "create", "--dir", dir, "--topic", "bad", "--partitions", "1"));
        assertEquals(2, run("topic", "alter", "--dir", dir, "--topic", "good", "--partitions", "10001"));
        Files.writeString(data.resolve("bad").resolve("topic.properties"), "partitions=abc\n");

        assertEquals(1, run("topic", "describe", "--dir", dir));
        assertTrue(cli.out().contains("topic good partitions=1"), cli.out());
        assertTrue(cli.err().contains(
            "topic bad is damaged: " + data.resolve("bad").resolve("topic.properties") + ": partitions=abc"),
            cli.err());
        assertEquals(0, run("produce", "--dir", dir, "--topic", "good", "--count", "3"));
        assertEquals(1, run("consume", "--dir", dir, "--topic", "bad"));
        assertTrue(cli.err().contains("partitions=abc"), cli.err());
    }

    @Test
    void shouldRefuseABrokerPortThatIsNoneOrTakenNamingItAndLeaveTheDirectoryUsable() throws Exception
    {
        final Path data = tmp.resolve("served");
        assertEquals(2, run("broker", "--dir", data.toString(), "--port", "70000"));
        assertTrue(cli.err().contains("--port 70000 is not a port number"), cli.err());
        assertFalse(Files.exists(data), "a bad argument leaves no trace");

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            assertEquals(1, run("broker", "--dir", data.toString(), "--port", Integer.toString(taken.getLocalPort())));
            assertTrue(cli.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), cli.err());
        }
        assertEquals(0, run("topic", "create", "--dir", data.toString(), "--topic", "t", "--partitions", "1"),
            "the data directory was closed again: " + cli.err());
        assertEquals(0, run("broker", "--help"));
        assertTrue(cli.out().contains("Usage: loglab broker"), cli.out());
    }
}
