package io.loglab.latency.report;

import io.loglab.latency.result.Environment;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a report must say about where it ran: CPU, cores, memory, OS, JVM and its flags, git commit, date.
 */
public final class EnvironmentProbe
{
    /** System property naming the git checkout whose commit a report records; default: the working directory. */
    public static final String REPO_PROP = "loglab.repo";

    private EnvironmentProbe()
    {
    }

    public static Environment probe(final Map<String, String> settings)
    {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        return new Environment(
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            os.getTotalMemorySize(),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
            gitCommit(),
            ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            settings);
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            // Not Linux: fall through to the architecture.
        }
        return System.getProperty("os.arch");
    }

    private static String gitCommit()
    {
        final String commit = git("rev-parse", "HEAD");
        if (commit.isEmpty())
        {
            return "unknown (not a git checkout)";
        }
        return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? commit : commit + "-dirty";
    }

    private static String git(final String... args)
    {
        try
        {
            final String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // scripts/bench.sh names the repository, so the commit is found wherever the user runs it from.
            final String repo = System.getProperty(REPO_PROP);
            if (repo != null)
            {
                builder.directory(new File(repo));
            }
            final Process process = builder.start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
