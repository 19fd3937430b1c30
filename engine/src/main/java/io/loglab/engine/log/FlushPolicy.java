package io.loglab.engine.log;

import java.util.Locale;

/**
 * When the writer forces appended bytes to storage, and so what an append's completion can promise. The one home of
 * the policy's spelling, {@code every}, {@code os} or {@code interval:MS}, as the CLI, topic properties, suites and
 * benchmarks write it: {@link #parse} reads it and {@link #toString()} writes it.
 *
 * @param kind       what triggers an fsync.
 * @param intervalMs for {@link Kind#INTERVAL}, the most time between fsyncs; 0 otherwise.
 */
public record FlushPolicy(Kind kind, long intervalMs)
{
    public enum Kind
    {
        /**
         * fsync after every write the writer makes: one fsync covers every batch it drained (group commit), and each
         * append completes as durable.
         */
        EVERY,

        /**
         * fsync when {@code intervalMs} has passed since the last one; appends complete as written, and the durable
         * end offset tells how far storage has caught up.
         */
        INTERVAL,

        /**
         * Never fsync while running (the OS writes back the page cache); appends complete as written. Survives a
         * process crash, not a power loss.
         */
        OS
    }

    public static final FlushPolicy EVERY = new FlushPolicy(Kind.EVERY, 0);
    public static final FlushPolicy OS = new FlushPolicy(Kind.OS, 0);

    private static final String INTERVAL_PREFIX = "interval:";

    public FlushPolicy
    {
        if (kind == null)
        {
            throw new IllegalArgumentException("flush policy kind is null");
        }
        if (kind == Kind.INTERVAL ? intervalMs <= 0 : intervalMs != 0)
        {
            throw new IllegalArgumentException("flush=" + kind.name().toLowerCase(Locale.ROOT) +
                " with interval " + intervalMs + " ms: only interval takes one, and it must be positive");
        }
    }

    /**
     * fsync at most every {@code intervalMs}.
     *
     * @throws IllegalArgumentException if it is not positive.
     */
    public static FlushPolicy interval(final long intervalMs)
    {
        return new FlushPolicy(Kind.INTERVAL, intervalMs);
    }

    /**
     * Read {@code every}, {@code os} or {@code interval:MS} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the accepted forms.
     */
    public static FlushPolicy parse(final String spec)
    {
        final String lower = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("every"))
        {
            return EVERY;
        }
        if (lower.equals("os"))
        {
            return OS;
        }
        if (lower.startsWith(INTERVAL_PREFIX))
        {
            final String digits = lower.substring(INTERVAL_PREFIX.length());
            try
            {
                final long intervalMs = Long.parseLong(digits);
                if (intervalMs > 0)
                {
                    return interval(intervalMs);
                }
            }
            catch (final NumberFormatException ex)
            {
                // Reported below with the accepted forms.
            }
        }
        throw new IllegalArgumentException(
            "flush policy '" + spec + "': expected every, os or interval:MS with MS a positive whole number");
    }

    /**
     * Appends complete as {@code DURABLE}: the writer fsyncs before completing them.
     */
    public boolean durableOnWrite()
    {
        return kind == Kind.EVERY;
    }

    /**
     * The writer fsyncs on a timer.
     */
    public boolean onInterval()
    {
        return kind == Kind.INTERVAL;
    }

    /**
     * The writer never fsyncs while running; only a clean close does.
     */
    public boolean leftToOs()
    {
        return kind == Kind.OS;
    }

    /**
     * The spelling {@link #parse} reads.
     */
    @Override
    public String toString()
    {
        return kind == Kind.INTERVAL ? INTERVAL_PREFIX + intervalMs : kind.name().toLowerCase(Locale.ROOT);
    }
}
