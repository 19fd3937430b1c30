package io.loglab.latency.harness;

import io.loglab.latency.result.ThreadCensus;

/**
 * Counts the JVM's live threads and the engine's writers among them, by walking the thread groups rather than
 * through {@code ThreadMXBean.dumpAllThreads} or {@code Thread.getAllStackTraces}, which stop every thread at a
 * safepoint: a census taken in the middle of a measured period must not be a stall of its own.
 */
final class LiveThreads
{
    private static final int SLACK = 16;

    private LiveThreads()
    {
    }

    /**
     * @param writerThreadsSetting the run's setting, as spelt.
     * @param engineWriterThreads  the engine's concluded writer-thread setting.
     */
    static ThreadCensus census(final String writerThreadsSetting, final int engineWriterThreads)
    {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null)
        {
            root = root.getParent();
        }
        Thread[] threads;
        int count;
        do
        {
            // activeCount is an estimate: a full array may have missed threads, so look again with more room.
            threads = new Thread[root.activeCount() * 2 + SLACK];
            count = root.enumerate(threads, true);
        }
        while (count == threads.length);
        int writers = 0;
        for (int i = 0; i < count; i++)
        {
            if (threads[i].getName().startsWith(ThreadCensus.WRITER_THREAD_PREFIX))
            {
                writers++;
            }
        }
        return new ThreadCensus(writerThreadsSetting, engineWriterThreads, count, writers);
    }
}
