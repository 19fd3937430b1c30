package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatchValidator;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * The log of one partition: an ordered run of {@link LogSegment}s in one directory, from the log start offset to the
 * log end offset.
 * <p>
 * <b>Threading.</b> One writer thread (the partition's {@code PartitionWriter}, or the thread that opened the log
 * when there is none) calls every method marked "writer thread". Readers on any number of threads go through
 * {@link #newReader()} and see only what the writer has published with release stores:
 * <ul>
 *     <li>{@link #logEndOffset} after the batches below it are in their segment and indexed;</li>
 *     <li>{@link #segments}, a copy-on-write array replaced on roll and on retention;</li>
 *     <li>{@link #logStartOffset} when retention deletes segments;</li>
 *     <li>{@link #durableEndOffset} after an fsync covers the batches below it.</li>
 * </ul>
 * Readers never lock and never see a partial batch.
 * <p>
 * <b>Recovery.</b> {@link #open} trusts segments below the recovery point (flushed when they were rolled) and, after
 * an unclean shutdown, validates every batch from there to the end: lengths, magic, CRC, contiguous offsets. The first
 * bad byte ends the log: the file is cut there, later segments are removed, indexes are rebuilt, and each finding is
 * reported in {@link #recoveryReport()} and logged. A clean shutdown leaves a marker that skips the scan.
 */
public final class PartitionLog implements ReadableLog, AutoCloseable
{
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    static final String RECOVERY_POINT_FILE = "recovery-point";

    private static final System.Logger LOGGER = System.getLogger(PartitionLog.class.getName());
    private static final int MAX_BATCHES_PER_WRITE = 1024;
    private static final VarHandle LOG_START_OFFSET;
    private static final VarHandle LOG_END_OFFSET;
    private static final VarHandle DURABLE_END_OFFSET;
    private static final VarHandle SEGMENTS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOG_START_OFFSET = lookup.findVarHandle(PartitionLog.class, "logStartOffset", long.class);
            LOG_END_OFFSET = lookup.findVarHandle(PartitionLog.class, "logEndOffset", long.class);
            DURABLE_END_OFFSET = lookup.findVarHandle(PartitionLog.class, "durableEndOffset", long.class);
            SEGMENTS = lookup.findVarHandle(PartitionLog.class, "segments", LogSegment[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path dir;
    private final LogConfig config;
    private final List<Corruption> recoveryReport;
    private final Executor fileDeleter;

    /** Writer: release store when retention deletes segments. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long logStartOffset;
    /** Writer: release store after the batches below it are written and indexed. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long logEndOffset;
    /** Writer: release store after an fsync. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile long durableEndOffset;
    /** Writer: release store of a new array on roll and retention. Readers: acquire load. Never mutated in place. */
    @SuppressWarnings("unused")
    private volatile LogSegment[] segments;

    // Writer thread only.
    private LogSegment active;
    private long recoveryPoint;
    private int leaderEpoch;
    private boolean closed;
    private final ByteBuffer[] writeVector = new ByteBuffer[MAX_BATCHES_PER_WRITE];
    private final int[] writePositions = new int[MAX_BATCHES_PER_WRITE];
    private final ArrayDeque<PendingDeletion> pendingDeletions = new ArrayDeque<>();

    private record PendingDeletion(LogSegment segment, long deleteAtMs)
    {
    }

    private PartitionLog(
        final Path dir, final LogConfig config, final List<Corruption> recoveryReport, final Executor fileDeleter)
    {
        this.dir = dir;
        this.config = config;
        this.recoveryReport = recoveryReport;
        this.fileDeleter = fileDeleter;
    }

    /**
     * Open the log in {@code dir}, creating an empty one when the directory holds none, and recover it. Files of
     * segments retention removed are deleted on a shared background thread ({@link FileDeleter}).
     *
     * @throws IOException if the directory cannot be read or written.
     */
    public static PartitionLog open(final Path dir, final LogConfig config) throws IOException
    {
        return open(dir, config, FileDeleter.shared());
    }

    /**
     * As {@link #open(Path, LogConfig)}, deleting retained-out segments' files on {@code fileDeleter}: unlinking a
     * large file frees its page-cache pages in the calling thread, work the writer should not do.
     * {@code Runnable::run} deletes them on the writer thread.
     */
    public static PartitionLog open(final Path dir, final LogConfig config, final Executor fileDeleter)
        throws IOException
    {
        config.concludedIfNeeded();
        Files.createDirectories(dir);
        final PartitionLog log = new PartitionLog(dir, config, new ArrayList<>(), fileDeleter);
        log.load();
        return log;
    }

    private void load() throws IOException
    {
        final List<Long> baseOffsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp"))
                {
                    // Left by a retention pass or a checkpoint write that a crash interrupted.
                    Files.delete(file);
                    continue;
                }
                final long baseOffset = LogSegment.parseBaseOffset(name, LogSegment.LOG_SUFFIX);
                if (baseOffset >= 0)
                {
                    baseOffsets.add(baseOffset);
                }
            }
        }
        baseOffsets.sort(null);

        final Path cleanShutdownFile = dir.resolve(CLEAN_SHUTDOWN_FILE);
        final boolean cleanShutdown = Files.exists(cleanShutdownFile);
        recoveryPoint = cleanShutdown ? Long.MAX_VALUE : readRecoveryPoint();
        if (cleanShutdown)
        {
            // Opening changes files (the active segment's indexes grow to their mapped size): from here on a crash,
            // even one during this open, must not be mistaken for a clean shutdown. close() wrote the recovery point
            // at the active segment, so that crash costs a scan of one segment.
            Files.delete(cleanShutdownFile);
            FileSync.syncDirectory(dir);
        }
        final List<LogSegment> loaded = new ArrayList<>();
        final FileBatchIterator iterator = new FileBatchIterator(64 * 1024);
        final RecordBatchValidator validator = new RecordBatchValidator();
        long expectedBaseOffset = baseOffsets.isEmpty() ? 0 : baseOffsets.get(0);
        boolean truncated = false;
        boolean lastLoadedIsMutable = false;

        for (int i = 0; i < baseOffsets.size(); i++)
        {
            final long baseOffset = baseOffsets.get(i);
            final boolean last = i == baseOffsets.size() - 1;
            if (truncated)
            {
                report(new Corruption(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX)), 0,
                    "segment follows a truncated one", "deleted"));
                deleteSegmentFiles(baseOffset);
                continue;
            }
            final boolean beforeRecoveryPoint = i + 1 < baseOffsets.size() && baseOffsets.get(i + 1) <= recoveryPoint;
            LogSegment segment = LogSegment.open(dir, baseOffset, config, last);
            Corruption corruption = null;
            if (cleanShutdown || beforeRecoveryPoint)
            {
                final Corruption indexDamage = segment.loadTrusted(iterator);
                if (indexDamage != null)
                {
                    report(indexDamage);
                    segment.close();
                    deleteIndexFiles(baseOffset);
                    segment = LogSegment.open(dir, baseOffset, config, true);
                    corruption = segment.recover(expectedBaseOffset, iterator, validator);
                }
            }
            else
            {
                deleteIndexFiles(baseOffset);
                segment.close();
                segment = LogSegment.open(dir, baseOffset, config, true);
                corruption = segment.recover(expectedBaseOffset, iterator, validator);
            }
            if (corruption != null)
            {
                report(corruption);
                truncated = true;
            }
            if (segment.isEmpty() && segment.baseOffset() != expectedBaseOffset)
            {
                // The segments before it lost their tail (a power loss before they were flushed): a file named for
                // an offset the log no longer reaches cannot take the log's next offsets.
                report(new Corruption(segment.logFile(), 0, "empty segment named for offset " + baseOffset +
                    " where the log now ends at " + expectedBaseOffset, "deleted"));
                segment.close();
                deleteSegmentFiles(baseOffset);
                truncated = true;
                continue;
            }
            if (!last && !truncated)
            {
                segment.onBecomeInactive();
            }
            loaded.add(segment);
            lastLoadedIsMutable = last || truncated || corruption != null;
            expectedBaseOffset = segment.nextOffset();
        }

        if (truncated)
        {
            // Cuts and deletions must not come undone after a power loss.
            FileSync.syncDirectory(dir);
        }
        if (loaded.isEmpty() || !lastLoadedIsMutable)
        {
            loaded.add(LogSegment.create(dir, expectedBaseOffset, config));
        }
        active = loaded.get(loaded.size() - 1);
        active.channel().position(active.sizePlain());
        final long endOffset = active.nextOffset();
        SEGMENTS.setRelease(this, loaded.toArray(new LogSegment[0]));
        LOG_START_OFFSET.setRelease(this, loaded.get(0).baseOffset());
        LOG_END_OFFSET.setRelease(this, endOffset);
        // Whatever survived is at least as durable as it was before the crash; after a clean shutdown, all of it.
        DURABLE_END_OFFSET.setRelease(this, cleanShutdown ? endOffset : Math.min(recoveryPoint, endOffset));
        recoveryPoint = cleanShutdown ? active.baseOffset() : Math.min(recoveryPoint, active.baseOffset());
        writeRecoveryPoint();
    }

    private long readRecoveryPoint() throws IOException
    {
        final Path file = dir.resolve(RECOVERY_POINT_FILE);
        if (!Files.exists(file))
        {
            return 0;
        }
        final String content = Files.readString(file, StandardCharsets.UTF_8).trim();
        try
        {
            return Long.parseLong(content);
        }
        catch (final NumberFormatException ex)
        {
            report(new Corruption(file, 0, "recovery point '" + content + "' is not a number", "recovering all"));
            return 0;
        }
    }

    private void writeRecoveryPoint() throws IOException
    {
        FileSync.writeAtomically(dir.resolve(RECOVERY_POINT_FILE), recoveryPoint + "\n");
    }

    private void report(final Corruption corruption)
    {
        recoveryReport.add(corruption);
        LOGGER.log(System.Logger.Level.WARNING, "log recovery: " + corruption);
    }

    private void deleteIndexFiles(final long baseOffset) throws IOException
    {
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX)));
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.TIME_INDEX_SUFFIX)));
    }

    private void deleteSegmentFiles(final long baseOffset) throws IOException
    {
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX)));
        deleteIndexFiles(baseOffset);
    }

    /**
     * Writer thread: append batches {@code [from, from + count)} of {@code batches}, each a ByteBuffer holding exactly
     * one validated batch between its position and limit. Stamps each batch's base offset and partition leader epoch
     * in place, then writes as many as fit in the active segment with one gathering write (rolling first if needed),
     * and publishes the new log end offset. With {@link FlushPolicy#EVERY} it fsyncs before returning.
     *
     * @return how many batches were appended, at least one; call again for the rest.
     * @throws IOException if the write fails; the segment is cut back to where it was and nothing is published.
     */
    public int append(final ByteBuffer[] batches, final int from, final int count, final long nowMs)
        throws IOException
    {
        ensureOpen();
        maybeRoll(batches[from].remaining(), nowMs);

        final LogSegment segment = active;
        final int startSize = segment.sizePlain();
        long nextOffset = segment.nextOffset();
        final long maxRelativeOffset = segment.baseOffset() + Integer.MAX_VALUE;
        long bytes = 0;
        int n = 0;
        while (n < count && n < MAX_BATCHES_PER_WRITE)
        {
            final ByteBuffer batch = batches[from + n];
            final int length = batch.remaining();
            final long lastOffset = nextOffset + getInt(batch, batch.position() + LAST_OFFSET_DELTA_OFFSET);
            if (n > 0 && (startSize + bytes + length > config.segmentBytes() || lastOffset > maxRelativeOffset))
            {
                break;
            }
            putLong(batch, batch.position() + BASE_OFFSET_OFFSET, nextOffset);
            putInt(batch, batch.position() + PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
            writeVector[n] = batch;
            writePositions[n] = batch.position();
            nextOffset = lastOffset + 1;
            bytes += length;
            n++;
        }

        try
        {
            long written = 0;
            while (written < bytes)
            {
                written += segment.channel().write(writeVector, 0, n);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            restorePositions(n);
            recoverFromFailedWrite(segment, startSize);
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
                final long baseOffset = getLong(batch, start + BASE_OFFSET_OFFSET);
                segment.onBatchWritten(
                    baseOffset + getInt(batch, start + LAST_OFFSET_DELTA_OFFSET),
                    getLong(batch, start + MAX_TIMESTAMP_OFFSET),
                    position,
                    length);
                position += length;
            }
        }
        catch (final Throwable indexFailure)
        {
            // A page of a mapped index could not be backed (InternalError from a SIGBUS on a full disk). The
            // segment's writer-side state is now ahead of its file: cut the file back, publish nothing, and refuse
            // appends until a reopen rebuilds the indexes.
            restorePositions(n);
            recoverFromFailedWrite(segment, startSize);
            closed = true;
            throw new IOException("indexing " + segment.logFile() + " failed; the log takes no more appends " +
                "until reopened", indexFailure);
        }
        restorePositions(n);
        segment.publishSize(position);
        LOG_END_OFFSET.setRelease(this, nextOffset);

        if (config.flushPolicy().durableOnWrite())
        {
            flush();
        }
        return n;
    }

    private void restorePositions(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            writeVector[i].position(writePositions[i]);
            writeVector[i] = null;
        }
    }

    private void recoverFromFailedWrite(final LogSegment segment, final int startSize)
    {
        try
        {
            segment.truncateTo(startSize);
        }
        catch (final IOException | RuntimeException truncateFailure)
        {
            // The file may now hold a torn batch past the published size: readers never see it, and recovery on the
            // next open cuts it. Refuse further appends rather than write after it.
            closed = true;
            LOGGER.log(System.Logger.Level.ERROR,
                "could not cut " + segment.logFile() + " back to " + startSize + " bytes after a failed write; " +
                "the log takes no more appends until reopened", truncateFailure);
        }
    }

    private void maybeRoll(final int nextBatchLength, final long nowMs) throws IOException
    {
        final LogSegment segment = active;
        if (segment.isEmpty())
        {
            return;
        }
        final boolean full = (long)segment.sizePlain() + nextBatchLength > config.segmentBytes();
        final boolean old = nowMs - segment.firstBatchTimestamp() > config.segmentMs();
        if (full || old || segment.indexesFull() ||
            logEndOffsetPlain() - segment.baseOffset() >= Integer.MAX_VALUE)
        {
            roll();
        }
    }

    /**
     * Writer thread: close the active segment to appends and start a new one at the log end offset. Under
     * {@link FlushPolicy#EVERY} and {@link FlushPolicy#INTERVAL} the old segment is flushed and the recovery point
     * moves past it; under {@link FlushPolicy#OS} nothing is forced, and recovery after a crash scans from the last
     * recovery point. Does nothing while the active segment is empty.
     */
    public void roll() throws IOException
    {
        ensureOpen();
        final LogSegment old = active;
        if (old.isEmpty())
        {
            // Already starts at the log end offset; a new segment there would reuse (and first delete the indexes
            // of) this one's files.
            return;
        }
        final long baseOffset = logEndOffsetPlain();
        // Create the next segment first: if that fails, nothing has changed and the old one still takes appends.
        final LogSegment next = LogSegment.create(dir, baseOffset, config);
        try
        {
            old.onBecomeInactive();
            if (!config.flushPolicy().leftToOs())
            {
                old.flush();
                FileSync.syncDirectory(dir);
                DURABLE_END_OFFSET.setRelease(this, baseOffset);
                recoveryPoint = baseOffset;
                writeRecoveryPoint();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // The old segment's indexes may be trimmed and its data not on storage: take no more appends until a
            // reopen recovers from the recovery point, and leave no half-made next segment behind.
            closed = true;
            next.deleteFiles();
            throw ex;
        }
        final LogSegment[] current = segmentsPlain();
        final LogSegment[] updated = Arrays.copyOf(current, current.length + 1);
        updated[current.length] = next;
        active = next;
        SEGMENTS.setRelease(this, updated);
    }

    /**
     * Writer thread: fsync the active segment and publish the durable end offset. Segments rolled under
     * {@link FlushPolicy#OS} are flushed only by {@link #close()}.
     */
    public void flush() throws IOException
    {
        ensureOpen();
        final long endOffset = logEndOffsetPlain();
        if ((long)DURABLE_END_OFFSET.get(this) < endOffset)
        {
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
            DURABLE_END_OFFSET.setRelease(this, endOffset);
        }
    }

    /**
     * Writer thread: the leader epoch stamped into every batch appended from now on.
     */
    public void leaderEpoch(final int leaderEpoch)
    {
        this.leaderEpoch = leaderEpoch;
    }

    /**
     * Writer thread: delete whole segments that retention no longer keeps, oldest first, moving the log start offset
     * to the first segment kept. By time: a segment whose largest timestamp is older than {@code retention.ms}
     * (the active one is rolled first when it has expired too). By size: the oldest segments while the rest still
     * hold {@code retention.bytes}. Files are renamed at once and deleted {@code file.delete.delay.ms} later, so
     * readers still holding them finish.
     *
     * @return segments deleted.
     */
    public int applyRetention(final long nowMs) throws IOException
    {
        ensureOpen();
        deletePendingFiles(nowMs);
        final long retentionMs = config.retentionMs();
        if (retentionMs > 0 && !active.isEmpty() && active.maxTimestamp() < nowMs - retentionMs &&
            isExpiredByTime(segmentsPlain(), nowMs))
        {
            roll();
        }

        final LogSegment[] current = segmentsPlain();
        long totalBytes = 0;
        for (final LogSegment segment : current)
        {
            totalBytes += segment.sizePlain();
        }
        int deletable = 0;
        while (deletable < current.length - 1)
        {
            final LogSegment segment = current[deletable];
            final boolean expired = retentionMs > 0 && segment.maxTimestamp() < nowMs - retentionMs;
            final boolean oversize = config.retentionBytes() > 0 &&
                totalBytes - segment.sizePlain() >= config.retentionBytes();
            if (!expired && !oversize)
            {
                break;
            }
            totalBytes -= segment.sizePlain();
            deletable++;
        }
        if (deletable == 0)
        {
            return 0;
        }
        final LogSegment[] kept = Arrays.copyOfRange(current, deletable, current.length);
        LOG_START_OFFSET.setRelease(this, kept[0].baseOffset());
        SEGMENTS.setRelease(this, kept);
        IOException renameFailure = null;
        for (int i = 0; i < deletable; i++)
        {
            // Queued first, so its files are released and deleted even if the rename fails.
            pendingDeletions.add(new PendingDeletion(current[i], nowMs + config.fileDeleteDelayMs()));
            try
            {
                current[i].markDeleted();
            }
            catch (final IOException ex)
            {
                renameFailure = ex;
            }
        }
        deletePendingFiles(nowMs);
        if (renameFailure != null)
        {
            throw renameFailure;
        }
        return deletable;
    }

    private boolean isExpiredByTime(final LogSegment[] current, final long nowMs)
    {
        // Only roll the active segment when retention would then delete it, i.e. every segment has expired.
        for (final LogSegment segment : current)
        {
            if (segment.maxTimestamp() >= nowMs - config.retentionMs())
            {
                return false;
            }
        }
        return true;
    }

    private void deletePendingFiles(final long nowMs)
    {
        while (!pendingDeletions.isEmpty() && pendingDeletions.peekFirst().deleteAtMs() <= nowMs)
        {
            final LogSegment segment = pendingDeletions.pollFirst().segment();
            fileDeleter.execute(() -> FileDeleter.deleteQuietly(segment));
        }
    }

    /**
     * Writer thread, or any thread once the writer has stopped: flush everything not yet durable, trim the indexes,
     * record the recovery point and leave the clean-shutdown marker so the next open skips the scan.
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
            final LogSegment[] current = segmentsPlain();
            for (final LogSegment segment : current)
            {
                if (segment.baseOffset() >= recoveryPoint || segment == active)
                {
                    segment.flush();
                }
            }
            active.onBecomeInactive();
            active.flush();
            recoveryPoint = active.baseOffset();
            writeRecoveryPoint();
            FileSync.writeAtomically(dir.resolve(CLEAN_SHUTDOWN_FILE), "");
            DURABLE_END_OFFSET.setRelease(this, logEndOffsetPlain());
        }
        finally
        {
            // Without the marker the next open recovers; the files are released either way.
            closeFiles();
        }
    }

    private void closeFiles() throws IOException
    {
        IOException failure = null;
        for (final LogSegment segment : segmentsPlain())
        {
            try
            {
                segment.close();
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }
        while (!pendingDeletions.isEmpty())
        {
            pendingDeletions.pollFirst().segment().deleteFiles();
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void ensureOpen() throws IOException
    {
        if (closed)
        {
            throw new IOException("log " + dir + " is closed or failed and takes no more appends");
        }
    }

    @Override
    public LogReader newReader()
    {
        return new LogReader(this);
    }

    @Override
    public Path dir()
    {
        return dir;
    }

    @Override
    public LogConfig config()
    {
        return config;
    }

    /**
     * What recovery found and did when the log was opened; empty when the log was sound.
     */
    public List<Corruption> recoveryReport()
    {
        return List.copyOf(recoveryReport);
    }

    /**
     * First offset still in the log; acquire load.
     */
    @Override
    public long logStartOffset()
    {
        return (long)LOG_START_OFFSET.getAcquire(this);
    }

    /**
     * Offset the next batch appended will get; every offset below it is readable. Acquire load.
     */
    @Override
    public long logEndOffset()
    {
        return (long)LOG_END_OFFSET.getAcquire(this);
    }

    /**
     * The log end offset until replication sets a high watermark of its own.
     */
    @Override
    public long highWatermark()
    {
        return logEndOffset();
    }

    @Override
    public long durableEndOffset()
    {
        return (long)DURABLE_END_OFFSET.getAcquire(this);
    }

    /**
     * Bytes in all segments; any thread, a moment's view.
     */
    @Override
    public long sizeInBytes()
    {
        long total = 0;
        for (final LogSegment segment : segmentsAcquire())
        {
            total += segment.size();
        }
        return total;
    }

    @Override
    public int segmentCount()
    {
        return segmentsAcquire().length;
    }

    LogSegment[] segmentsAcquire()
    {
        return (LogSegment[])SEGMENTS.getAcquire(this);
    }

    private LogSegment[] segmentsPlain()
    {
        return (LogSegment[])SEGMENTS.get(this);
    }

    private long logEndOffsetPlain()
    {
        return (long)LOG_END_OFFSET.get(this);
    }
}
