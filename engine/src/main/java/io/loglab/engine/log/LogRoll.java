package io.loglab.engine.log;

import java.io.IOException;

/**
 * When a log starts a new segment, and how: the active segment is full (the next batch would pass
 * {@code segment.bytes}), older than {@code segment.ms}, out of index room, or its offsets would no longer fit a
 * relative offset. Under {@link FlushPolicy#EVERY} and {@link FlushPolicy#interval} the old segment is flushed and the
 * recovery point moves past it; under {@link FlushPolicy#OS} nothing is forced, and recovery after a crash scans from
 * the last recovery point. The idempotent producers' state is snapshotted at the new segment's base offset.
 * <p>
 * Threading: the log's writer thread only.
 */
final class LogRoll
{
    private LogRoll()
    {
    }

    /**
     * Roll first if a batch of {@code nextBatchLength} bytes should not go into the active segment.
     */
    static void maybeRoll(final PartitionLog log, final int nextBatchLength, final long nowMs) throws IOException
    {
        final LogSegment segment = log.segments().active();
        if (segment.isEmpty())
        {
            return;
        }
        final LogConfig config = log.config();
        final boolean full = (long)segment.sizePlain() + nextBatchLength > config.segmentBytes();
        final boolean old = nowMs - segment.rollingBaseMs(nowMs) > config.segmentMs();
        if (full || old || segment.indexesFull() ||
            log.logEndOffsetPlain() - segment.baseOffset() >= Integer.MAX_VALUE)
        {
            roll(log);
        }
    }

    /**
     * Close the active segment to appends and start a new one at the log end offset; nothing while the active
     * segment is empty.
     */
    static void roll(final PartitionLog log) throws IOException
    {
        final LogSegment old = log.segments().active();
        if (old.isEmpty())
        {
            // Already starts at the log end offset; a new segment there would reuse this one's files.
            return;
        }
        final long baseOffset = log.logEndOffsetPlain();
        // Create the next segment first: if that fails, nothing has changed and the old one still takes appends.
        final LogSegment next = LogLoader.createSegment(log.dir(), baseOffset, log.config());
        try
        {
            old.onBecomeInactive();
            if (!log.config().flushPolicy().leftToOs())
            {
                old.flush();
                FileSync.syncDirectory(log.dir());
                log.offsets().onDurable(baseOffset);
                log.offsets().moveRecoveryPoint(baseOffset);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // The old segment's indexes may be trimmed and its data not on storage: take no more appends until a
            // reopen recovers from the recovery point, and leave no half-made next segment behind.
            log.failed();
            next.deleteFiles();
            throw ex;
        }
        log.segments().add(next);
        ProducerStateSnapshots.writeIfBuilt(log.dir(), baseOffset, log.checkedProducerState());
    }
}
