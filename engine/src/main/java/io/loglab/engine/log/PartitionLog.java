package io.loglab.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The log of one partition, as its writer sees it: append (as leader, or as follower with the leader's offsets),
 * roll, flush, retention, truncation, leader epoch and high watermark. Opening ({@link LogLoader}), the segment set
 * ({@link LogSegments}), the write path ({@link SegmentAppender}), rolling ({@link LogRoll}), retention's choice
 * ({@link LogRetention}) and whether it leads ({@link LeaderAppends}) each have their own class.
 * <p>
 * <b>Threading.</b> One writer thread (a partition's writer shard, or the thread that opened the log when there is
 * none) calls every method not on {@link ReadableLog}. Readers on any number of threads go through
 * {@link #newReader()} and the {@link ReadableLog} getters and see only what the writer published with release
 * stores: {@link #logEndOffset} after the batches below it are written and indexed; {@link #highWatermark} at most
 * that; {@link #logStartOffset} when retention or truncation removes segments; {@link #durableEndOffset} after an
 * fsync; the segment array on roll, retention and truncation. Readers never lock and never see a partial batch.
 */
public final class PartitionLog extends ReadableLog implements AutoCloseable
{
    /**
     * Who moves the high watermark.
     */
    public enum HighWatermarkPolicy
    {
        /** A log no one replicates: everything appended is committed, so the high watermark is the log end. */
        FOLLOWS_LOG_END,
        /** Replication sets it ({@link #highWatermark(long)}) as replicas acknowledge. */
        SET_BY_REPLICATION
    }

    /** Published offsets (release/acquire) and their checkpoints: see {@link LogOffsets}. */
    private final LogOffsets offsets;
    private final List<LogFinding> recoveryReport;
    private final DeferredDeletions deletions;
    private final SegmentAppender appender;
    /** Writer thread only. */
    private final LeaderAppends leaderAppends;

    // Writer thread only.
    /** No more appends: closed, or failed in a way only a reopen recovers. */
    private boolean closed;
    /** The segments' files are released. */
    private boolean released;

    /** Writer thread only. */
    private final ProducerStateTable producerState = new ProducerStateTable();

    private PartitionLog(
        final Path dir,
        final LogConfig config,
        final HighWatermarkPolicy highWatermarkPolicy,
        final Executor fileDeleter,
        final LogLoader.Loaded loaded)
    {
        super(dir, config, new LogSegments(loaded.segments()), loaded.epochCache());
        this.offsets = new LogOffsets(dir, highWatermarkPolicy, loaded);
        this.recoveryReport = List.copyOf(loaded.findings());
        this.deletions = new DeferredDeletions(fileDeleter, config.fileDeleteDelayMs());
        this.appender = new SegmentAppender(config.segmentBytes());
        this.leaderAppends = new LeaderAppends(dir, loaded.epochCache(),
            highWatermarkPolicy == HighWatermarkPolicy.SET_BY_REPLICATION);
    }

    /**
     * Writer thread: the idempotent producers' state, built the first time it is asked for (a log no idempotent
     * producer writes to never pays for it) and again after a truncation, from the latest snapshot and the batch
     * headers after it ({@link ProducerStateSnapshots}); snapshotted at every roll and at close once built.
     */
    public ProducerStateTable producerState() throws IOException
    {
        return producerState.builtFrom(dir(), segments().plain(), logEndOffsetPlain());
    }

    /**
     * Writer thread: the table {@link #producerState()} built, for the batches it has just checked.
     */
    public ProducerStateTable checkedProducerState()
    {
        return producerState;
    }

    /**
     * Open the log in {@code dir}, creating an empty one when the directory holds none, recovering what a crash left
     * and moving what cannot be kept into quarantine (see {@link LogAnalysis} for the rules); what was found and done
     * is in {@link #recoveryReport()}. Segments retention removes are deleted on the shared {@link FileDeleter}.
     *
     * @throws LogNeedsRepairException if only {@link #repair} may cut the damage found; nothing was changed.
     * @throws IOException             if the directory cannot be read or written.
     */
    public static PartitionLog open(final Path dir, final LogConfig config) throws IOException
    {
        return open(dir, config, FileDeleter.shared(), HighWatermarkPolicy.FOLLOWS_LOG_END);
    }

    /**
     * As {@link #open(Path, LogConfig)}, deleting removed segments' files on {@code fileDeleter}
     * ({@code Runnable::run} deletes them on the writer thread), with the given high watermark policy.
     */
    public static PartitionLog open(
        final Path dir, final LogConfig config, final Executor fileDeleter, final HighWatermarkPolicy policy)
        throws IOException
    {
        return open(dir, config, fileDeleter, policy, false);
    }

    /**
     * {@code loglab repair}: open as a writer would, but where a writer would refuse, truncate the log at the first
     * damage, moving the rest of that segment and every later one into quarantine; then close cleanly.
     *
     * @return what was found and done.
     */
    public static List<LogFinding> repair(final Path dir, final LogConfig config) throws IOException
    {
        try (PartitionLog log = open(dir, config, Runnable::run, HighWatermarkPolicy.FOLLOWS_LOG_END, true))
        {
            return log.recoveryReport();
        }
    }

    private static PartitionLog open(
        final Path dir,
        final LogConfig config,
        final Executor fileDeleter,
        final HighWatermarkPolicy policy,
        final boolean repair) throws IOException
    {
        final LogConfig concluded = config.concludedIfNeeded();
        Files.createDirectories(dir);
        final LogLoader.Loaded loaded = LogLoader.load(dir, concluded, repair);
        final PartitionLog log = new PartitionLog(dir, concluded, policy, fileDeleter, loaded);
        try
        {
            log.offsets.checkpointAfterOpen(loaded);
        }
        catch (final IOException | RuntimeException ex)
        {
            log.closeFiles();
            throw ex;
        }
        return log;
    }

    /**
     * Writer thread: append batches {@code [from, from + count)} as leader, each a ByteBuffer holding exactly one
     * validated batch between its position and limit. Stamps each batch's base offset and the leader epoch in place,
     * writes as many as fit in the active segment with one gathering write (rolling first if needed), and publishes
     * the new log end offset. With {@link FlushPolicy#EVERY} it fsyncs before returning.
     *
     * @return how many batches were appended, at least one; call again for the rest.
     * @throws IOException if the write fails; the segment is cut back to where it was and nothing is published.
     */
    public int append(final ByteBuffer[] batches, final int from, final int count, final long nowMs)
        throws IOException
    {
        return write(batches, from, count, nowMs, true);
    }

    /**
     * Writer thread: append batches a leader already gave offsets and epochs (the follower path): each must start at
     * the log end offset and carry an epoch no older than the log's latest; nothing is re-stamped.
     *
     * @return how many batches were appended: the ones before the first that does not continue the log.
     * @throws io.loglab.engine.record.InvalidRecordBatchException if the first batch does not continue the log.
     */
    public int appendAsFollower(final ByteBuffer[] batches, final int from, final int count, final long nowMs)
        throws IOException
    {
        return write(batches, from, count, nowMs, false);
    }

    private int write(
        final ByteBuffer[] batches, final int from, final int count, final long nowMs, final boolean leader)
        throws IOException
    {
        ensureWritable();
        LogRoll.maybeRoll(this, batches[from].remaining(), nowMs);
        final LogSegment segment = segments().active();
        final long startOffset = logEndOffsetPlain();
        final int minEpoch = Math.max(epochCache().latestEpoch(), 0);
        final int appended;
        try
        {
            appended = appender.append(segment, batches, from, count, startOffset,
                leader ? leaderAppends.leaderEpoch() : -1, minEpoch);
        }
        finally
        {
            closed |= appender.failedLog();
        }
        epochCache().assignNewer(batches, from, appended);
        segment.rollingBaseMs(nowMs);
        offsets.onAppended(segment.nextOffset());
        if (config().flushPolicy().durableOnWrite())
        {
            flush();
        }
        return appended;
    }

    /**
     * Writer thread: close the active segment to appends and start a new one at the log end offset
     * ({@link LogRoll#roll}). Does nothing while the active segment is empty.
     */
    public void roll() throws IOException
    {
        ensureWritable();
        LogRoll.roll(this);
    }

    /**
     * Writer thread: fsync the active segment and publish the durable end offset. Segments rolled under
     * {@link FlushPolicy#OS} are flushed only by {@link #close()}.
     */
    public void flush() throws IOException
    {
        ensureWritable();
        final long endOffset = logEndOffsetPlain();
        if (!offsets.isDurableTo(endOffset))
        {
            final LogSegment active = segments().active();
            try
            {
                active.flush();
            }
            catch (final IOException | RuntimeException ex)
            {
                // After a failed fsync the kernel may have dropped the dirty pages and a later fsync would succeed
                // without them: never report anything durable again until a reopen recovers the log.
                closed = true;
                throw new IOException("fsync of " + active.logFile() + " failed; the log takes no more appends " +
                    "until reopened", ex);
            }
            offsets.onDurable(endOffset);
        }
    }

    /**
     * Writer thread: whether the log takes appends as leader, and the epoch it stamps into them.
     */
    public LeaderAppends leaderAppends()
    {
        return leaderAppends;
    }

    /**
     * Any thread: raise the high watermark to {@code offset}, clamped to the log end offset, never lowering it (only a
     * truncation does). Only for {@link HighWatermarkPolicy#SET_BY_REPLICATION}; the caller never raises it while a
     * truncation it asked for runs.
     *
     * @throws IllegalStateException if the high watermark follows the log end offset.
     */
    public void highWatermark(final long offset)
    {
        offsets.highWatermark(offset);
    }

    /**
     * Writer thread: delete whole segments that retention no longer keeps ({@link LogRetention}), oldest first,
     * moving the log start offset to the first segment kept. Files are renamed at once and deleted
     * {@code file.delete.delay.ms} later, so readers still holding them finish.
     *
     * @return segments deleted.
     */
    public int applyRetention(final long nowMs) throws IOException
    {
        ensureWritable();
        return LogRetention.apply(this, nowMs);
    }

    /**
     * Writer thread: remove every batch from the one holding {@code offset} on, as a follower does where its log
     * diverged from the leader's. The log then ends at that batch's base offset (the offset itself when it starts a
     * batch); segments wholly past it are removed, the one holding it is cut and becomes the active segment. Readers
     * holding the old segments finish on them; consumers are bounded by the high watermark, which moves back too.
     *
     * @return the new log end offset.
     */
    public long truncateTo(final long offset, final long nowMs) throws IOException
    {
        return LogTruncation.truncateTo(this, offset, nowMs);
    }

    /**
     * Writer thread: remove every segment and start empty at {@code offset}, as a follower does when it is so far
     * behind that the leader no longer has what it needs.
     */
    public void truncateFullyAndStartAt(final long offset, final long nowMs) throws IOException
    {
        LogTruncation.truncateFullyAndStartAt(this, offset, nowMs);
    }

    /**
     * Writer thread: swap in the copies a compaction pass made ({@link LogCompactor}, {@link CompactionSwap}), each
     * group only if its segments are still the log's; readers holding the replaced segments finish on them.
     *
     * @return groups swapped in; the others' copies are deleted.
     */
    public int swapCompacted(final CompactedSegments compacted, final long nowMs) throws IOException
    {
        if (closed)
        {
            compacted.discard();
        }
        ensureWritable();
        return CompactionSwap.swap(this, compacted, nowMs);
    }

    /**
     * Writer thread, or any thread once the writer has stopped: flush everything not yet durable, trim the indexes,
     * record the recovery point and high watermark, and leave the clean-shutdown marker so the next open skips the
     * scan. Closing again only releases what is left.
     */
    @Override
    public void close() throws IOException
    {
        if (closed)
        {
            closeFiles();
            return;
        }
        closed = true;
        try
        {
            final LogSegment active = segments().active();
            for (final LogSegment segment : segments().plain())
            {
                if (segment != active && segment.baseOffset() >= offsets.recoveryPoint())
                {
                    segment.flush();
                }
            }
            // The active segment once, after its indexes are trimmed.
            active.onBecomeInactive();
            active.flush();
            offsets.checkpointOnClose(active.baseOffset());
            ProducerStateSnapshots.writeIfBuilt(dir(), logEndOffsetPlain(), producerState);
            FileSync.writeAtomically(dir().resolve(LogFiles.CLEAN_SHUTDOWN), "");
        }
        finally
        {
            // Without the marker the next open recovers; the files are released either way.
            closeFiles();
        }
    }

    private void closeFiles()
    {
        if (released)
        {
            return;
        }
        released = true;
        // Readers that still hold the segment array fail to retain a released segment: an exception, not a fault.
        for (final LogSegment segment : segments().plain())
        {
            segment.release();
        }
        deletions.deleteAllNow();
    }

    /**
     * Writer thread: a step failed half way (a roll, a compaction swap); take no more appends until a reopen recovers.
     */
    void failed()
    {
        closed = true;
    }

    void ensureWritable() throws IOException
    {
        if (closed)
        {
            throw new IOException("log " + dir() + " is closed or failed and takes no more appends");
        }
    }

    DeferredDeletions deletions()
    {
        return deletions;
    }

    LogOffsets offsets()
    {
        return offsets;
    }

    /**
     * What opening found and did; empty when the log was sound and shut down cleanly.
     */
    public List<LogFinding> recoveryReport()
    {
        return recoveryReport;
    }

    @Override
    public long logStartOffset()
    {
        return offsets.logStartOffset();
    }

    @Override
    public long logEndOffset()
    {
        return offsets.logEndOffset();
    }

    @Override
    public long highWatermark()
    {
        return offsets.highWatermark();
    }

    @Override
    public long durableEndOffset()
    {
        return offsets.durableEndOffset();
    }

    long logEndOffsetPlain()
    {
        return offsets.logEndOffsetPlain();
    }
}
