package io.loglab.engine.log;

import java.util.Locale;
import java.util.Properties;

/**
 * Settings of one partition log, kept per topic. A Context in the Aeron style: property name and default side by
 * side, fluent setters, and {@link #conclude()} to check them together and name the bad one.
 * Persisted as properties under the names below, which match Kafka's topic configs where Kafka has one.
 */
public final class LogConfig
{
    public static final String SEGMENT_BYTES_PROP = "segment.bytes";
    public static final int SEGMENT_BYTES_DEFAULT = 1024 * 1024 * 1024;

    public static final String SEGMENT_MS_PROP = "segment.ms";
    public static final long SEGMENT_MS_DEFAULT = 7L * 24 * 60 * 60 * 1000;

    public static final String RETENTION_MS_PROP = "retention.ms";
    /** -1: keep forever. */
    public static final long RETENTION_MS_DEFAULT = 7L * 24 * 60 * 60 * 1000;

    public static final String RETENTION_BYTES_PROP = "retention.bytes";
    /** -1: no size limit. */
    public static final long RETENTION_BYTES_DEFAULT = -1;

    public static final String FLUSH_POLICY_PROP = "flush.policy";
    public static final FlushPolicy FLUSH_POLICY_DEFAULT = FlushPolicy.OS;

    public static final String FLUSH_INTERVAL_MS_PROP = "flush.interval.ms";
    public static final long FLUSH_INTERVAL_MS_DEFAULT = 1000;

    public static final String INDEX_INTERVAL_BYTES_PROP = "index.interval.bytes";
    public static final int INDEX_INTERVAL_BYTES_DEFAULT = 4096;

    public static final String SEGMENT_INDEX_BYTES_PROP = "segment.index.bytes";
    public static final int SEGMENT_INDEX_BYTES_DEFAULT = 10 * 1024 * 1024;

    public static final String MAX_MESSAGE_BYTES_PROP = "max.message.bytes";
    /** Kafka's default: 1 MiB of records plus a batch header. */
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 1024 * 1024 + 12;

    public static final String FILE_DELETE_DELAY_MS_PROP = "file.delete.delay.ms";
    public static final long FILE_DELETE_DELAY_MS_DEFAULT = 60_000;

    private int segmentBytes = SEGMENT_BYTES_DEFAULT;
    private long segmentMs = SEGMENT_MS_DEFAULT;
    private long retentionMs = RETENTION_MS_DEFAULT;
    private long retentionBytes = RETENTION_BYTES_DEFAULT;
    private FlushPolicy flushPolicy = FLUSH_POLICY_DEFAULT;
    private long flushIntervalMs = FLUSH_INTERVAL_MS_DEFAULT;
    private int indexIntervalBytes = INDEX_INTERVAL_BYTES_DEFAULT;
    private int segmentIndexBytes = SEGMENT_INDEX_BYTES_DEFAULT;
    private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
    private long fileDeleteDelayMs = FILE_DELETE_DELAY_MS_DEFAULT;

