package io.loglab.engine.log;

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
     * Queue {@code segment}, already out of the log's segment array, for deletion after the delay.
     */
    void schedule(final LogSegment segment, final long nowMs)
    {
        pending.add(new Pending(segment, nowMs + delayMs));
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
