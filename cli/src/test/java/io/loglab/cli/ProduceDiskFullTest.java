package io.loglab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code produce} on a disk that fills up: a real full disk, a 1 MiB tmpfs mounted for the test (root only, as in
 * CI; skipped where mount is refused, as in the engine's DiskFullTest). Whatever failed, the final lines are what is
 * stored.
 */
class ProduceDiskFullTest
{
    private static final Pattern FAILED_LINE = Pattern.compile("line (\\d+): not stored, nor anything after it: " +
        "append to t-\\d failed: .*No space left on device.*");

    @TempDir
    Path tmp;

    private Path mountPoint;
    private Path ballast;
    private String dir;
    private CliCapture cli;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        mountPoint = tmp.resolve("small");
        Files.createDirectories(mountPoint);
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
            mountPoint.toString()).redirectErrorStream(true).start();
        final boolean exited = mount.waitFor(30, TimeUnit.SECONDS);
        Assumptions.assumeTrue(exited && mount.exitValue() == 0, "cannot mount a tmpfs here (needs root)");
        // Room to delete once the disk has filled, so the data can be read back.
        ballast = mountPoint.resolve("ballast");
        Files.write(ballast, new byte[200 * 1024]);
        dir = mountPoint.resolve("data").toString();
        cli = new CliCapture();
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "3",
            "--segment-bytes", "65536"));
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (cli != null)
        {
            cli.restore();
        }
        new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * {@code produce} of generated records in a JVM of its own, with {@value CliSupport#DEBUG_ENV} set or not (this
     * JVM's environment cannot be changed), until the disk is full.
     *
     * @return what it printed on stderr.
     */
    private String produceInItsOwnJvm(final boolean debug) throws Exception
    {
        final Path stderr = tmp.resolve("stderr-" + debug);
        final ProcessBuilder builder = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            LoglabCli.class.getName(),
            "produce", "--dir", dir, "--topic", "t", "--count", "100000", "--keys", "7", "--batch-bytes", "8192")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile());
        builder.environment().remove(CliSupport.DEBUG_ENV);
        if (debug)
        {
            builder.environment().put(CliSupport.DEBUG_ENV, "1");
        }
        final Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("produce did not finish: " + Files.readString(stderr));
        }
        final String printed = Files.readString(stderr);
        assertEquals(1, process.exitValue(), printed);
        return printed;
    }

    private List<String> consume(final int partition)
    {
        assertEquals(0, cli.run("consume", "--dir", dir, "--topic", "t", "--partition", Integer.toString(partition)),
            cli.err());
        return cli.out().isEmpty() ? List.of() : cli.outLines();
    }

    @Test
    void shouldStoreEveryLineBeforeTheFailedAppendAndNameItWhenDiskFills() throws Exception
    {
        final StringBuilder input = new StringBuilder();
        for (int line = 1; line <= 30_000; line++)
        {
            input.append("key-").append(line % 5).append('\t').append("line-").append(line).append("-")
                .append("padding".repeat(8)).append('\n');
        }
        System.setIn(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, cli.run("produce", "--dir", dir, "--topic", "t"));

        final String error = cli.err().lines().filter(line -> line.startsWith("error: ")).findFirst().orElseThrow();
        final Matcher matcher = FAILED_LINE.matcher(error.substring("error: ".length()));
        assertTrue(matcher.matches(), error);
        final long failedLine = Long.parseLong(matcher.group(1));
        final Map<Integer, Long> lastAcks = cli.lastAcks();
        assertEquals(3, lastAcks.size(), cli.out());

        Files.delete(ballast);
        final TreeSet<Long> storedLines = new TreeSet<>();
        for (int p = 0; p < 3; p++)
        {
            final List<String> records = consume(p);
            assertEquals(lastAcks.get(p) + 1, records.size(), "partition " + p + "'s final line is what it holds");
            for (final String record : records)
            {
                storedLines.add(Long.parseLong(record.split(" ")[3].split("-")[1]));
            }
        }
        assertEquals(failedLine - 1, storedLines.size(), "every line before line " + failedLine + " is stored");
        assertEquals(failedLine - 1, storedLines.last(), "and none after it");
    }

    @Test
    void shouldPrintWhatEachPartitionHoldsWhenGeneratedRecordsFillTheDisk()
    {
        assertEquals(1, cli.run("produce", "--dir", dir, "--topic", "t", "--count", "100000", "--keys", "7",
            "--batch-bytes", "8192"));
        assertTrue(cli.err().contains("No space left on device"), cli.err());
        final Map<Integer, Long> lastAcks = cli.lastAcks();
        assertEquals(3, lastAcks.size(), cli.out());

        final List<Integer> held = new ArrayList<>();
        assertDoesNotThrow(() -> Files.delete(ballast));
        for (int p = 0; p < 3; p++)
        {
            held.add(consume(p).size());
            assertEquals(lastAcks.get(p) + 1, (long)held.get(p), "partition " + p + "'s final line is what it holds");
        }
        assertTrue(held.stream().mapToInt(Integer::intValue).sum() < 100_000, "the disk did fill: " + held);
    }

    @Test
    void shouldTellOfAFailedAppendInOneLineAndGiveItsStackTraceOnlyWhenLoglabDebugIsSet() throws Exception
    {
        final String failedAppend = "loglab: No space left on device";
        final String quiet = produceInItsOwnJvm(false);
        assertTrue(quiet.lines().anyMatch(failedAppend::equals), quiet);
        assertFalse(quiet.contains("\tat "), "no stack frames: " + quiet);

        Files.delete(ballast);
        final String debug = produceInItsOwnJvm(true);
        final String newline = System.lineSeparator();
        assertTrue(debug.contains(failedAppend + newline + "java.io.IOException: No space left on device" + newline +
            "\tat "), "the failed append's stack trace follows its line: " + debug);
    }
}
