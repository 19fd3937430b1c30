package io.loglab.engine.log;

import java.util.Properties;
import java.util.Set;

/**
 * Settings of one partition log, kept per topic. A Context in the Aeron style: property name and default side by
 * side, fluent setters, and {@link #conclude()} to check them together and name the bad one. Concluded once: after
 * {@link #conclude()} the settings are read-only (a setter throws), so one concluded config is safe to share between
 * threads and logs. Persisted as properties under the names below, which match Kafka's topic configs where Kafka has
 * one.
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

    public static final String INDEX_INTERVAL_BYTES_PROP = "index.interval.bytes";
    public static final int INDEX_INTERVAL_BYTES_DEFAULT = 4096;

    public static final String SEGMENT_INDEX_BYTES_PROP = "segment.index.bytes";
    public static final int SEGMENT_INDEX_BYTES_DEFAULT = 10 * 1024 * 1024;

    public static final String MAX_MESSAGE_BYTES_PROP = "max.message.bytes";
    /** Kafka's default: 1 MiB of records plus a batch header. */
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 1024 * 1024 + 12;

    public static final String FILE_DELETE_DELAY_MS_PROP = "file.delete.delay.ms";
    public static final long FILE_DELETE_DELAY_MS_DEFAULT = 60_000;

    public static final String CLEANUP_POLICY_PROP = "cleanup.policy";
    public static final CleanupPolicy CLEANUP_POLICY_DEFAULT = CleanupPolicy.DELETE;

    public static final String DELETE_RETENTION_MS_PROP = "delete.retention.ms";
    /** How long a compacted log keeps a tombstone after its timestamp, so a reader that is behind still sees it. */
    public static final long DELETE_RETENTION_MS_DEFAULT = 24L * 60 * 60 * 1000;

    public static final String MIN_CLEANABLE_DIRTY_RATIO_PROP = "min.cleanable.dirty.ratio";
    public static final double MIN_CLEANABLE_DIRTY_RATIO_DEFAULT = 0.5;

    public static final String MIN_COMPACTION_LAG_MS_PROP = "min.compaction.lag.ms";
    public static final long MIN_COMPACTION_LAG_MS_DEFAULT = 0;

    /**
     * The settings added with compaction: a topic's metadata written before them lacks them, and they take their
     * defaults (the log deletes by retention, as it did).
     */
    public static final Set<String> OPTIONAL_PROPS = Set.of(CLEANUP_POLICY_PROP,
        DELETE_RETENTION_MS_PROP, MIN_CLEANABLE_DIRTY_RATIO_PROP, MIN_COMPACTION_LAG_MS_PROP);

    private int segmentBytes = SEGMENT_BYTES_DEFAULT;
    private long segmentMs = SEGMENT_MS_DEFAULT;
    private long retentionMs = RETENTION_MS_DEFAULT;
    private long retentionBytes = RETENTION_BYTES_DEFAULT;
    private FlushPolicy flushPolicy = FLUSH_POLICY_DEFAULT;
    private int indexIntervalBytes = INDEX_INTERVAL_BYTES_DEFAULT;
    private int segmentIndexBytes = SEGMENT_INDEX_BYTES_DEFAULT;
    private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
    private long fileDeleteDelayMs = FILE_DELETE_DELAY_MS_DEFAULT;
    private CleanupPolicy cleanupPolicy = CLEANUP_POLICY_DEFAULT;
    private long deleteRetentionMs = DELETE_RETENTION_MS_DEFAULT;
    private double minCleanableDirtyRatio = MIN_CLEANABLE_DIRTY_RATIO_DEFAULT;
    private long minCompactionLagMs = MIN_COMPACTION_LAG_MS_DEFAULT;
    /** Set once by {@link #conclude()}, before the config is shared; never cleared. */
    private boolean concluded;

    /**
     * Check the settings together and freeze them.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting and why.
     * @throws IllegalStateException    if already concluded.
     */
    public LogConfig conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("LogConfig is already concluded");
        }
        require(segmentBytes >= 1024, SEGMENT_BYTES_PROP, segmentBytes, "must be at least 1024");
        require(segmentMs > 0, SEGMENT_MS_PROP, segmentMs, "must be positive");
        require(retentionMs == -1 || retentionMs > 0, RETENTION_MS_PROP, retentionMs, "must be positive, or -1");
        require(retentionBytes == -1 || retentionBytes > 0, RETENTION_BYTES_PROP, retentionBytes,
            "must be positive, or -1");
        require(flushPolicy != null, FLUSH_POLICY_PROP, null, "must be set");
        require(indexIntervalBytes > 0, INDEX_INTERVAL_BYTES_PROP, indexIntervalBytes, "must be positive");
        require(segmentIndexBytes >= TimeIndex.ENTRY_SIZE * 2, SEGMENT_INDEX_BYTES_PROP, segmentIndexBytes,
            "must hold at least two time index entries (" + TimeIndex.ENTRY_SIZE * 2 + " bytes)");
        require(maxMessageBytes > 0, MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "must be positive");
        require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS_PROP, fileDeleteDelayMs, "must not be negative");
        require(cleanupPolicy != null, CLEANUP_POLICY_PROP, null, "must be set");
        require(deleteRetentionMs >= 0, DELETE_RETENTION_MS_PROP, deleteRetentionMs, "must not be negative");
        require(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1, MIN_CLEANABLE_DIRTY_RATIO_PROP,
            minCleanableDirtyRatio, "must be between 0 and 1");
        require(minCompactionLagMs >= 0, MIN_COMPACTION_LAG_MS_PROP, minCompactionLagMs, "must not be negative");
        concluded = true;
        return this;
    }

    /**
     * True once {@link #conclude()} has checked and frozen the settings.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * This config, concluded if it was not yet: what the engine calls on a config it is handed, after which the
     * caller can no longer change it under the engine.
     */
    public LogConfig concludedIfNeeded()
    {
        return concluded ? this : conclude();
    }

    private LogConfig mutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("LogConfig is concluded and can no longer change");
        }
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
        mutable().segmentBytes = segmentBytes;
        return this;
    }

    public long segmentMs()
    {
        return segmentMs;
    }

    public LogConfig segmentMs(final long segmentMs)
    {
        mutable().segmentMs = segmentMs;
        return this;
    }

    public long retentionMs()
    {
        return retentionMs;
    }

    public LogConfig retentionMs(final long retentionMs)
    {
        mutable().retentionMs = retentionMs;
        return this;
    }

    public long retentionBytes()
    {
        return retentionBytes;
    }

    public LogConfig retentionBytes(final long retentionBytes)
    {
        mutable().retentionBytes = retentionBytes;
        return this;
    }

    public FlushPolicy flushPolicy()
    {
        return flushPolicy;
    }

    public LogConfig flushPolicy(final FlushPolicy flushPolicy)
    {
        mutable().flushPolicy = flushPolicy;
        return this;
    }

    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    public LogConfig indexIntervalBytes(final int indexIntervalBytes)
    {
        mutable().indexIntervalBytes = indexIntervalBytes;
        return this;
    }

    public int segmentIndexBytes()
    {
        return segmentIndexBytes;
    }

    public LogConfig segmentIndexBytes(final int segmentIndexBytes)
    {
        mutable().segmentIndexBytes = segmentIndexBytes;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public LogConfig maxMessageBytes(final int maxMessageBytes)
    {
        mutable().maxMessageBytes = maxMessageBytes;
        return this;
    }

    public long fileDeleteDelayMs()
    {
        return fileDeleteDelayMs;
    }

    public LogConfig fileDeleteDelayMs(final long fileDeleteDelayMs)
    {
        mutable().fileDeleteDelayMs = fileDeleteDelayMs;
        return this;
    }

    public CleanupPolicy cleanupPolicy()
    {
        return cleanupPolicy;
    }

    public LogConfig cleanupPolicy(final CleanupPolicy cleanupPolicy)
    {
        mutable().cleanupPolicy = cleanupPolicy;
        return this;
    }

    public long deleteRetentionMs()
    {
        return deleteRetentionMs;
    }

    public LogConfig deleteRetentionMs(final long deleteRetentionMs)
    {
        mutable().deleteRetentionMs = deleteRetentionMs;
        return this;
    }

    public double minCleanableDirtyRatio()
    {
        return minCleanableDirtyRatio;
    }

    public LogConfig minCleanableDirtyRatio(final double minCleanableDirtyRatio)
    {
        mutable().minCleanableDirtyRatio = minCleanableDirtyRatio;
        return this;
    }

    public long minCompactionLagMs()
    {
        return minCompactionLagMs;
    }

    public LogConfig minCompactionLagMs(final long minCompactionLagMs)
    {
        mutable().minCompactionLagMs = minCompactionLagMs;
        return this;
    }

    /**
     * The flush policy as the CLI and properties spell it ({@link FlushPolicy#parse}).
     *
     * @throws IllegalArgumentException naming the accepted forms.
     */
    public LogConfig flush(final String spec)
    {
        return flushPolicy(FlushPolicy.parse(spec));
    }

    public Properties toProperties()
    {
        final Properties properties = new Properties();
        properties.setProperty(SEGMENT_BYTES_PROP, Integer.toString(segmentBytes));
        properties.setProperty(SEGMENT_MS_PROP, Long.toString(segmentMs));
        properties.setProperty(RETENTION_MS_PROP, Long.toString(retentionMs));
        properties.setProperty(RETENTION_BYTES_PROP, Long.toString(retentionBytes));
        properties.setProperty(FLUSH_POLICY_PROP, flushPolicy.toString());
        properties.setProperty(INDEX_INTERVAL_BYTES_PROP, Integer.toString(indexIntervalBytes));
        properties.setProperty(SEGMENT_INDEX_BYTES_PROP, Integer.toString(segmentIndexBytes));
        properties.setProperty(MAX_MESSAGE_BYTES_PROP, Integer.toString(maxMessageBytes));
        properties.setProperty(FILE_DELETE_DELAY_MS_PROP, Long.toString(fileDeleteDelayMs));
        properties.setProperty(CLEANUP_POLICY_PROP, cleanupPolicy.toString());
        properties.setProperty(DELETE_RETENTION_MS_PROP, Long.toString(deleteRetentionMs));
        properties.setProperty(MIN_CLEANABLE_DIRTY_RATIO_PROP, Double.toString(minCleanableDirtyRatio));
        properties.setProperty(MIN_COMPACTION_LAG_MS_PROP, Long.toString(minCompactionLagMs));
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
                case FLUSH_POLICY_PROP -> config.flushPolicy(parseFlush(value));
                case INDEX_INTERVAL_BYTES_PROP -> config.indexIntervalBytes(parseInt(name, value));
                case SEGMENT_INDEX_BYTES_PROP -> config.segmentIndexBytes(parseInt(name, value));
                case MAX_MESSAGE_BYTES_PROP -> config.maxMessageBytes(parseInt(name, value));
                case FILE_DELETE_DELAY_MS_PROP -> config.fileDeleteDelayMs(parseLong(name, value));
                case CLEANUP_POLICY_PROP -> config.cleanupPolicy(parseCleanupPolicy(value));
                case DELETE_RETENTION_MS_PROP -> config.deleteRetentionMs(parseLong(name, value));
                case MIN_CLEANABLE_DIRTY_RATIO_PROP -> config.minCleanableDirtyRatio(parseRatio(name, value));
                case MIN_COMPACTION_LAG_MS_PROP -> config.minCompactionLagMs(parseLong(name, value));
                default -> throw new IllegalArgumentException("unknown log setting " + name + "=" + value);
            }
        }
        return config.conclude();
    }

    private static FlushPolicy parseFlush(final String value)
    {
        try
        {
            return FlushPolicy.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(FLUSH_POLICY_PROP + "=" + value + ": " + ex.getMessage());
        }
    }

    private static CleanupPolicy parseCleanupPolicy(final String value)
    {
        try
        {
            return CleanupPolicy.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(CLEANUP_POLICY_PROP + "=" + value + ": " + ex.getMessage());
        }
    }

    private static double parseRatio(final String name, final String value)
    {
        try
        {
            return Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + ": not a number");
        }
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
