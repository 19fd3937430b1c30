package io.loglab.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the command line in this JVM with standard output and error captured, and standard input replaceable;
 * {@link #restore} puts the real ones back.
 */
final class CliCapture
{
    static final Pattern ACK = Pattern.compile("partition=(\\d+) last-acked-offset=(-?\\d+) durable=(true|false)");
    /** What produce --bootstrap prints with acks all or 1. */
    static final Pattern BROKER_ACK = Pattern.compile("partition=(\\d+) last-acked-offset=(-?\\d+) acks=(all|1)");
    /** What produce --bootstrap prints with acks 0: records sent, no offset. */
    static final Pattern BROKER_SENT = Pattern.compile("partition=(\\d+) sent=(\\d+) acks=0");

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final InputStream originalIn = System.in;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CliCapture()
    {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /**
     * The real standard output, for what a test reports past the capture.
     */
    PrintStream console()
    {
        return originalOut;
    }

    void restore()
    {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.setIn(originalIn);
    }

    /**
     * Run a command line with fresh output buffers.
     *
     * @return its exit status.
     */
    int run(final String... args)
    {
        out.reset();
        err.reset();
        return LoglabCli.run(args);
    }

    byte[] outBytes()
    {
        return out.toByteArray();
    }

    String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<String> outLines()
    {
        return Arrays.asList(out().split("\n"));
    }

    /**
     * The last acknowledged offset printed for each partition: what its final line says.
     */
    Map<Integer, Long> lastAcks()
    {
        return lastAcks(ACK);
    }

    /**
     * What each partition's final line says, for lines of {@code pattern} (partition, then a number): the last
     * acknowledged offset, or with {@link #BROKER_SENT} the records sent.
     */
    Map<Integer, Long> lastAcks(final Pattern pattern)
    {
        final Map<Integer, Long> acks = new TreeMap<>();
        for (final String line : outLines())
        {
            final Matcher matcher = pattern.matcher(line);
            if (matcher.matches())
            {
                acks.put(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
            }
        }
        return acks;
    }
}
