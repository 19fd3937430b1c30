package io.loglab.latency.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.topic.LogManagerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One load configuration: what the harness runs against a fresh embedded engine. Read from properties whose names
 * are the record components in kebab case ({@code record-size=100}); absent ones take the defaults below.
 *
 * @param name                  unique within a suite; results and files are named after it.
 * @param recordSize            value bytes per record (a record also carries an 8-byte send timestamp in its value).
 * @param rate                  target records/s over all producers; 0 runs closed-loop at the maximum.
 * @param partitions            partitions of the topic.
 * @param producers             producer threads; partitions are spread over them.
 * @param consumers             consumer threads; partitions are spread over them. 0 for none.
 * @param consumerRate          records/s each consumer is throttled to; 0 for unthrottled.
 * @param batchBytes            a producer sends a partition's batch when the next record would not fit.
 * @param lingerMs              ...or when its first record has waited this long (0: send at once in open loop).
 * @param flush                 every, interval:MS or os.
 * @param durationSeconds       measured time, after warm-up.
 * @param warmupSeconds         time run first and excluded from every result.
 * @param segmentBytes          segment size of the topic.
 * @param retentionBytes        per partition, -1 for none.
 * @param retentionCheckMs      how often the writer applies retention.
 * @param writerThreads         the engine's writer threads ({@link LogManagerContext#writerThreads(int)}): 0 for one
 *                              per partition, {@link #WRITER_THREADS_DEFAULT} (spelt {@code default}) for the
 *                              engine's own default.
 * <p>
 * In summary.json a configuration is written as its settings ({@link #toMap()}), the same spelling as suite files,
 * and read back through {@link #with}, so a summary written before a setting existed reads with its default.
 */
public record RunConfig(
    String name,
    int recordSize,
    long rate,
    int partitions,
    int producers,
    int consumers,
    long consumerRate,
    int batchBytes,
    long lingerMs,
    FlushPolicy flush,
    int durationSeconds,
    int warmupSeconds,
    int segmentBytes,
    long retentionBytes,
    long retentionCheckMs,
    int writerThreads)
{
    /** {@link #writerThreads()}: leave the engine's default ({@link LogManagerContext}) alone. */
    public static final int WRITER_THREADS_DEFAULT = -1;
    /** How {@link #WRITER_THREADS_DEFAULT} is spelt in suite files and summaries. */
    public static final String DEFAULT_SPELLING = "default";
    /** Hex digits of {@link #hash()}: 32 bits, plenty to tell a suite's configurations apart. */
    public static final int HASH_HEX_DIGITS = 8;

    public static final RunConfig DEFAULTS = new RunConfig(
        "default", 100, 0, 1, 1, 1, 0, 64 * 1024, 1, FlushPolicy.OS, 10, 3, 256 * 1024 * 1024, -1, 1000,
        WRITER_THREADS_DEFAULT);

    public RunConfig
    {
        require(name != null && name.matches("[A-Za-z0-9._=-]+"), "name", name, "letters, digits, . _ = - only");
        require(recordSize >= 0, "record-size", recordSize, "must not be negative");
        require(rate >= 0, "rate", rate, "must not be negative (0 = closed loop)");
        require(partitions >= 1, "partitions", partitions, "must be at least 1");
        require(producers >= 1, "producers", producers, "must be at least 1");
        require(consumers >= 0, "consumers", consumers, "must not be negative");
        require(consumerRate >= 0, "consumer-rate", consumerRate, "must not be negative (0 = unthrottled)");
        require(batchBytes >= 128, "batch-bytes", batchBytes, "must be at least 128");
        require(lingerMs >= 0, "linger-ms", lingerMs, "must not be negative");
        require(flush != null, "flush", null, "must be every, os or interval:MS");
        require(durationSeconds >= 1, "duration-seconds", durationSeconds, "must be at least 1");
        require(warmupSeconds >= 0, "warmup-seconds", warmupSeconds, "must not be negative");
        require(segmentBytes >= 1024, "segment-bytes", segmentBytes, "must be at least 1024");
        require(retentionBytes == -1 || retentionBytes > 0, "retention-bytes", retentionBytes,
            "must be positive, or -1");
        require(retentionCheckMs >= 1, "retention-check-ms", retentionCheckMs, "must be at least 1");
        require(writerThreads >= WRITER_THREADS_DEFAULT, "writer-threads", writerThreads,
            "must be 0 (one per partition), a positive count, or " + DEFAULT_SPELLING);
    }

    private static void require(final boolean condition, final String key, final Object value, final String rule)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(key + "=" + value + ": " + rule);
        }
    }

    public boolean isOpenLoop()
    {
        return rate > 0;
    }

    /**
     * Bytes one record takes in the log's batches (value, timestamp prefix, and record framing of about 8 bytes),
     * for formulas that need an average message size before a run has measured one.
     */
    public int valueBytes()
    {
        return Math.max(recordSize, Long.BYTES);
    }

    /**
     * A short hash of the canonical configuration: SHA-256 over every setting but the name, sorted by key, one
     * {@code key=value\n} line each in the spelling of {@link #toMap()}, as its first {@link #HASH_HEX_DIGITS} hex
     * digits. The same settings give the same hash whatever the run is called or however a value was written
     * ({@code 100_000} or {@code 100000}); any changed setting gives another. Adding a setting changes every hash.
     */
    public String hash()
    {
        final StringBuilder canonical = new StringBuilder();
        final Map<String, String> sorted = new TreeMap<>(toMap());
        sorted.remove("name");
        sorted.forEach((key, value) -> canonical.append(key).append('=').append(value).append('\n'));
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, HASH_HEX_DIGITS / 2);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }

    /**
     * The writer-thread count this configuration gives the engine's {@link LogManagerContext}, unless it leaves
     * the default.
     */
    public LogManagerContext applyTo(final LogManagerContext context)
    {
        return writerThreads == WRITER_THREADS_DEFAULT ? context : context.writerThreads(writerThreads);
    }

    /**
     * {@link #writerThreads()} as suite files spell it: a count, or {@value #DEFAULT_SPELLING}.
     */
    public String writerThreadsSetting()
    {
        return writerThreads == WRITER_THREADS_DEFAULT ? DEFAULT_SPELLING : Integer.toString(writerThreads);
    }

    /**
     * Read a configuration from its settings as summary.json holds them; absent ones take the defaults.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RunConfig fromSettings(final Map<String, String> settings)
    {
        return DEFAULTS.with(settings);
    }

    /**
     * A copy with settings from {@code properties} (kebab-case keys) laid over this one.
     *
     * @throws IllegalArgumentException naming an unknown key or a bad value.
     */
    public RunConfig with(final Map<String, String> properties)
    {
        final Map<String, String> values = toMap();
        for (final Map.Entry<String, String> entry : properties.entrySet())
        {
            final String key = entry.getKey().trim().toLowerCase(Locale.ROOT);
            if (!values.containsKey(key))
            {
                throw new IllegalArgumentException(
                    "unknown setting '" + entry.getKey() + "'; known: " + String.join(", ", values.keySet()));
            }
            values.put(key, entry.getValue().trim());
        }
        return fromMap(values);
    }

    public RunConfig withName(final String newName)
    {
        return with(Map.of("name", newName));
    }

    /**
     * Every setting by its property name, in a stable order: the canonical form, and summary.json's.
     */
    @JsonValue
    public Map<String, String> toMap()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("record-size", Integer.toString(recordSize));
        map.put("rate", Long.toString(rate));
        map.put("partitions", Integer.toString(partitions));
        map.put("producers", Integer.toString(producers));
        map.put("consumers", Integer.toString(consumers));
        map.put("consumer-rate", Long.toString(consumerRate));
        map.put("batch-bytes", Integer.toString(batchBytes));
        map.put("linger-ms", Long.toString(lingerMs));
        map.put("flush", flush.toString());
        map.put("duration-seconds", Integer.toString(durationSeconds));
        map.put("warmup-seconds", Integer.toString(warmupSeconds));
        map.put("segment-bytes", Integer.toString(segmentBytes));
        map.put("retention-bytes", Long.toString(retentionBytes));
        map.put("retention-check-ms", Long.toString(retentionCheckMs));
        map.put("writer-threads", writerThreadsSetting());
        return map;
    }

    private static RunConfig fromMap(final Map<String, String> map)
    {
        return new RunConfig(
            map.get("name"),
            parseInt(map, "record-size"),
            parseLong(map, "rate"),
            parseInt(map, "partitions"),
            parseInt(map, "producers"),
            parseInt(map, "consumers"),
            parseLong(map, "consumer-rate"),
            parseInt(map, "batch-bytes"),
            parseLong(map, "linger-ms"),
            parseFlush(map),
            parseInt(map, "duration-seconds"),
            parseInt(map, "warmup-seconds"),
            parseInt(map, "segment-bytes"),
            parseLong(map, "retention-bytes"),
            parseLong(map, "retention-check-ms"),
            parseWriterThreads(map));
    }

    public Properties toProperties()
    {
        final Properties properties = new Properties();
        toMap().forEach(properties::setProperty);
        return properties;
    }

    private static FlushPolicy parseFlush(final Map<String, String> map)
    {
        try
        {
            return FlushPolicy.parse(map.get("flush"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("flush=" + map.get("flush") + ": " + ex.getMessage());
        }
    }

    private static int parseWriterThreads(final Map<String, String> map)
    {
        return DEFAULT_SPELLING.equalsIgnoreCase(map.get("writer-threads")) ? WRITER_THREADS_DEFAULT :
            parseInt(map, "writer-threads");
    }

    private static int parseInt(final Map<String, String> map, final String key)
    {
        final long value = parseLong(map, key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(key + "=" + map.get(key) + ": too large");
        }
        return (int)value;
    }

    private static long parseLong(final Map<String, String> map, final String key)
    {
        final String text = map.get(key).replace("_", "");
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + "=" + map.get(key) + ": not a whole number");
        }
    }
}
