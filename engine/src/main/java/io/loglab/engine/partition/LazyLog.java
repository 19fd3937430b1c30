package io.loglab.engine.partition;

import io.loglab.engine.log.FileDeleter;
import io.loglab.engine.log.FileSync;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.stat.CountersFile;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A partition's log as its writer shard holds it: not opened yet ({@code NEW}), {@code OPEN}, {@code REFUSED} because
 * it could not be opened, or {@code STOPPED} once the partition is closed. The shard opens it on the partition's first
 * use; a repair takes a refused (or never opened) log back to {@code NEW}, so the next use opens the repaired log.
 * <p>
 * Threading: the shard thread makes every change. The open log and the refusal are published with volatile stores
 * for the partition's getters on other threads, which load them (volatile) once an open they waited for completed.
 */
final class LazyLog
{
    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int REFUSED = 2;
    private static final int STOPPED = 3;

    private final Partition partition;
    private final Path dir;
    private final Path dataDir;
    private final LogConfig config;
    private final PartitionLog.HighWatermarkPolicy highWatermarkPolicy;
    /** Shard: volatile (release) store once the log is open. Any thread: volatile (acquire) load. */
    private volatile PartitionLog log;
    /** Shard: volatile store when the open fails; cleared by a repair. Any thread: volatile load. */
    private volatile PartitionRefusedException refusal;
    /** Shard thread only. */
    private int state = NEW;
    /** Where the counters of open logs go; null for none. */
    private final CountersManager counters;
    /**
     * Shard thread: allocated when the log opens; freed by {@link #freeCounter} after the stop (whose close hands it
     * over); null before, or when none fits.
     */
    private AtomicCounter logEndCounter;

    /**
     * @param dataDir named in the repair command of a refusal.
     */
    LazyLog(final Partition partition, final Path dir, final Path dataDir, final LogConfig config,
        final PartitionLog.HighWatermarkPolicy highWatermarkPolicy, final CountersManager counters)
    {
        this.partition = partition;
        this.dir = dir;
        this.dataDir = dataDir;
        this.config = config;
        this.highWatermarkPolicy = highWatermarkPolicy;
        this.counters = counters;
    }

    /**
     * Any thread: whether the log is on disk, open or not; false until its first open creates its directory.
     */
    boolean isStored()
    {
        return logVolatile() != null || Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Shard thread: true before the first open, and again after a repair.
     */
    boolean isNew()
    {
        return state == NEW;
    }

    /**
     * Shard thread: true once the partition is closed.
     */
    boolean isStopped()
    {
        return state == STOPPED;
    }

    /**
     * Shard thread: the log if it is open, else null.
     */
    PartitionLog ifOpen()
    {
        return state == OPEN ? log : null;
    }

    /**
     * Shard thread, on first use: open the log, creating its directory, and move to {@code OPEN}; or, if that fails,
     * to {@code REFUSED}, keeping why.
     */
    void open()
    {
        final boolean created = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        PartitionLog opened = null;
        try
        {
            opened = PartitionLog.open(dir, config, FileDeleter.shared(), highWatermarkPolicy);
            if (created)
            {
                // The new directory must survive a power loss as surely as the topic metadata that counts it.
                FileSync.syncDirectory(dir.getParent());
            }
            log = opened;
            state = OPEN;
            logEndCounter = allocateCounter("log end offset: " + partition);
            publishLogEnd();
        }
        catch (final Throwable ex)
        {
            // Errors too (an InternalError from a fault on a mapped index, say): the drained requests and every
            // later one must hear why, not wait for an answer that never comes.
            CloseHelper.quietClose(opened);
            refusal = new PartitionRefusedException(dataDir, partition.topic(), partition.id(),
                ex instanceof Exception exception ? exception : new IOException(ex.toString(), ex));
            state = REFUSED;
        }
    }

    /**
     * Shard thread: repair the log as {@link PartitionLog#repair} does, if it is not open, and let the next use open
     * it afresh.
     *
     * @return what repair found and did.
     * @throws IllegalStateException if the log is open or the partition closed.
     */
    List<LogFinding> repair() throws IOException
    {
        if (state == OPEN || state == STOPPED)
        {
            throw new IllegalStateException(partition + (state == OPEN ?
                " is open: repair runs before a partition's first use after its directory is opened" : " is closed"));
        }
        final List<LogFinding> report = PartitionLog.repair(dir, config);
        refusal = null;
        state = NEW;
        return report;
    }

    /**
     * Shard thread, after the partition's last drain: move to {@code STOPPED}.
     *
     * @return the log, for the caller to close, if it was open; else null.
     */
    PartitionLog stop()
    {
        final PartitionLog open = ifOpen();
        state = STOPPED;
        return open;
    }

    /**
     * Free the log's counter, once the partition is stopped and alone goes (its topic deleted): when the whole data
     * directory closes, counters keep their last values for {@code loglab stat}.
     */
    void freeCounter()
    {
        final AtomicCounter counter = logEndCounter;
        if (counter != null)
        {
            logEndCounter = null;
            counter.close();
        }
    }

    /**
     * Shard thread, after appends: the log end offset to the counters, with an ordered store.
     */
    void publishLogEnd()
    {
        if (logEndCounter != null)
        {
            logEndCounter.setOrdered(log.logEndOffset());
        }
    }

    private AtomicCounter allocateCounter(final String label)
    {
        if (counters == null)
        {
            return null;
        }
        try
        {
            return counters.newCounter(label, CountersFile.ENGINE_TYPE_ID);
        }
        catch (final IllegalStateException full)
        {
            // The counters file has no room left: the log works without its counter.
            return null;
        }
    }

    /**
     * Any thread: the log once opened (volatile load), else null. It stays set after the partition closes.
     */
    PartitionLog logVolatile()
    {
        return log;
    }

    /**
     * Any thread: why the log was refused (volatile load), or null.
     */
    PartitionRefusedException refusalVolatile()
    {
        return refusal;
    }
}
