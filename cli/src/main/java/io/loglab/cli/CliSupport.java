package io.loglab.cli;

import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the commands share: opening a data directory, and how an error is told to the user: one line, with the stack
 * trace after it only when the environment variable {@value #DEBUG_ENV} is set.
 */
final class CliSupport
{
    static final String DEBUG_ENV = "LOGLAB_DEBUG";

    private CliSupport()
    {
    }

    /**
     * Open a data directory, creating it if need be. The engine tells its error handler of failures no request hears
     * of, and of failed appends (a full disk, say): the cli prints each on stderr as {@code loglab: <message>}, in one
     * {@code println} from the writer thread so lines never mix, rather than the engine's default stack trace.
     */
    static LogManager open(final Path dir) throws IOException
    {
        return LogManager.open(new LogManagerContext().dataDir(dir)
            .errorHandler(ex -> System.err.println(report("loglab: ", ex, debug()))));
    }

    /**
     * Open a data directory without creating one, so a mistyped path is an error rather than a new empty log.
     */
    static LogManager openExisting(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no data directory at " + dir + " (create a topic there first)");
        }
        return open(dir);
    }

    /**
     * Whether errors carry their stack traces: {@value #DEBUG_ENV} is set.
     */
    static boolean debug()
    {
        return System.getenv(DEBUG_ENV) != null;
    }

    /**
     * An error as the user reads it: {@code prefix} and its message (or, lacking one, its type), then, if
     * {@code debug}, its stack trace on the lines after.
     */
    static String report(final String prefix, final Throwable ex, final boolean debug)
    {
        final String message = ex.getMessage();
        final String line = prefix + (message == null ? ex.toString() : message);
        if (!debug)
        {
            return line;
        }
        final StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        return line + System.lineSeparator() + trace.toString().stripTrailing();
    }
}
