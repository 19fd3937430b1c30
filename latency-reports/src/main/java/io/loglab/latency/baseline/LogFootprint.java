package io.loglab.latency.baseline;

/**
 * What a topic's logs keep on disk of the bytes written to them: files of their segment size; the oldest removed
 * while the rest still hold the retention of every partition together, as retention removes segments; a removed
 * file deleted only after the file delete delay, as the engine defers deletion so readers finish. The disk baseline
 * keeps about the same in one sequence of files, so it meets the kernel's dirty-page limits when the logs did: a
 * baseline that kept every byte met limits logs that deleted never reached, and one that deleted at once never met
 * those of logs whose deletions waited. (One sequence is not N: logs whose partitions never fill a segment keep
 * more than their retention, the baseline does not.)
 *
 * @param partitions       how many logs the bytes were spread over.
 * @param segmentBytes     bytes a file takes before the next one starts, or {@link #UNLIMITED} for one file.
 * @param retentionBytes   bytes retention keeps of each log, or {@link #UNLIMITED} for all.
 * @param deleteDelayNanos how long a removed file stays on disk.
 */
public record LogFootprint(int partitions, long segmentBytes, long retentionBytes, long deleteDelayNanos)
{
    /** No limit. */
    public static final long UNLIMITED = -1;

    /** One file that keeps every byte. */
    public static final LogFootprint KEEP_ALL = new LogFootprint(1, UNLIMITED, UNLIMITED, 0);

    public LogFootprint
    {
        if (partitions < 1)
        {
            throw new IllegalArgumentException("a footprint is of at least one log: " + partitions);
        }
        if (segmentBytes == 0 || segmentBytes < UNLIMITED || retentionBytes == 0 || retentionBytes < UNLIMITED)
        {
            throw new IllegalArgumentException("segment bytes " + segmentBytes + " and retention bytes " +
                retentionBytes + " must be positive, or -1 for no limit");
        }
        if (deleteDelayNanos < 0)
        {
            throw new IllegalArgumentException("a file delete delay is not negative: " + deleteDelayNanos + " ns");
        }
    }

    /**
     * What retention keeps of all the logs together, or {@link #UNLIMITED}.
     */
    public long totalRetentionBytes()
    {
        return retentionBytes == UNLIMITED ? UNLIMITED : Math.multiplyExact(retentionBytes, (long)partitions);
    }
}
