package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * Something opening, verifying or repairing a log found in its directory: where, which offsets it touches, what rule
 * the bytes there break, and what was (or will be) done about it.
 *
 * @param kind     how serious it is and what a writer does about it.
 * @param file     the file concerned.
 * @param position byte position in it of the first bad byte or bad batch; 0 when the whole file is concerned.
 * @param offsets  the offsets affected, in words ("offsets 316 to 631"), or "" when none are.
 * @param reason   what is wrong, in words.
 * @param action   what was done, or what the next writer open or {@code loglab repair} will do.
 */
public record LogFinding(Kind kind, Path file, long position, String offsets, String reason, String action)
{
    public enum Kind
    {
        /** The end of the last segment holds an incomplete batch, as a crash leaves: a writer cuts it. */
        TORN_TAIL(false),
        /** A derived file (index, epoch checkpoint) was missing, damaged or stale: rebuilt from the batches. */
        REBUILT(false),
        /** What an interrupted step left (a removed segment's file, a checkpoint's temporary copy): removed. */
        LEFTOVER(false),
        /** Bytes or a file the log cannot keep but whose loss breaks no offset: moved to quarantine. */
        QUARANTINED(true),
        /** The log starts later than its recorded log start offset: those offsets are gone. */
        OFFSETS_MISSING(true),
        /** Damage a writer will not repair on its own: intact data would be cut. {@code loglab repair} does it. */
        NEEDS_REPAIR(true);

        private final boolean damage;

        Kind(final boolean damage)
        {
            this.damage = damage;
        }

        /**
         * True for what {@code verify} calls damage (exit 1); false for what every crash or an interrupted step
         * can leave, which a writer's open handles without losing anything.
         */
        public boolean isDamage()
        {
            return damage;
        }
    }

    /**
     * This finding with {@code action} in place of what was planned.
     */
    LogFinding withAction(final String action)
    {
        return new LogFinding(kind, file, position, offsets, reason, action);
    }

    static String offsets(final long first, final long end)
    {
        return end <= first ? "" : end - first == 1 ? "offset " + first : "offsets " + first + " to " + (end - 1);
    }

    @Override
    public String toString()
    {
        return file + " at byte " + position + ": " + reason + (offsets.isEmpty() ? "" : " [" + offsets + "]") +
            (action.isEmpty() ? "" : " (" + action + ")");
    }
}
