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
    public static final String CONSUMER_SESSION_TIMEOUT_MS_PROP = "group.consumer.session.timeout.ms";
    public static final int CONSUMER_SESSION_TIMEOUT_MS_DEFAULT = 45_000;
    public static final String CONSUMER_HEARTBEAT_INTERVAL_MS_PROP = "group.consumer.heartbeat.interval.ms";
    public static final int CONSUMER_HEARTBEAT_INTERVAL_MS_DEFAULT = 5000;
    public static final String CONSUMER_MAX_SIZE_PROP = "group.consumer.max.size";
    public static final int CONSUMER_MAX_SIZE_DEFAULT = Integer.MAX_VALUE;
    /** How long a consumer group waits after computing a target assignment before it computes the next. */
    public static final String CONSUMER_ASSIGNMENT_INTERVAL_MS_PROP = "group.consumer.assignment.interval.ms";
    public static final int CONSUMER_ASSIGNMENT_INTERVAL_MS_DEFAULT = 1000;

    /** The settings {@link #fromProperties} takes. */
    public static final List<String> NAMES = List.of(MIN_SESSION_TIMEOUT_MS_PROP, MAX_SESSION_TIMEOUT_MS_PROP,
        INITIAL_REBALANCE_DELAY_MS_PROP, MAX_METADATA_BYTES_PROP, CONSUMER_SESSION_TIMEOUT_MS_PROP,
        CONSUMER_HEARTBEAT_INTERVAL_MS_PROP, CONSUMER_MAX_SIZE_PROP, CONSUMER_ASSIGNMENT_INTERVAL_MS_PROP);

    private int minSessionTimeoutMs = MIN_SESSION_TIMEOUT_MS_DEFAULT;
    private int maxSessionTimeoutMs = MAX_SESSION_TIMEOUT_MS_DEFAULT;
    private int initialRebalanceDelayMs = INITIAL_REBALANCE_DELAY_MS_DEFAULT;
    private int maxMetadataBytes = MAX_METADATA_BYTES_DEFAULT;
    private int consumerSessionTimeoutMs = CONSUMER_SESSION_TIMEOUT_MS_DEFAULT;
    private int consumerHeartbeatIntervalMs = CONSUMER_HEARTBEAT_INTERVAL_MS_DEFAULT;
    private int consumerMaxSize = CONSUMER_MAX_SIZE_DEFAULT;
    private int consumerAssignmentIntervalMs = CONSUMER_ASSIGNMENT_INTERVAL_MS_DEFAULT;

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
                case CONSUMER_SESSION_TIMEOUT_MS_PROP -> config.consumerSessionTimeoutMs(value);
                case CONSUMER_HEARTBEAT_INTERVAL_MS_PROP -> config.consumerHeartbeatIntervalMs(value);
                case CONSUMER_MAX_SIZE_PROP -> config.consumerMaxSize(value);
                case CONSUMER_ASSIGNMENT_INTERVAL_MS_PROP -> config.consumerAssignmentIntervalMs(value);
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
        if (consumerHeartbeatIntervalMs < 1 || consumerSessionTimeoutMs <= consumerHeartbeatIntervalMs)
        {
            throw new IllegalArgumentException(CONSUMER_HEARTBEAT_INTERVAL_MS_PROP + "=" + consumerHeartbeatIntervalMs +
                " and " + CONSUMER_SESSION_TIMEOUT_MS_PROP + "=" + consumerSessionTimeoutMs +
                ": need 1 <= heartbeat interval < session timeout");
        }
        if (consumerMaxSize < 1)
        {
            throw new IllegalArgumentException(CONSUMER_MAX_SIZE_PROP + "=" + consumerMaxSize + ": must be >= 1");
        }
        if (consumerAssignmentIntervalMs < 0)
        {
            throw new IllegalArgumentException(CONSUMER_ASSIGNMENT_INTERVAL_MS_PROP + "=" +
                consumerAssignmentIntervalMs + ": must be >= 0");
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

    /**
     * How long a consumer-protocol member stays without a heartbeat: the coordinator's to set in that protocol,
     * not the client's.
     */
    public int consumerSessionTimeoutMs()
    {
        return consumerSessionTimeoutMs;
    }

    public GroupConfig consumerSessionTimeoutMs(final int consumerSessionTimeoutMs)
    {
        this.consumerSessionTimeoutMs = consumerSessionTimeoutMs;
        return this;
    }

    /**
     * How often consumer-protocol members heartbeat, told them in every answer.
     */
    public int consumerHeartbeatIntervalMs()
    {
        return consumerHeartbeatIntervalMs;
    }

    public GroupConfig consumerHeartbeatIntervalMs(final int consumerHeartbeatIntervalMs)
    {
        this.consumerHeartbeatIntervalMs = consumerHeartbeatIntervalMs;
        return this;
    }

    /**
     * The most members a consumer-protocol group takes.
     */
    public int consumerMaxSize()
    {
        return consumerMaxSize;
    }

    public GroupConfig consumerMaxSize(final int consumerMaxSize)
    {
        this.consumerMaxSize = consumerMaxSize;
        return this;
    }

    public int consumerAssignmentIntervalMs()
    {
        return consumerAssignmentIntervalMs;
    }

    public GroupConfig consumerAssignmentIntervalMs(final int consumerAssignmentIntervalMs)
    {
        this.consumerAssignmentIntervalMs = consumerAssignmentIntervalMs;
        return this;
    }
}
