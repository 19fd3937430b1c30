package io.loglab.latency.vskafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload of the side-by-side comparison, run unchanged against loglab's broker and Apache Kafka through
 * Kafka's Java client: a fresh topic, one producer, one consumer reading as it goes.
 *
 * @param rate            records/s, at a fixed schedule (latency measured from when each record was due, so
 *                        corrected for coordinated omission); 0 for as fast as the producer takes them.
 * @param acks            "0", "1" or "all"; "all" also turns idempotence on (Kafka's default), "0" and "1" off.
 * @param compression     none, gzip, lz4, zstd or snappy.
 * @param replicationFactor the topic's; with more than one, {@code min.insync.replicas} is 2.
 */
public record Workload(
    String name,
    int recordSize,
    long rate,
    int partitions,
    String acks,
    int batchBytes,
    int lingerMs,
    String compression,
    int durationSeconds,
    int warmupSeconds,
    int replicationFactor)
{
    /** Each value starts with the nanoTime it was due at, for end-to-end latency. */
    static final int TIMESTAMP_BYTES = Long.BYTES;

    public Workload
    {
        require(name != null && name.matches("[A-Za-z0-9._-]+"), "name", name);
        require(recordSize >= TIMESTAMP_BYTES, "record-size", recordSize);
        require(rate >= 0, "rate", rate);
        require(partitions >= 1, "partitions", partitions);
        require(List.of("0", "1", "all").contains(acks), "acks", acks);
        require(batchBytes >= 1, "batch-bytes", batchBytes);
        require(lingerMs >= 0, "linger-ms", lingerMs);
        require(List.of("none", "gzip", "lz4", "zstd", "snappy").contains(compression), "compression", compression);
        require(durationSeconds >= 1, "duration-seconds", durationSeconds);
        require(warmupSeconds >= 0, "warmup-seconds", warmupSeconds);
        require(replicationFactor >= 1, "replication-factor", replicationFactor);
    }

    /**
     * A workload on a topic of one replica.
     */
    public Workload(final String name, final int recordSize, final long rate, final int partitions, final String acks,
        final int batchBytes, final int lingerMs, final String compression, final int durationSeconds,
        final int warmupSeconds)
    {
        this(name, recordSize, rate, partitions, acks, batchBytes, lingerMs, compression, durationSeconds,
            warmupSeconds, 1);
    }

    /**
     * The topic's settings beyond the partition count and replication factor, by Kafka's names.
     */
    Map<String, String> topicSettings()
    {
        return replicationFactor > 1 ? Map.of("min.insync.replicas", "2") : Map.of();
    }

    private static void require(final boolean valid, final String field, final Object value)
    {
        if (!valid)
        {
            throw new IllegalArgumentException("workload " + field + "=" + value + " is not valid");
        }
    }

    boolean idempotent()
    {
        return acks.equals("all");
    }

    /**
     * The producer settings both systems get, by Kafka's names.
     */
    Map<String, String> producerSettings()
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("acks", acks);
        settings.put("enable.idempotence", Boolean.toString(idempotent()));
        settings.put("batch.size", Integer.toString(batchBytes));
        settings.put("linger.ms", Integer.toString(lingerMs));
        settings.put("compression.type", compression);
        settings.put("max.in.flight.requests.per.connection", "5");
        settings.put("buffer.memory", Integer.toString(64 * 1024 * 1024));
        return settings;
    }

    /**
     * The ratio loglab/Kafka of produce throughput the issue asks for: twice Kafka's with replication and acks=all
     * (each system's three brokers on the same machine), at least Kafka's otherwise.
     */
    double throughputTarget()
    {
        return replicationFactor > 1 && acks.equals("all") ? 2.0 : 1.0;
    }

    /**
     * The workloads of suite {@code name}: {@code single} ({@link #suite}) or {@code cluster} ({@link #clusterSuite}).
     *
     * @throws IllegalArgumentException for another name.
     */
    public static List<Workload> suite(final String name, final boolean quick)
    {
        return switch (name)
        {
            case "single" -> suite(quick);
            case "cluster" -> clusterSuite(quick);
            default -> throw new IllegalArgumentException("suite " + name + " is not single or cluster");
        };
    }

    /**
     * Workloads for three brokers: replication factor 1 and 3 at 50,000 records/s with acks=all, and replication
     * factor 3 at full speed with acks 1 and all; 3 partitions, {@code min.insync.replicas} 2 at replication factor 3.
     */
    public static List<Workload> clusterSuite(final boolean quick)
    {
        final int duration = quick ? 4 : 15;
        final int warmup = quick ? 2 : 5;
        return List.of(
            new Workload("rate-50k-100B-acksall-rf1", 100, 50_000, 3, "all", 16 * 1024, 1, "none", duration, warmup,
                1),
            new Workload("rate-50k-100B-acksall-rf3", 100, 50_000, 3, "all", 16 * 1024, 1, "none", duration, warmup,
                3),
            new Workload("max-100B-acks1-rf3", 100, 0, 3, "1", 64 * 1024, 5, "none", duration, warmup, 3),
            new Workload("max-100B-acksall-rf3", 100, 0, 3, "all", 64 * 1024, 5, "none", duration, warmup, 3));
    }

    /**
     * The comparison's workloads: produce throughput for 100 B and 1 KiB records at acks=1 and acks=all, then
     * fixed-rate latency at acks=all; {@code quick} runs each for a few seconds, for a first look.
     */
    public static List<Workload> suite(final boolean quick)
    {
        final int duration = quick ? 4 : 15;
        final int warmup = quick ? 2 : 5;
        return List.of(
            new Workload("max-100B-acks1", 100, 0, 1, "1", 64 * 1024, 5, "none", duration, warmup),
            new Workload("max-100B-acksall", 100, 0, 1, "all", 64 * 1024, 5, "none", duration, warmup),
            new Workload("max-1KiB-acks1", 1024, 0, 1, "1", 64 * 1024, 5, "none", duration, warmup),
            new Workload("max-1KiB-acksall", 1024, 0, 1, "all", 64 * 1024, 5, "none", duration, warmup),
            new Workload("rate-20k-100B-acksall", 100, 20_000, 3, "all", 16 * 1024, 0, "none", duration, warmup),
            new Workload("rate-100k-100B-acksall", 100, 100_000, 3, "all", 64 * 1024, 1, "none", duration, warmup));
    }
}
