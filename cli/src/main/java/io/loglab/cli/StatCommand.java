package io.loglab.cli;

import io.loglab.engine.stat.CountersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code loglab stat --dir D}: the counters of the process that owns a data directory (a broker, a benchmark, a
 * produce), printed every interval as AeronStat prints Aeron's: id, value, change per second and label. Reads the
 * counters file without a lock and changes nothing.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = {
        "Print the counters of the process that owns a data directory, live: bytes in and out, requests and their",
        "p50/p99/max time per API over the last second, responses waiting, each open partition's log end offset,",
        "each consumer group's lag per partition it committed for (high watermark minus committed offset).",
        "Reads D/" + CountersFile.FILE_NAME + " and changes nothing; a process that has stopped leaves its last values."
    })
final class StatCommand implements Callable<Integer>
{
    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--interval-ms", description = "Time between prints (default: ${DEFAULT-VALUE}).")
    long intervalMs = 1000;

    @Option(names = "--count", description = "Prints before exiting; 0 prints until interrupted " +
        "(default: ${DEFAULT-VALUE}).")
    long count;

    @Override
    public Integer call() throws Exception
    {
        if (intervalMs <= 0)
        {
            throw new IllegalArgumentException("--interval-ms " + intervalMs + " must be positive");
        }
        if (count < 0)
        {
            throw new IllegalArgumentException("--count " + count + " must not be negative");
        }
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no data directory at " + dir);
        }
        final PrintStream out = System.out;
        final Map<Integer, Long> previous = new HashMap<>();
        long previousNs = 0;
        for (long printed = 0; count == 0 || printed < count; printed++)
        {
            if (printed > 0)
            {
                LockSupport.parkNanos(intervalMs * 1_000_000L);
            }
            final long nowNs = System.nanoTime();
            final double seconds = previousNs == 0 ? 0 : (nowNs - previousNs) / 1e9;
            previousNs = nowNs;
            final StringBuilder text = new StringBuilder();
            try
            {
                CountersFile.read(dir, snapshot ->
                {
                    text.append(String.format("%s - pid %d %s, started %s%n", Instant.now(), snapshot.pid(),
                        snapshot.running() ? "running" : "stopped", Instant.ofEpochMilli(snapshot.startTimeMs())));
                    text.append(String.format("%4s %20s %12s  %s%n", "id", "value", "per second", "label"));
                    snapshot.counters().forEach((id, typeId, key, label) ->
                    {
                        final long value = snapshot.counters().getCounterValue(id);
                        final Long before = previous.put(id, value);
                        final String rate = before == null || seconds == 0 ? "" :
                            String.format("%,.0f", (value - before) / seconds);
                        text.append(String.format("%4d %,20d %12s  %s%n", id, value, rate, label));
                    });
                    return null;
                });
            }
            catch (final NoSuchFileException ex)
            {
                throw new IllegalArgumentException("no counters in " + dir + ": no broker, benchmark or produce " +
                    "has opened it since counters came (" + CountersFile.FILE_NAME + " is missing)");
            }
            out.print(text);
            out.flush();
        }
        return 0;
    }
}
