package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchValidator;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One file of a partition's log, holding the batches from {@link #baseOffset()} on, with its offset and time index.
 * Files are named as Kafka names them: the base offset in 20 digits, then {@code .log}, {@code .index},
 * {@code .timeindex}.
 * <p>
 * Threading: the partition's writer thread owns every mutation and the plain fields. It publishes two things with
 * release stores after the bytes they describe are written: {@link #size} (bytes of complete batches, which readers
 * never read past) and {@link #maxTimestamp} (for timestamp lookups). Readers use positional reads on the shared
 * channel, which never move its position.
 */
final class LogSegment implements AutoCloseable
{
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    static final long NO_TIMESTAMP = -1L;
    /** Batches up to this size are read whole on recovery; larger ones (or corrupt lengths) are checked streaming. */
    static final int MAX_LOADED_BATCH_BYTES = 16 * 1024 * 1024;

    private static final VarHandle SIZE;
    private static final VarHandle MAX_TIMESTAMP;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(LogSegment.class, "size", int.class);
            MAX_TIMESTAMP = lookup.findVarHandle(LogSegment.class, "maxTimestamp", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long baseOffset;
    private Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;

    /** Writer: release store after the bytes are written. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile int size;
    /** Writer: release store. Readers: acquire load. {@link #NO_TIMESTAMP} while empty. */
    @SuppressWarnings("unused")
    private volatile long maxTimestamp;

    // Writer thread only.
    private long nextOffset;
    private long offsetOfMaxTimestamp;
    private long firstBatchTimestamp = NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;
    private boolean indexesDamagedOnOpen;

    private LogSegment(
        final long baseOffset,
        final Path logFile,
        final FileChannel channel,
        final OffsetIndex offsetIndex,
        final TimeIndex timeIndex,
        final int indexIntervalBytes)
    {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
        MAX_TIMESTAMP.setRelease(this, NO_TIMESTAMP);
    }

    static String fileName(final long baseOffset, final String suffix)
    {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /**
     * Base offset named by a segment file, or -1 when the name is not a segment's.
     */
    static long parseBaseOffset(final String fileName, final String suffix)
    {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length())
        {
            return -1;
        }
        final String digits = fileName.substring(0, 20);
        for (int i = 0; i < digits.length(); i++)
        {
            if (!Character.isDigit(digits.charAt(i)))
            {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /**
     * Create an empty active segment.
     */
    static LogSegment create(final Path dir, final long baseOffset, final LogConfig config) throws IOException
    {
        final Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)));
        final FileChannel channel = FileChannel.open(
            logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try
        {
            return withIndexes(dir, baseOffset, logFile, channel, config, 0, 0, true);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)));
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)));
            throw ex;
        }
    }

    /**
     * Open an existing segment file and its indexes as they stand on disk, without checking them; the caller then
     * either {@link #loadTrusted()} or {@link #recover}.
     *
     * @param mutable true for the segment that will take appends.
     */
    static LogSegment open(final Path dir, final long baseOffset, final LogConfig config, final boolean mutable)
        throws IOException
    {
        final Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        final FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final int offsetEntries = entriesOnDisk(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)), OffsetIndex.ENTRY_SIZE);
        final int timeEntries =
            entriesOnDisk(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)), TimeIndex.ENTRY_SIZE);
        final LogSegment segment;
        try
        {
            segment = withIndexes(dir, baseOffset, logFile, channel, config, offsetEntries, timeEntries, mutable);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        final long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE)
        {
            segment.close();
            throw new IOException(logFile + " is " + fileSize + " bytes, more than a segment may hold");
        }
        segment.publishSize((int)fileSize);
        return segment;
    }

    private static int entriesOnDisk(final Path indexFile, final int entrySize) throws IOException
    {
        if (!Files.exists(indexFile))
        {
            return 0;
        }
        final long length = Files.size(indexFile);
        return length % entrySize == 0 ? (int)(length / entrySize) : -1;
    }

    private static LogSegment withIndexes(
        final Path dir,
        final long baseOffset,
        final Path logFile,
        final FileChannel channel,
        final LogConfig config,
        final int offsetEntries,
        final int timeEntries,
        final boolean mutable) throws IOException
    {
        // An entry needs more than index.interval.bytes of log since the last one, so a segment never needs more
        // entries than this; mapping no more keeps small segments from reserving index space they cannot use.
        final long entriesNeeded = config.segmentBytes() / config.indexIntervalBytes() + 2;
        final int maxIndexBytes = (int)Math.min(config.segmentIndexBytes(), entriesNeeded * TimeIndex.ENTRY_SIZE);
        // A file whose length is no whole number of entries is damaged: start it empty, the caller rebuilds it.
        final boolean damaged = offsetEntries < 0 || timeEntries < 0;
        final OffsetIndex offsetIndex = new OffsetIndex(
            dir.resolve(fileName(baseOffset, INDEX_SUFFIX)), baseOffset, damaged ? 0 : offsetEntries,
            maxIndexBytes, mutable || damaged);
        final TimeIndex timeIndex;
        try
        {
            timeIndex = new TimeIndex(
                dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset, damaged ? 0 : timeEntries,
                maxIndexBytes, mutable || damaged);
        }
        catch (final IOException | RuntimeException ex)
        {
            offsetIndex.close();
            throw ex;
        }
        final LogSegment segment = new LogSegment(
            baseOffset, logFile, channel, offsetIndex, timeIndex, config.indexIntervalBytes());
        segment.indexesDamagedOnOpen = damaged;
        return segment;
    }

    /**
     * Load a segment written before the last clean shutdown or recovery point: trust its batches, check its
     * indexes' structure, and find its next offset from the tail after the last index entry.
     *
     * @return damage found in an index (which the caller answers by {@link #recover}ing), or null.
     */
    Corruption loadTrusted(final FileBatchIterator iterator) throws IOException
    {
        final int fileSize = sizePlain();
        if (indexesDamagedOnOpen)
        {
            return new Corruption(offsetIndex.file(), 0, "index file length is not a whole number of entries",
                "rebuilt from the log");
        }
        final String offsetDamage = offsetIndex.findDamage(Math.max(fileSize, 1));
        if (offsetDamage != null)
        {
            return new Corruption(offsetIndex.file(), 0, offsetDamage, "rebuilt from the log");
        }
        final int offsetEntries = offsetIndex.entriesPlain();
        final int scanFrom = offsetEntries == 0 ? 0 : offsetIndex.positionAt(offsetEntries - 1);
        long next = offsetEntries == 0 ? baseOffset : offsetIndex.keyAt(offsetEntries - 1) + 1;
        try
        {
            iterator.reset(channel, scanFrom, fileSize);
            while (iterator.next())
            {
                next = iterator.batch().nextOffset();
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            return new Corruption(logFile, iterator.position(), ex.getMessage(), "recovered from here");
        }
        final String timeDamage = timeIndex.findDamage(next);
        if (timeDamage != null)
        {
            return new Corruption(timeIndex.file(), 0, timeDamage, "rebuilt from the log");
        }
        nextOffset = next;
        if (fileSize > 0)
        {
            iterator.reset(channel, 0, fileSize);
            iterator.next();
            firstBatchTimestamp = iterator.batch().maxTimestamp();
        }
        final int timeEntries = timeIndex.entriesPlain();
        if (timeEntries > 0)
        {
            offsetOfMaxTimestamp = timeIndex.offsetAt(timeEntries - 1);
            MAX_TIMESTAMP.setRelease(this, timeIndex.keyAt(timeEntries - 1));
        }
        // As onBatchWritten counts: from the start of the last indexed batch (or of the file) to its end.
        bytesSinceLastIndexEntry = fileSize - scanFrom;
        return null;
    }

    /**
     * Validate every batch (lengths, magic, CRC, offsets following on from {@code expectedBaseOffset}), rebuild both
     * indexes, and cut the file at the first bad byte.
     *
     * @return the damage that made it cut, or null when the whole file was good.
     */
    Corruption recover(
        final long expectedBaseOffset,
        final FileBatchIterator iterator,
        final RecordBatchValidator validator) throws IOException
    {
        offsetIndex.clear();
        timeIndex.clear();
        bytesSinceLastIndexEntry = 0;
        firstBatchTimestamp = NO_TIMESTAMP;
        MAX_TIMESTAMP.setRelease(this, NO_TIMESTAMP);
        final int fileSize = (int)channel.size();
        long expected = expectedBaseOffset;
        Corruption corruption = null;
        iterator.reset(channel, 0, fileSize);
        int validEnd = 0;
        try
        {
            while (iterator.next())
            {
                final RecordBatch batch = validatedBatch(iterator, validator);
                if (batch.baseOffset() != expected)
                {
                    throw new InvalidRecordBatchException(
                        "batch has base offset " + batch.baseOffset() + " where offset " + expected +
                        " was expected next");
                }
                onBatchWritten(batch.lastOffset(), batch.maxTimestamp(), (int)iterator.position(),
                    batch.totalLength());
                expected = batch.nextOffset();
                validEnd = (int)iterator.nextPosition();
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            final long position = iterator.position() < 0 ? 0 : iterator.position();
            corruption = new Corruption(logFile, position, ex.getMessage(),
                "truncated " + (fileSize - validEnd) + " bytes from here");
        }
        if (validEnd < fileSize)
        {
            channel.truncate(validEnd);
        }
        nextOffset = expected;
        publishSize(validEnd);
        return corruption;
    }

    /**
     * The iterator's current batch, checked: whole and record by record when it is of a size a producer can send,
     * by a streaming CRC alone when it is larger, so a corrupt length never makes recovery allocate its size.
     */
    static RecordBatch validatedBatch(final FileBatchIterator iterator, final RecordBatchValidator validator)
        throws IOException
    {
        final RecordBatch header = iterator.batch();
        if (header.totalLength() > MAX_LOADED_BATCH_BYTES)
        {
            if (!iterator.crcMatchesStreaming())
            {
                throw new InvalidRecordBatchException("CRC32C mismatch in a batch of " + header.totalLength() +
                    " bytes");
            }
            RecordBatchValidator.validateCountAndCodec(header);
            return header;
        }
        final RecordBatch batch = iterator.loadBatch();
        validator.validate(batch.buffer(), batch.offset(), batch.totalLength(), true);
        return batch;
    }

    /**
     * Writer thread: account for a batch just written at {@code position}, indexing it when enough bytes have passed
     * since the last entry. Call in file order, then {@link #publishSize}.
     */
    void onBatchWritten(final long lastOffset, final long batchMaxTimestamp, final int position, final int length)
    {
        if (firstBatchTimestamp == NO_TIMESTAMP)
        {
            firstBatchTimestamp = batchMaxTimestamp;
        }
        final long currentMax = (long)MAX_TIMESTAMP.get(this);
        if (batchMaxTimestamp > currentMax)
        {
            MAX_TIMESTAMP.setRelease(this, batchMaxTimestamp);
            offsetOfMaxTimestamp = lastOffset;
        }
        // A full index takes no more entries (the next append rolls the segment); lookups then scan further.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull())
        {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend((long)MAX_TIMESTAMP.get(this), offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        nextOffset = lastOffset + 1;
    }

    /**
     * Writer thread: let readers see the file up to {@code newSize}.
     */
    void publishSize(final int newSize)
    {
        SIZE.setRelease(this, newSize);
    }

    /**
     * Bytes of complete batches, loaded with acquire semantics: readers read no further.
     */
    int size()
    {
        return (int)SIZE.getAcquire(this);
    }

    int sizePlain()
    {
        return (int)SIZE.get(this);
    }

    /**
     * Largest batch timestamp in the segment, or {@link #NO_TIMESTAMP}; acquire load.
     */
    long maxTimestamp()
    {
        return (long)MAX_TIMESTAMP.getAcquire(this);
    }

    long baseOffset()
    {
        return baseOffset;
    }

    /**
     * Writer thread: offset after the segment's last batch.
     */
    long nextOffset()
    {
        return nextOffset;
    }

    /**
     * Writer thread: max timestamp of the segment's first batch, what age-based rolling measures from.
     */
    long firstBatchTimestamp()
    {
        return firstBatchTimestamp;
    }

    boolean isEmpty()
    {
        return sizePlain() == 0;
    }

    boolean indexesFull()
    {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    FileChannel channel()
    {
        return channel;
    }

    OffsetIndex offsetIndex()
    {
        return offsetIndex;
    }

    TimeIndex timeIndex()
    {
        return timeIndex;
    }

    Path logFile()
    {
        return logFile;
    }

    /**
     * Writer thread: force the log and its indexes to storage.
     */
    void flush() throws IOException
    {
        channel.force(false);
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Writer thread: the segment takes no more appends; index its largest timestamp and trim the index files.
     */
    void onBecomeInactive() throws IOException
    {
        if (!isEmpty())
        {
            timeIndex.maybeAppend((long)MAX_TIMESTAMP.get(this), offsetOfMaxTimestamp);
        }
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
    }

    /**
     * Writer thread: cut the file back to {@code position}, after a write that failed part way.
     */
    void truncateTo(final int position) throws IOException
    {
        channel.truncate(position);
        channel.position(position);
    }

    /**
     * Writer thread: rename the files with a {@code .deleted} suffix so that recovery ignores them, while readers
     * holding this segment can still read through the open channel until {@link #deleteFiles()}.
     */
    void markDeleted() throws IOException
    {
        final Path deleted = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, deleted, StandardCopyOption.ATOMIC_MOVE);
        logFile = deleted;
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    /**
     * Writer thread: close and delete the files of a segment retention removed a while ago. The index mappings are
     * left for the garbage collector to unmap rather than unmapped here: a reader that still held this segment would
     * then fail on the closed channel with an exception instead of faulting on unmapped memory.
     */
    void deleteFiles() throws IOException
    {
        channel.close();
        offsetIndex.abandon();
        timeIndex.abandon();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
        offsetIndex.close();
        timeIndex.close();
    }

    @Override
    public String toString()
    {
        return "LogSegment(" + logFile.getFileName() + ", size=" + sizePlain() + ")";
    }
}
