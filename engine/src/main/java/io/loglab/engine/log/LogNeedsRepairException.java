package io.loglab.engine.log;

import java.io.IOException;
import java.util.List;

/**
 * A log that a writer may not open as it is: repairing it would cut intact batches (damage in a rolled segment with
 * intact data after it, a gap in offsets), and the engine does not guess which to drop. Nothing was changed. The
 * message names each finding's file and byte position; {@code loglab repair} truncates the log at the first damage,
 * moving what it cuts into the partition's quarantine.
 */
public final class LogNeedsRepairException extends IOException
{
    private final transient List<LogFinding> damage;

    public LogNeedsRepairException(final String message, final List<LogFinding> damage)
    {
        super(message);
        this.damage = List.copyOf(damage);
    }

    /**
     * What was found, first damage first.
     */
    public List<LogFinding> damage()
    {
        return damage;
    }
}
