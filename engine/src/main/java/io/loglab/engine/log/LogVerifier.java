package io.loglab.engine.log;

import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchValidator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a partition directory without changing it and reports its first damage: every batch's lengths, magic, CRC
 * and record framing, offsets contiguous within and across segments, and index entries that point at the batches
 * they name. What {@code loglab verify} runs; safe on a log another process has open, though it then sees a moment's
 * state.
 * <p>
 * The index files of the last segment of a log that was not shut down cleanly are skipped: they are preallocated,
 * and the next open rebuilds them.
 */
public final class LogVerifier
{
    private final FileBatchIterator iterator = new FileBatchIterator(64 * 1024);
    private final RecordBatchValidator validator = new RecordBatchValidator();

    /**
     * Summary of one partition directory that verified clean.
     *
     * @param segments    segment files read.
     * @param batches     batches validated.
     * @param startOffset base offset of the first segment.
     * @param endOffset   offset after the last batch.
     */
    public record Summary(int segments, long batches, long startOffset, long endOffset)
    {
    }

    private long batches;

    /**
     * Verify one partition directory.
     *
     * @param damage where the first damage found is added; nothing is added for a sound log.
     * @return what was read, up to the damage if any.
     */
    public Summary verifyPartition(final Path dir, final List<Corruption> damage) throws IOException
    {
        final List<Long> baseOffsets = segmentBaseOffsets(dir);
        final boolean cleanShutdown = Files.exists(dir.resolve(PartitionLog.CLEAN_SHUTDOWN_FILE));
        batches = 0;
        long expected = baseOffsets.isEmpty() ? 0 : baseOffsets.get(0);
        for (int i = 0; i < baseOffsets.size(); i++)
        {
            final long baseOffset = baseOffsets.get(i);
            final Path logFile = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX));
            if (baseOffset != expected)
            {
                damage.add(new Corruption(logFile, 0,
                    "segment starts at offset " + baseOffset + " but the one before ends at " + expected,
                    "offsets must be contiguous"));
                return new Summary(i, batches, baseOffsets.get(0), expected);
            }
            final boolean checkIndexes = cleanShutdown || i < baseOffsets.size() - 1;
            final long next = verifySegment(dir, baseOffset, checkIndexes, damage);
            if (next < 0)
            {
                return new Summary(i + 1, batches, baseOffsets.get(0), expected);
            }
            expected = next;
        }
        return new Summary(baseOffsets.size(), batches, baseOffsets.isEmpty() ? 0 : baseOffsets.get(0), expected);
    }

    private long verifySegment(
        final Path dir, final long baseOffset, final boolean checkIndexes, final List<Corruption> damage)
        throws IOException
    {
        final Path logFile = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX));
        final List<long[]> batchBounds = new ArrayList<>();
        long expected = baseOffset;
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ))
        {
            iterator.reset(channel, 0, channel.size());
            while (iterator.next())
            {
                final RecordBatch batch = LogSegment.validatedBatch(iterator, validator);
                if (batch.baseOffset() != expected)
                {
                    throw new InvalidRecordBatchException(
                        "batch has base offset " + batch.baseOffset() + " where " + expected + " was expected");
                }
                if (checkIndexes)
                {
                    batchBounds.add(new long[]{ batch.lastOffset(), iterator.position() });
                }
                expected = batch.nextOffset();
                batches++;
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            damage.add(new Corruption(logFile, Math.max(iterator.position(), 0), ex.getMessage(), ""));
            return -1;
        }
        if (checkIndexes)
        {
            final Corruption indexDamage = verifyOffsetIndex(
                dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX)), baseOffset, batchBounds);
            if (indexDamage != null)
            {
                damage.add(indexDamage);
                return -1;
            }
        }
        return expected;
    }

    private static Corruption verifyOffsetIndex(final Path indexFile, final long baseOffset, final List<long[]> bounds)
        throws IOException
    {
        if (!Files.exists(indexFile))
        {
            return null;
        }
        final byte[] bytes = Files.readAllBytes(indexFile);
        if (bytes.length % OffsetIndex.ENTRY_SIZE != 0)
        {
            return new Corruption(indexFile, bytes.length - bytes.length % OffsetIndex.ENTRY_SIZE,
                "length " + bytes.length + " is not a whole number of " + OffsetIndex.ENTRY_SIZE + "-byte entries",
                "");
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int batch = 0;
        for (int entry = 0; entry < bytes.length / OffsetIndex.ENTRY_SIZE; entry++)
        {
            final long offset = baseOffset + buffer.getInt(entry * OffsetIndex.ENTRY_SIZE);
            final long position = buffer.getInt(entry * OffsetIndex.ENTRY_SIZE + 4);
            while (batch < bounds.size() && bounds.get(batch)[1] < position)
            {
                batch++;
            }
            if (batch == bounds.size() || bounds.get(batch)[1] != position || bounds.get(batch)[0] != offset)
            {
                return new Corruption(indexFile, (long)entry * OffsetIndex.ENTRY_SIZE,
                    "entry " + entry + " maps offset " + offset + " to position " + position +
                    ", where no batch ending at that offset starts", "");
            }
        }
        return null;
    }

    private static List<Long> segmentBaseOffsets(final Path dir) throws IOException
    {
        final List<Long> baseOffsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogSegment.LOG_SUFFIX))
        {
            for (final Path file : files)
            {
                final long baseOffset = LogSegment.parseBaseOffset(file.getFileName().toString(), LogSegment.LOG_SUFFIX);
                if (baseOffset >= 0)
                {
                    baseOffsets.add(baseOffset);
                }
            }
        }
        baseOffsets.sort(null);
        return baseOffsets;
    }
}
