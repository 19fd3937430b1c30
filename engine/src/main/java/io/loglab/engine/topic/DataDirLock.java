package io.loglab.engine.topic;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What keeps two {@link LogManager}s, in this process or another, from writing one data directory: an OS lock on
 * {@code D/.lock}, held while the manager is open.
 */
final class DataDirLock implements AutoCloseable
{
    static final String FILE_NAME = ".lock";

    /**
     * Data directories a LogManager in this JVM holds. A second open in the same JVM must fail without opening its
     * own channel on the lock file: closing any channel on that file drops the process's OS lock (POSIX record-lock
     * semantics), which would let another process open the directory while the first LogManager still writes it.
     */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(final Path key, final FileChannel channel, final FileLock lock)
    {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IOException if another LogManager, here or in another process, holds the directory.
     */
    static DataDirLock acquire(final Path dataDir) throws IOException
    {
        final Path key = dataDir.toRealPath();
        if (!LOCKED_IN_THIS_JVM.add(key))
        {
            throw new IOException("data directory " + dataDir + " is in use by another LogManager in this process");
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                // Another LogManager in this JVM: handled below like another process.
            }
            if (lock == null)
            {
                throw new IOException("data directory " + dataDir + " is in use by another loglab process");
            }
            return new DataDirLock(key, channel, lock);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (channel != null)
            {
                channel.close();
            }
            LOCKED_IN_THIS_JVM.remove(key);
            throw ex;
        }
    }

    boolean isHeld()
    {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            lock.release();
            channel.close();
        }
        finally
        {
            LOCKED_IN_THIS_JVM.remove(key);
        }
    }
}
