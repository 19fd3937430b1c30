package io.loglab.engine.partition;

import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogNeedsRepairException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;

/**
 * A partition whose log could not be opened, refused until the data directory is repaired and opened again. Every
 * request to it fails with this exception; its message is the open failure followed by the command that resolves
 * it, so whoever prints it tells the user what to do.
 */
public final class PartitionRefusedException extends IOException
{
    private final transient String repairCommand;

    PartitionRefusedException(final Path dataDir, final String topic, final int partition, final Exception cause)
    {
        super(topic + "-" + partition + " cannot be opened: " + reason(cause) + "; to repair it, run: " +
            repairCommand(dataDir, topic, partition), cause);
        this.repairCommand = repairCommand(dataDir, topic, partition);
    }

    /**
     * The command that repairs a partition: {@code loglab repair --dir D --topic T --partition P}.
     */
    public static String repairCommand(final Path dataDir, final String topic, final int partition)
    {
        return "loglab repair --dir " + dataDir + " --topic " + topic + " --partition " + partition;
    }

    public String repairCommand()
    {
        return repairCommand;
    }

    /**
     * The damage the open found, first damage first, when it refused the log for damage it may not repair alone
     * ({@link LogNeedsRepairException}); empty when the open failed otherwise (an I/O error, say).
     */
    public List<LogFinding> damage()
    {
        return getCause() instanceof LogNeedsRepairException needsRepair ? needsRepair.damage() : List.of();
    }

    private static String reason(final Exception cause)
    {
        // A file-system exception's message is only the path; its type says what went wrong.
        return cause.getMessage() == null || cause instanceof FileSystemException ?
            cause.toString() : cause.getMessage();
    }
}
