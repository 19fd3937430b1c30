package io.loglab.latency.baseline;

/**
 * What a log keeps on disk of the bytes written to it: files of its segment size; the oldest removed while the rest
 * still hold its retention, as its retention removes segments; a removed file deleted only after its file delete
 * delay, as the engine defers deletion so readers finish. The disk baseline keeps the same, so it meets the kernel's
 * dirty-page limits exactly when the log did: a baseline that kept every byte met limits a log that deleted never
 * reached, and one that deleted at once never met those of a log whose deletions waited.
 *
 * @param segmentBytes       bytes a file takes before the next one starts, or {@link #UNLIMITED} for one file.
 * @param retentionBytes     bytes retention keeps, or {@link #UNLIMITED} for all.
 * @param deleteDelayNanos   how long a removed file stays on disk.
 */
public record LogFootprint(long segmentBytes, long retentionBytes, long deleteDelayNanos)
{
    /** No limit. */
    public static final long UNLIMITED = -1;

    /** One file that keeps every byte. */
    public static final LogFootprint KEEP_ALL = new LogFootprint(UNLIMITED, UNLIMITED, 0);

    public LogFootprint
    {
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
}
