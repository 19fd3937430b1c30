package io.loglab.engine.log;

/**
 * What a log does with old records (Kafka's {@code cleanup.policy}): delete whole segments by retention, keep only
 * the latest record of each key (compaction), or both.
 */
public enum CleanupPolicy
{
    DELETE("delete"),
    COMPACT("compact"),
    COMPACT_DELETE("compact,delete");

    private final String spelling;

    CleanupPolicy(final String spelling)
    {
        this.spelling = spelling;
    }

    /**
     * Retention by {@code retention.ms} and {@code retention.bytes} applies.
     */
    public boolean deletes()
    {
        return this != COMPACT;
    }

    /**
     * The cleaner keeps only the latest record of each key.
     */
    public boolean compacts()
    {
        return this != DELETE;
    }

    /**
     * Kafka's spellings: {@code delete}, {@code compact}, or both comma-separated in either order.
     *
     * @throws IllegalArgumentException naming the accepted forms.
     */
    public static CleanupPolicy parse(final String value)
    {
        boolean delete = false;
        boolean compact = false;
        for (final String part : value.split(",", -1))
        {
            switch (part.trim())
            {
                case "delete" -> delete = true;
                case "compact" -> compact = true;
                default -> throw new IllegalArgumentException(
                    "'" + value + "' is not a cleanup policy: delete, compact, or compact,delete");
            }
        }
        return compact ? (delete ? COMPACT_DELETE : COMPACT) : DELETE;
    }

    @Override
    public String toString()
    {
        return spelling;
    }
}
