package io.loglab.engine.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The process {@link CompactionSigkillTest} kills: appends batches whose content follows from their offsets, each
 * fsynced, and compacts and swaps between them, printing the durable end offset after each round of appends.
 */
public final class CompactingChild
{
    static final int RECORDS_PER_BATCH = 5;
    static final int KEYS = 37;
    static final long NOW = 1_700_000_000_000L;

    private CompactingChild()
    {
    }

    static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(512).retentionMs(-1).fileDeleteDelayMs(0)
            .flushPolicy(FlushPolicy.EVERY).cleanupPolicy(CleanupPolicy.COMPACT).minCleanableDirtyRatio(0.1);
    }

    static String key(final long offset)
    {
        return "k" + offset % KEYS;
    }

    static String value(final long offset)
    {
        return "v" + offset;
    }

    /** The batch at {@code baseOffset}: its records' keys and values follow from their offsets. */
    static ByteBuffer batch(final long baseOffset)
    {
        final String[] pairs = new String[2 * RECORDS_PER_BATCH];
        for (int i = 0; i < RECORDS_PER_BATCH; i++)
        {
            pairs[2 * i] = key(baseOffset + i);
            pairs[2 * i + 1] = value(baseOffset + i);
        }
        return LogCompactionTest.keyed(NOW, -1, 0, pairs);
    }

    public static void main(final String[] args) throws Exception
    {
        try (PartitionLog log = PartitionLog.open(Path.of(args[0]), config()))
        {
            final LogCompactor compactor = new LogCompactor(1 << 20);
            while (true)
            {
                for (int i = 0; i < 20; i++)
                {
                    final ByteBuffer batch = batch(log.logEndOffset());
                    log.append(new ByteBuffer[] { batch }, 0, 1, NOW);
                }
                System.out.println(log.durableEndOffset());
                System.out.flush();
                final LogCompactor.Cleanable cleanable = compactor.cleanable(log, LogCompactor.cleanedTo(log), NOW);
                if (cleanable != null && cleanable.dirtyRatio() >= log.config().minCleanableDirtyRatio())
                {
                    log.swapCompacted(compactor.compact(log, cleanable, NOW), NOW);
                }
            }
        }
    }
}
