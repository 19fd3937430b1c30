package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * Writes batches to the active segment with one gathering write and indexes them: the writer's hot path, allocation
 * free. As leader it gives each batch its offsets and the leader epoch, stamped in place (the CRC does not cover
 * them); as follower it checks that the batches' own offsets continue the log and their epochs never go back.
 * <p>
 * If the write fails, the segment is cut back to where it was and nothing is published; if even the cut fails, or
 * an index page cannot be backed (a full disk under a mapping), the log must take no more appends until a reopen
 * recovers it, which {@link #failedLog()} reports.
 * <p>
 * Threading: the log's writer thread only.
 */
final class SegmentAppender
{
    static final int MAX_BATCHES_PER_WRITE = 1024;

    private final ByteBuffer[] writeVector = new ByteBuffer[MAX_BATCHES_PER_WRITE];
    private final int[] writePositions = new int[MAX_BATCHES_PER_WRITE];
    private final int segmentBytes;
    /** Set when a failure left the segment unusable; read by the log after a throw. */
    private boolean failedLog;

    SegmentAppender(final int segmentBytes)
    {
        this.segmentBytes = segmentBytes;
    }

    /**
     * Whether a failure left the active segment in a state the log must not append after.
     */
    boolean failedLog()
    {
        return failedLog;
    }

    /**
     * Write as many of {@code batches[from, from + count)} as fit in {@code segment} (at least one), starting at
     * offset {@code nextOffset}, and index them; publishes the segment's new size, not the log end offset.
     *
     * @param leaderEpoch the epoch to stamp as leader, or -1 to append as follower (offsets and epochs kept).
     * @param minEpoch    as follower, the smallest epoch a batch may carry (the log's latest).
     * @return how many batches were written; as follower, the batches before the first that does not continue the
     *         log.
     * @throws InvalidRecordBatchException as follower, when the first batch does not continue the log.
     * @throws IOException                 if the write fails; the segment is cut back and nothing is published.
     */
    int append(
        final LogSegment segment,
        final ByteBuffer[] batches,
        final int from,
        final int count,
        final long nextOffset,
        final int leaderEpoch,
        final int minEpoch) throws IOException
    {
        final boolean leader = leaderEpoch >= 0;
        final int startSize = segment.sizePlain();
        final long maxOffsetInSegment = segment.baseOffset() + Integer.MAX_VALUE;
        long offset = nextOffset;
        int epoch = minEpoch;
        long bytes = 0;
        int n = 0;
        while (n < count && n < MAX_BATCHES_PER_WRITE)
        {
            final ByteBuffer batch = batches[from + n];
            final int start = batch.position();
            final int length = batch.remaining();
            final long lastOffset = offset + getInt(batch, start + LAST_OFFSET_DELTA_OFFSET);
            if (n > 0 && (startSize + bytes + length > segmentBytes || lastOffset > maxOffsetInSegment))
            {
                break;
            }
            if (leader)
            {
                putLong(batch, start + BASE_OFFSET_OFFSET, offset);
                putInt(batch, start + PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
            }
            else
            {
                final String problem = followerProblem(batch, start, offset, epoch);
                if (problem != null)
                {
                    if (n == 0)
                    {
                        throw new InvalidRecordBatchException(problem);
                    }
                    break;
                }
                epoch = getInt(batch, start + PARTITION_LEADER_EPOCH_OFFSET);
            }
            writeVector[n] = batch;
            writePositions[n] = start;
            offset = lastOffset + 1;
            bytes += length;
            n++;
        }

        try
        {
            segment.file().append(writeVector, n, bytes);
        }
        catch (final IOException | RuntimeException ex)
        {
            restorePositions(n);
            cutBack(segment, startSize);
            throw ex;
        }
        int position = startSize;
        try
        {
            for (int i = 0; i < n; i++)
            {
                final ByteBuffer batch = writeVector[i];
                final int start = writePositions[i];
                final int length = batch.position() - start;
                segment.onBatchWritten(
                    getLong(batch, start + BASE_OFFSET_OFFSET) + getInt(batch, start + LAST_OFFSET_DELTA_OFFSET),
                    getLong(batch, start + MAX_TIMESTAMP_OFFSET), position, length);
                position += length;
            }
        }
        catch (final Throwable indexFailure)
        {
            // A page of a mapped index could not be backed (InternalError from a SIGBUS on a full disk): the
            // segment's writer-side state is now ahead of its file. Cut the file back and publish nothing.
            restorePositions(n);
            cutBack(segment, startSize);
            failedLog = true;
            throw new IOException("indexing " + segment.logFile() + " failed; the log takes no more appends " +
                "until reopened", indexFailure);
        }
        restorePositions(n);
        segment.file().publishSize(position);
        return n;
    }

    /**
     * Why a replicated batch cannot be appended where the log stands, or null: its offsets must continue the log and
     * its leader epoch must not be older than the last one.
     */
    private static String followerProblem(
        final ByteBuffer batch, final int start, final long expectedOffset, final int minEpoch)
    {
        final long baseOffset = getLong(batch, start + BASE_OFFSET_OFFSET);
        if (baseOffset != expectedOffset)
        {
            return "replicated batch has base offset " + baseOffset + " where the log continues at " + expectedOffset;
        }
        final int epoch = getInt(batch, start + PARTITION_LEADER_EPOCH_OFFSET);
        if (epoch < minEpoch)
        {
            return "replicated batch at offset " + baseOffset + " has leader epoch " + epoch +
                ", older than the log's " + minEpoch;
        }
        return null;
    }

    private void restorePositions(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            writeVector[i].position(writePositions[i]);
            writeVector[i] = null;
        }
    }

    private void cutBack(final LogSegment segment, final int startSize)
    {
        try
        {
            segment.file().truncateTo(startSize);
        }
        catch (final IOException | RuntimeException truncateFailure)
        {
            // The file may now hold a torn batch past the published size: readers never see it, and the next open
            // cuts it. Refuse further appends rather than write after it.
            failedLog = true;
        }
    }
}
