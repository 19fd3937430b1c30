package io.loglab.latency.result;

/**
 * The threads a run had, counted once at the middle of its measured period.
 *
 * @param writerThreadsSetting the run's {@code writer-threads} setting as spelt in its configuration.
 * @param engineWriterThreads  what the engine's {@code LogManagerContext} was told once concluded: 0 for one
 *                             thread per partition.
 * @param liveThreads          live Java threads in the JVM, harness threads included.
 * @param liveWriterThreads    of those, the engine's writers: threads named {@value #WRITER_THREAD_PREFIX}*.
 */
public record ThreadCensus(
    String writerThreadsSetting,
    int engineWriterThreads,
    int liveThreads,
    int liveWriterThreads)
{
    public static final String WRITER_THREAD_PREFIX = "loglab-writer";
}
