package io.loglab.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM on the test's own classpath, for tests that kill a process with SIGKILL and open what it left.
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * Start {@code main} with {@code args}, a small heap, Agrona's export, its standard output to {@code stdout} and
     * its standard error discarded.
     */
    public static Process start(final Class<?> main, final Path stdout, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
            // Agrona 2.x reads jdk.internal.misc.Unsafe, as in surefire's argLine.
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    }
}
