package io.loglab.engine.log;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * File work the partitions' writer threads hand off because it takes long and nothing waits on it: deleting the
 * files of segments retention removed (unlinking a file of hundreds of MiB frees its page-cache pages in the thread
 * that does it) and, under {@link FlushPolicy#OS}, flushing segments once they are rolled. One daemon thread serves
 * every log in the JVM and runs tasks in the order given, so a log's rolled segments are flushed in order. Work it
 * has not reached when the JVM exits is redone by the next open: a {@code .deleted} file is removed, and recovery
 * scans from the last recovery point.
 */
public final class BackgroundIo
{
    private static final System.Logger LOGGER = System.getLogger(BackgroundIo.class.getName());

    private static final class Holder
    {
        private static final ExecutorService SHARED = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "loglab-background-io");
            thread.setDaemon(true);
            return thread;
        });
    }

    private BackgroundIo()
    {
    }

    /**
     * The JVM-wide background thread, started on first use.
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
