package io.loglab.engine.log;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Deletes the files of segments that retention removed, away from the partitions' writer threads: unlinking a file
 * of hundreds of MiB frees its page-cache pages in the thread that unlinks it. One daemon thread serves every log
 * in the JVM; a deletion it has not reached when the JVM exits leaves a {@code .deleted} file that the next open
 * removes.
 */
public final class FileDeleter
{
    private static final System.Logger LOGGER = System.getLogger(FileDeleter.class.getName());

    private static final class Holder
    {
        private static final ExecutorService SHARED = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "loglab-file-deleter");
            thread.setDaemon(true);
            return thread;
        });
    }

    private FileDeleter()
    {
    }

    /**
     * The JVM-wide deleter thread, started on first use.
     */
    public static Executor shared()
    {
        return Holder.SHARED;
    }

    static void deleteQuietly(final LogSegment segment)
    {
        try
        {
            segment.deleteFiles();
        }
        catch (final IOException | RuntimeException ex)
        {
            // The .deleted file stays; the next open removes it.
            LOGGER.log(System.Logger.Level.WARNING, "could not delete " + segment.logFile(), ex);
        }
    }
}
