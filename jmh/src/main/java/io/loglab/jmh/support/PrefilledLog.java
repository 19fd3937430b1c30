package io.loglab.jmh.support;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A log filled before measurement, for read and lookup benchmarks: full batches of {@code batchBytes} holding
 * {@code recordSize}-byte values, up to {@code logBytes}. Record {@code i} of the log has timestamp
 * {@link #firstTimestamp()} {@code + i}, so timestamps are distinct and rise with offsets, and every batch is built
 * (and checksummed) afresh. Left open in page cache: reads measure the engine, not the device.
 */
public final class PrefilledLog implements AutoCloseable
{
    private final Path dir;
    private final PartitionLog log;
    private final long firstTimestamp;
    private final int maxBatchLength;

    private PrefilledLog(final Path dir, final PartitionLog log, final long firstTimestamp, final int maxBatchLength)
    {
        this.dir = dir;
        this.log = log;
        this.firstTimestamp = firstTimestamp;
        this.maxBatchLength = maxBatchLength;
    }

    /**
     * @param segmentBytes where segments roll; a log smaller than this is one segment file.
     */
    public static PrefilledLog create(
        final String prefix, final long logBytes, final int batchBytes, final int recordSize, final int segmentBytes)
        throws IOException
    {
        final Path dir = BenchDirectory.create(prefix);
        final PartitionLog log = PartitionLog.open(dir, new LogConfig()
            .segmentBytes(segmentBytes)
            .retentionMs(-1)
            .conclude());
        final long firstTimestamp = System.currentTimeMillis();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(batchBytes);
        final UnsafeBuffer target = new UnsafeBuffer(buffer);
        final UnsafeBuffer value = Batches.value(recordSize);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        final ByteBuffer[] batches = {buffer};
        int maxBatchLength = 0;
        long timestamp = firstTimestamp;
        try
        {
            while (log.sizeInBytes() < logBytes)
            {
                final int length = Batches.fill(builder, target, batchBytes, value, timestamp, 1);
                buffer.limit(length).position(0);
                // The batch's own time, so the log never rolls by age while filling.
                log.append(batches, 0, 1, timestamp);
                timestamp += builder.recordCount();
                maxBatchLength = Math.max(maxBatchLength, length);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            log.close();
            BenchDirectory.delete(dir);
            throw ex;
        }
        return new PrefilledLog(dir, log, firstTimestamp, maxBatchLength);
    }

    public PartitionLog log()
    {
        return log;
    }

    /**
     * The first segment's file: the bytes raw-file baselines read.
     */
    public Path firstSegmentFile()
    {
        return dir.resolve(String.format("%020d.log", log.logStartOffset()));
    }

    public long firstTimestamp()
    {
        return firstTimestamp;
    }

    /**
     * Timestamp of the last record.
     */
    public long lastTimestamp()
    {
        return firstTimestamp + log.logEndOffset() - 1;
    }

    /**
     * Length of the largest batch written: a {@code maxBytes} that returns exactly one batch.
     */
    public int maxBatchLength()
    {
        return maxBatchLength;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            log.close();
        }
        finally
        {
            BenchDirectory.delete(dir);
        }
    }
}
