package io.loglab.cli;

import io.loglab.engine.TestFiles;
import io.loglab.engine.log.DirectoryChecksums;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Commands that only read ({@code consume}, {@code topic describe}, {@code dump}, {@code verify}) change no byte of a
 * data directory, healthy or damaged, take no lock, and need no write permission; {@code repair} fixes what a
 * writer refuses.
 */
class ReadOnlyCommandsTest
{
    @TempDir
    Path tmp;

    private CliCapture cli;
    private Path data;

    @BeforeEach
    void setUp()
    {
        cli = new CliCapture();
        data = tmp.resolve("data");
    }

    @AfterEach
    void tearDown()
    {
        cli.restore();
    }

    private void createAndFill() throws IOException
    {
        assertEquals(0, cli.run("topic", "create", "--dir", data.toString(), "--topic", "t", "--partitions", "2",
            "--segment-bytes", "8192"));
        assertEquals(0, cli.run("produce", "--dir", data.toString(), "--topic", "t", "--count", "3000",
            "--batch-bytes", "2048", "--keys", "7"));
        assertTrue(segments(0).size() >= 3, "several segments");
    }

    private List<Path> segments(final int partition) throws IOException
    {
        try (Stream<Path> files = Files.list(data.resolve("t").resolve("partition-" + partition)))
        {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    /** Run every read-only command against {@code dir} and return their exit codes. */
    private int[] runReadOnlyCommands(final Path dir) throws IOException
    {
        final String d = dir.toString();
        final Path firstSegment;
        try (Stream<Path> files = Files.list(dir.resolve("t").resolve("partition-0")))
        {
            firstSegment = files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
        return new int[]{
            cli.run("consume", "--dir", d, "--topic", "t"),
            cli.run("consume", "--dir", d, "--topic", "t", "--partition", "1", "--from", "10", "--format", "base64"),
            cli.run("topic", "describe", "--dir", d),
            cli.run("dump", "--segment", firstSegment.toString()),
            cli.run("verify", "--dir", d),
        };
    }

    @Test
    void shouldChangeNoByteOfAHealthyOrDamagedDirectory() throws IOException
    {
        createAndFill();
        final Map<String, String> healthy = DirectoryChecksums.of(data);
        assertArrayEquals(new int[]{ 0, 0, 0, 0, 0 }, runReadOnlyCommands(data));
        assertEquals(healthy, DirectoryChecksums.of(data));

        final List<Path> segments = segments(0);
        Files.write(segments.get(1), new byte[]{ 1, 2, 3, 4 }, StandardOpenOption.APPEND);
        Files.write(data.resolve("t").resolve("partition-0").resolve("00000000000000000003.log"), new byte[14]);
        Files.writeString(data.resolve("t").resolve("partition-1").resolve("my.tmp"), "mine");
        TestFiles.flipByte(segments(1).get(1), 300);
        Files.createDirectories(data.resolve("notes"));
        final Map<String, String> damaged = DirectoryChecksums.of(data);
        final int[] codes = runReadOnlyCommands(data);
        assertEquals(damaged, DirectoryChecksums.of(data), "read-only commands changed a damaged directory");
        assertEquals(1, codes[4], "verify reports the damage: " + cli.out());
        assertTrue(cli.out().contains("not created by loglab, left alone: " + data.resolve("notes")), cli.out());
        assertTrue(cli.out().contains("my.tmp"), cli.out());
        assertTrue(cli.out().contains("quarantined"), cli.out());
    }

    @Test
    void shouldRunBesideAWriterThatHoldsTheDirectory() throws IOException
    {
        createAndFill();
        try (LogManager writer = LogManager.open(new LogManagerContext().dataDir(data)))
        {
            writer.topic("t").partition(0).logEndOffset();
            assertEquals(0, cli.run("consume", "--dir", data.toString(), "--topic", "t", "--max", "5"));
            assertEquals(5, cli.out().lines().count());
            assertEquals(0, cli.run("topic", "describe", "--dir", data.toString()));
            final int verified = cli.run("verify", "--dir", data.toString());
            assertEquals(0, verified, cli.out());
            assertEquals(1, cli.run("produce", "--dir", data.toString(), "--topic", "t", "--count", "1"),
                "a second writer is refused");
            assertTrue(cli.err().contains("in use"), cli.err());
        }
    }

    @Test
    void shouldReadADirectoryOnAReadOnlyMount() throws Exception
    {
        createAndFill();
        final Path mount = Files.createDirectories(tmp.resolve("mount"));
        assumeTrue(TestFiles.run("mount", "--bind", data.toString(), mount.toString()), "needs root to bind-mount");
        try
        {
            assertTrue(TestFiles.run("mount", "-o", "remount,ro,bind", mount.toString()));
            assertArrayEquals(new int[]{ 0, 0, 0, 0, 0 }, runReadOnlyCommands(mount), cli.err());
        }
        finally
        {
            TestFiles.run("umount", mount.toString());
        }
    }

    @Test
    void shouldRefuseADamagedPartitionAloneUntilRepairMovesTheDamageToQuarantine() throws IOException
    {
        createAndFill();
        final List<Path> segments = segments(0);
        TestFiles.flipByte(segments.get(1), 300);
        // As after a crash with nothing flushed: every segment is scanned on open.
        Files.delete(data.resolve("t").resolve("partition-0").resolve(".clean-shutdown"));
        Files.writeString(data.resolve("t").resolve("partition-0").resolve("recovery-point"), "0\n");

        assertEquals(1, cli.run("produce", "--dir", data.toString(), "--topic", "t", "--count", "100"));
        final String refusal = cli.err();
        assertTrue(refusal.contains(segments.get(1).toString()), refusal);
        assertTrue(refusal.contains("loglab repair --dir " + data + " --topic t --partition 0"), refusal);

        final long before = consumed(1);
        assertEquals(0, cli.run("repair", "--dir", data.toString(), "--topic", "t", "--partition", "0"));
        assertTrue(cli.out().contains("quarantine"), cli.out());
        try (Stream<Path> quarantined = Files.list(data.resolve("t").resolve("partition-0").resolve("quarantine")))
        {
            assertTrue(quarantined.anyMatch(p -> p.getFileName().toString().endsWith(".report")));
        }
        assertEquals(0, cli.run("verify", "--dir", data.toString()), cli.out());
        assertEquals(0, cli.run("produce", "--dir", data.toString(), "--topic", "t", "--count", "100"));
        assertTrue(consumed(1) >= before, "the other partition lost nothing");
        assertEquals(0, cli.run("repair", "--dir", data.toString(), "--topic", "t", "--partition", "1"));
        assertTrue(cli.out().contains("t-1: nothing to repair"), cli.out());
        assertEquals(2, cli.run("repair", "--dir", data.toString(), "--topic", "t", "--partition", "9"));
    }

    private long consumed(final int partition)
    {
        assertEquals(0, cli.run("consume", "--dir", data.toString(), "--topic", "t", "--partition",
            Integer.toString(partition)));
        return cli.out().lines().count();
    }

    @Test
    void shouldVerifyTopicMetadata() throws IOException
    {
        createAndFill();
        assertEquals(0, cli.run("topic", "create", "--dir", data.toString(), "--topic", "u", "--partitions", "1"));
        Files.writeString(data.resolve("u").resolve("topic.properties"), "partitions=1\nsegment.bytes=lots\n");
        assertEquals(1, cli.run("verify", "--dir", data.toString()));
        assertTrue(cli.out().contains("DAMAGED u: " + data.resolve("u").resolve("topic.properties") +
            ": segment.bytes=lots"), cli.out());
        assertTrue(cli.out().contains("ok t-0"), "the other topic is still verified: " + cli.out());
    }

}