    /**
     * Check the settings together.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting and why.
     */
    public LogConfig conclude()
    {
        require(segmentBytes >= 1024, SEGMENT_BYTES_PROP, segmentBytes, "must be at least 1024");
        require(segmentMs > 0, SEGMENT_MS_PROP, segmentMs, "must be positive");
        require(retentionMs == -1 || retentionMs > 0, RETENTION_MS_PROP, retentionMs, "must be positive, or -1");
        require(retentionBytes == -1 || retentionBytes > 0, RETENTION_BYTES_PROP, retentionBytes,
            "must be positive, or -1");
        require(flushIntervalMs > 0, FLUSH_INTERVAL_MS_PROP, flushIntervalMs, "must be positive");
        require(indexIntervalBytes > 0, INDEX_INTERVAL_BYTES_PROP, indexIntervalBytes, "must be positive");
        require(segmentIndexBytes >= TimeIndex.ENTRY_SIZE * 2, SEGMENT_INDEX_BYTES_PROP, segmentIndexBytes,
            "must hold at least two time index entries (" + TimeIndex.ENTRY_SIZE * 2 + " bytes)");
        require(maxMessageBytes > 0, MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "must be positive");
        require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS_PROP, fileDeleteDelayMs, "must not be negative");
        return this;
    }

    private static void require(final boolean condition, final String name, final Object value, final String rule)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(name + "=" + value + ": " + rule);
        }
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    public LogConfig segmentBytes(final int segmentBytes)
    {
        this.segmentBytes = segmentBytes;
        return this;
    }

    public long segmentMs()
    {
        return segmentMs;
    }

    public LogConfig segmentMs(final long segmentMs)
    {
        this.segmentMs = segmentMs;
        return this;
    }

    public long retentionMs()
    {
        return retentionMs;
    }

    public LogConfig retentionMs(final long retentionMs)
    {
        this.retentionMs = retentionMs;
        return this;
    }

    public long retentionBytes()
    {
        return retentionBytes;
    }

    public LogConfig retentionBytes(final long retentionBytes)
    {
        this.retentionBytes = retentionBytes;
        return this;
    }

    public FlushPolicy flushPolicy()
    {
        return flushPolicy;
    }

    public LogConfig flushPolicy(final FlushPolicy flushPolicy)
    {
        this.flushPolicy = flushPolicy;
        return this;
    }

    public long flushIntervalMs()
    {
        return flushIntervalMs;
    }

    public LogConfig flushIntervalMs(final long flushIntervalMs)
    {
        this.flushIntervalMs = flushIntervalMs;
        return this;
    }

    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    public LogConfig indexIntervalBytes(final int indexIntervalBytes)
    {
        this.indexIntervalBytes = indexIntervalBytes;
        return this;
    }

    public int segmentIndexBytes()
    {
        return segmentIndexBytes;
    }

    public LogConfig segmentIndexBytes(final int segmentIndexBytes)
    {
        this.segmentIndexBytes = segmentIndexBytes;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public LogConfig maxMessageBytes(final int maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public long fileDeleteDelayMs()
    {
        return fileDeleteDelayMs;
    }

    public LogConfig fileDeleteDelayMs(final long fileDeleteDelayMs)
    {
        this.fileDeleteDelayMs = fileDeleteDelayMs;
        return this;
    }

    /**
     * Parse a flush policy as the CLI and properties spell it: {@code every}, {@code os} or {@code interval:MS}.
     *
     * @throws IllegalArgumentException naming the accepted forms.
     */
    public LogConfig flush(final String spec)
    {
        final String lower = spec.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("every"))
        {
            return flushPolicy(FlushPolicy.EVERY);
        }
        if (lower.equals("os"))
        {
            return flushPolicy(FlushPolicy.OS);
        }
        if (lower.startsWith("interval:"))
        {
            final long interval = parseLong(FLUSH_POLICY_PROP, lower.substring("interval:".length()));
            return flushPolicy(FlushPolicy.INTERVAL).flushIntervalMs(interval);
        }
        throw new IllegalArgumentException(
            FLUSH_POLICY_PROP + "=" + spec + ": expected every, os or interval:MS");
    }

    /**
     * The flush policy in the form {@link #flush(String)} reads.
     */
    public String flushSpec()
    {
        return flushPolicy == FlushPolicy.INTERVAL ?
            "interval:" + flushIntervalMs : flushPolicy.name().toLowerCase(Locale.ROOT);
    }

    public Properties toProperties()
    {
        final Properties properties = new Properties();
        properties.setProperty(SEGMENT_BYTES_PROP, Integer.toString(segmentBytes));
        properties.setProperty(SEGMENT_MS_PROP, Long.toString(segmentMs));
        properties.setProperty(RETENTION_MS_PROP, Long.toString(retentionMs));
        properties.setProperty(RETENTION_BYTES_PROP, Long.toString(retentionBytes));
        properties.setProperty(FLUSH_POLICY_PROP, flushSpec());
        properties.setProperty(INDEX_INTERVAL_BYTES_PROP, Integer.toString(indexIntervalBytes));
        properties.setProperty(SEGMENT_INDEX_BYTES_PROP, Integer.toString(segmentIndexBytes));
        properties.setProperty(MAX_MESSAGE_BYTES_PROP, Integer.toString(maxMessageBytes));
        properties.setProperty(FILE_DELETE_DELAY_MS_PROP, Long.toString(fileDeleteDelayMs));
        return properties;
    }

    /**
     * Read settings written by {@link #toProperties()}; absent ones keep their defaults.
     *
     * @throws IllegalArgumentException naming a value that does not parse or fails {@link #conclude()}.
     */
    public static LogConfig fromProperties(final Properties properties)
    {
        final LogConfig config = new LogConfig();
        for (final String name : properties.stringPropertyNames())
        {
            final String value = properties.getProperty(name);
            switch (name)
            {
                case SEGMENT_BYTES_PROP -> config.segmentBytes(parseInt(name, value));
                case SEGMENT_MS_PROP -> config.segmentMs(parseLong(name, value));
                case RETENTION_MS_PROP -> config.retentionMs(parseLong(name, value));
                case RETENTION_BYTES_PROP -> config.retentionBytes(parseLong(name, value));
                case FLUSH_POLICY_PROP -> config.flush(value);
                case FLUSH_INTERVAL_MS_PROP -> config.flushIntervalMs(parseLong(name, value));
                case INDEX_INTERVAL_BYTES_PROP -> config.indexIntervalBytes(parseInt(name, value));
                case SEGMENT_INDEX_BYTES_PROP -> config.segmentIndexBytes(parseInt(name, value));
                case MAX_MESSAGE_BYTES_PROP -> config.maxMessageBytes(parseInt(name, value));
                case FILE_DELETE_DELAY_MS_PROP -> config.fileDeleteDelayMs(parseLong(name, value));
                default -> throw new IllegalArgumentException("unknown log setting " + name + "=" + value);
            }
        }
        return config.conclude();
    }

    private static int parseInt(final String name, final String value)
    {
        final long parsed = parseLong(name, value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(name + "=" + value + ": must fit in 32 bits");
        }
        return (int)parsed;
    }

    private static long parseLong(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + ": not a whole number");
        }
    }

    @Override
    public String toString()
    {
        return "LogConfig" + toProperties();
    }
}
