package io.loglab.jmh.read;

import io.loglab.jmh.support.PrefilledLog;

import java.io.IOException;

/**
 * The log the read benchmarks and their raw baselines share: 64 KiB batches of 1 KiB records in one segment, so the
 * raw baselines read exactly the bytes the log serves.
 */
final class ReadLogs
{
    static final int BATCH_BYTES = 64 * 1024;
    static final int RECORD_SIZE = 1024;
    static final int SEGMENT_BYTES = Integer.MAX_VALUE;

    private ReadLogs()
    {
    }

    static PrefilledLog create(final String prefix, final long logBytes) throws IOException
    {
        if (logBytes > SEGMENT_BYTES - BATCH_BYTES)
        {
            throw new IllegalArgumentException("logBytes=" + logBytes + ": must fit in one segment");
        }
        return PrefilledLog.create(prefix, logBytes, BATCH_BYTES, RECORD_SIZE, SEGMENT_BYTES);
    }
}
