package io.loglab.engine.log;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Segments a log removed (retention, truncation), waiting {@code file.delete.delay.ms} before their files are
 * deleted so that readers still holding them finish; the deletion itself runs on {@link FileDeleter}'s thread, since
 * unlinking a large file frees its page-cache pages in the thread that does it.
 * <p>
 * Threading: the log's writer thread only.
 */
final class DeferredDeletions
{
    private record Pending(LogSegment segment, long deleteAtMs)
    {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Executor fileDeleter;
    private final long delayMs;

    DeferredDeletions(final Executor fileDeleter, final long delayMs)
    {
        this.fileDeleter = fileDeleter;
        this.delayMs = delayMs;
    }

    /**
     * Writer thread, as {@code current[from, to)} leave the log's segment array: rename their files {@code .deleted}
     * now and delete them after the delay. Every one is queued even if a rename fails, so its files are released.
     */
    void remove(final LogSegment[] current, final int from, final int to, final long nowMs) throws IOException
    {
        IOException renameFailure = null;
        for (int i = from; i < to; i++)
        {
            pending.add(new Pending(current[i], nowMs + delayMs));
            try
            {
                current[i].markDeleted();
            }
            catch (final IOException ex)
            {
                renameFailure = ex;
            }
        }
        if (renameFailure != null)
        {
            throw renameFailure;
        }
    }

    /**
     * Hand the segments whose delay has passed to the deleter.
     */
    void deleteDue(final long nowMs)
    {
        while (!pending.isEmpty() && pending.peekFirst().deleteAtMs() <= nowMs)
        {
            final LogSegment segment = pending.pollFirst().segment();
            fileDeleter.execute(() -> FileDeleter.deleteQuietly(segment));
        }
    }

    /**
     * On close: delete every pending segment now, on this thread.
     */
    void deleteAllNow()
    {
        while (!pending.isEmpty())
        {
            FileDeleter.deleteQuietly(pending.pollFirst().segment());
        }
    }
}
