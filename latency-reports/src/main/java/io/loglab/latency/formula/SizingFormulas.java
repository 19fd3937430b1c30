package io.loglab.latency.formula;

/**
 * The sizing formulas of the reference article (shared/reference/kafka-article.txt), in units that balance.
 * <p>
 * Throughput: the article writes {@code Max_Throughput = min(B * D / R, B * N / avg_message_size)}; its first term is
 * in bytes/s and its second in messages/s. In messages/s both terms divide by the message size:
 * {@code min(B * D / (R * s), B * N / s)}.
 * <p>
 * Lag and retention: the article requires {@code Total_Lag < Retention_bytes / avg_message_rate}, whose right side is
 * bytes x seconds / message, not messages. Retention is per partition and in bytes, so a consumer keeps its data while
 * {@code Lag(p) * s < retention.bytes} for every partition p, or, dividing by the partition's append rate,
 * while it is less than {@code retention.bytes / (s * rate(p))} seconds behind. Since the log deletes whole segments,
 * the bytes actually kept lie between retention.bytes and retention.bytes + segment.bytes.
 * <p>
 * Partitions: {@code count >= max(peak_throughput / per_partition_throughput, consumer_parallelism)}, rounded up.
 */
public final class SizingFormulas
{
    private SizingFormulas()
    {
    }

    /**
     * Upper bound on messages/s a cluster can take.
     *
     * @param brokers                B.
     * @param diskBytesPerSecond     D, per broker.
     * @param replicationFactor      R.
     * @param networkBytesPerSecond  N, per broker.
     * @param messageBytes           s: bytes a message takes on disk and on the wire.
     */
    public static double throughputBound(
        final int brokers,
        final double diskBytesPerSecond,
        final int replicationFactor,
        final double networkBytesPerSecond,
        final double messageBytes)
    {
        requirePositive(messageBytes, "message size");
        requirePositive(replicationFactor, "replication factor");
        return Math.min(
            brokers * diskBytesPerSecond / (replicationFactor * messageBytes),
            brokers * networkBytesPerSecond / messageBytes);
    }

    /**
     * How fast a partition's lag grows, in records/s: what is appended minus what is consumed.
     */
    public static double lagGrowthRate(final double appendRate, final double consumeRate)
    {
        return appendRate - consumeRate;
    }

    /**
     * The largest lag, in records, a partition can carry before retention deletes records its consumer has not read:
     * {@code retention.bytes / s}. Whole-segment deletion keeps up to a segment more.
     */
    public static double maxLagBeforeLoss(final long retentionBytes, final double messageBytes)
    {
        requirePositive(messageBytes, "message size");
        return retentionBytes / messageBytes;
    }

    /**
     * Seconds from an empty log and a caught-up consumer until retention first deletes records that consumer has not
     * read, for one partition appended at {@code appendRate} and consumed at {@code consumeRate} records/s.
     * <p>
     * The log deletes its oldest segment once the others still hold {@code retention.bytes} (B). With segments of S
     * bytes and records of s bytes, the k-th deletion comes when the log has taken {@code B + k*S} bytes, at
     * {@code t_k = (B + k*S) / (appendRate * s)}, and moves the log start to record {@code k*S/s}. The consumer, at
     * record {@code consumeRate * t_k}, has lost data at the first k where it is behind that:
     * {@code k > consumeRate * B / (S * (appendRate - consumeRate))}. For S much smaller than B this tends to
     * {@code B / (s * (appendRate - consumeRate))}: lag in bytes reaching retention.bytes.
     *
     * @return seconds, or {@code Double.POSITIVE_INFINITY} when the consumer keeps up.
     */
    public static double secondsUntilLoss(
        final long retentionBytes,
        final long segmentBytes,
        final double appendRate,
        final double consumeRate,
        final double messageBytes)
    {
        requirePositive(messageBytes, "message size");
        requirePositive(appendRate, "append rate");
        final double growth = lagGrowthRate(appendRate, consumeRate);
        if (growth <= 0)
        {
            return Double.POSITIVE_INFINITY;
        }
        final double firstLosingDeletion = Math.floor(consumeRate * retentionBytes / (segmentBytes * growth)) + 1;
        return (retentionBytes + firstLosingDeletion * segmentBytes) / (appendRate * messageBytes);
    }

    /**
     * Partitions needed for a peak load.
     */
    public static int partitionCount(
        final double peakThroughput, final double perPartitionThroughput, final int consumerParallelism)
    {
        requirePositive(perPartitionThroughput, "per-partition throughput");
        return (int)Math.max(Math.ceil(peakThroughput / perPartitionThroughput), consumerParallelism);
    }

    private static void requirePositive(final double value, final String what)
    {
        if (!(value > 0))
        {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
    }
}
