package io.loglab.broker.group;

import java.util.List;
import java.util.Properties;

/**
 * The coordinator's settings, with Kafka's names and defaults.
 */
public final class GroupConfig
{

    public static final String MIN_SESSION_TIMEOUT_MS_PROP = "group.min.session.timeout.ms";
    public static final int MIN_SESSION_TIMEOUT_MS_DEFAULT = 6000;
    public static final String MAX_SESSION_TIMEOUT_MS_PROP = "group.max.session.timeout.ms";
    public static final int MAX_SESSION_TIMEOUT_MS_DEFAULT = 1_800_000;
    public static final String INITIAL_REBALANCE_DELAY_MS_PROP = "group.initial.rebalance.delay.ms";
    public static final int INITIAL_REBALANCE_DELAY_MS_DEFAULT = 3000;
    public static final String MAX_METADATA_BYTES_PROP = "offset.metadata.max.bytes";
    public static final int MAX_METADATA_BYTES_DEFAULT = 4096;

    /** The settings {@link #fromProperties} takes. */
    public static final List<String> NAMES = List.of(MIN_SESSION_TIMEOUT_MS_PROP, MAX_SESSION_TIMEOUT_MS_PROP,
        INITIAL_REBALANCE_DELAY_MS_PROP, MAX_METADATA_BYTES_PROP);

    private int minSessionTimeoutMs = MIN_SESSION_TIMEOUT_MS_DEFAULT;
    private int maxSessionTimeoutMs = MAX_SESSION_TIMEOUT_MS_DEFAULT;
    private int initialRebalanceDelayMs = INITIAL_REBALANCE_DELAY_MS_DEFAULT;
    private int maxMetadataBytes = MAX_METADATA_BYTES_DEFAULT;

    /**
     * The settings named in {@code properties}, Kafka's defaults for the rest, concluded.
     *
     * @throws IllegalArgumentException naming a setting that is not one of {@link #NAMES}, is not a whole number,
     *                                  or is out of range.
     */
    public static GroupConfig fromProperties(final Properties properties)
    {
        final GroupConfig config = new GroupConfig();
        for (final String name : properties.stringPropertyNames())
        {
            final int value = parse(name, properties.getProperty(name));
            switch (name)
            {
                case MIN_SESSION_TIMEOUT_MS_PROP -> config.minSessionTimeoutMs(value);
                case MAX_SESSION_TIMEOUT_MS_PROP -> config.maxSessionTimeoutMs(value);
                case INITIAL_REBALANCE_DELAY_MS_PROP -> config.initialRebalanceDelayMs(value);
                case MAX_METADATA_BYTES_PROP -> config.maxMetadataBytes(value);
                default -> throw new IllegalArgumentException("unknown setting " + name + " (known: " +
                    String.join(", ", NAMES) + ")");
            }
        }
        return config.conclude();
    }

    private static int parse(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + ": not a whole number", ex);
        }
    }

    /**
     * Check the settings together.
     *
     * @throws IllegalArgumentException naming the setting that is out of range.
     */
    public GroupConfig conclude()
    {
        if (minSessionTimeoutMs < 1 || maxSessionTimeoutMs < minSessionTimeoutMs)
        {
            throw new IllegalArgumentException(MIN_SESSION_TIMEOUT_MS_PROP + "=" + minSessionTimeoutMs + " and " +
                MAX_SESSION_TIMEOUT_MS_PROP + "=" + maxSessionTimeoutMs + ": need 1 <= min <= max");
        }
        if (initialRebalanceDelayMs < 0)
        {
            throw new IllegalArgumentException(
                INITIAL_REBALANCE_DELAY_MS_PROP + "=" + initialRebalanceDelayMs + ": must be >= 0");
        }
        if (maxMetadataBytes < 0)
        {
            throw new IllegalArgumentException(MAX_METADATA_BYTES_PROP + "=" + maxMetadataBytes + ": must be >= 0");
        }
        return this;
    }

    public int minSessionTimeoutMs()
    {
        return minSessionTimeoutMs;
    }

    public GroupConfig minSessionTimeoutMs(final int minSessionTimeoutMs)
    {
        this.minSessionTimeoutMs = minSessionTimeoutMs;
        return this;
    }

    public int maxSessionTimeoutMs()
    {
        return maxSessionTimeoutMs;
    }

    public GroupConfig maxSessionTimeoutMs(final int maxSessionTimeoutMs)
    {
        this.maxSessionTimeoutMs = maxSessionTimeoutMs;
        return this;
    }

    /**
     * How long the first rebalance of an empty group waits for more members, so a group starting together settles
     * in one rebalance; 0 for none.
     */
    public int initialRebalanceDelayMs()
    {
        return initialRebalanceDelayMs;
    }

    public GroupConfig initialRebalanceDelayMs(final int initialRebalanceDelayMs)
    {
        this.initialRebalanceDelayMs = initialRebalanceDelayMs;
        return this;
    }

    /**
     * The longest metadata string a commit may carry.
     */
    public int maxMetadataBytes()
    {
        return maxMetadataBytes;
    }

    public GroupConfig maxMetadataBytes(final int maxMetadataBytes)
    {
        this.maxMetadataBytes = maxMetadataBytes;
        return this;
    }
}
