package io.loglab.jmh.support;

import io.loglab.engine.log.LogConfig;

/**
 * Log settings for append benchmarks that may run for minutes at disk speed: segments roll at 256 MiB and retention
 * keeps 1 GiB, deleting at once (no {@code file.delete.delay.ms}: nothing reads these logs), so the disk holds at most
 * about 1.25 GiB per log however long the run. Time-based retention is off, so only size decides.
 */
public final class BenchLogs
{
    public static final int SEGMENT_BYTES = 256 * 1024 * 1024;
    public static final long RETENTION_BYTES = 1024L * 1024 * 1024;

    private BenchLogs()
    {
    }

    /**
     * @param flush {@code every}, {@code os} or {@code interval:MS}, as the CLI spells it.
     */
    public static LogConfig appendConfig(final String flush)
    {
        return new LogConfig()
            .segmentBytes(SEGMENT_BYTES)
            .retentionBytes(RETENTION_BYTES)
            .retentionMs(-1)
            .fileDeleteDelayMs(0)
            .flush(flush)
            .conclude();
    }
}
