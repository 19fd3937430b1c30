package io.loglab.broker.wire;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.Partition;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The network thread's {@link LogReader}s, one per partition it has read (a reader is for one thread and allocates
 * nothing per read).
 * <p>
 * Threading: the network thread only.
 */
final class Readers
{
    private final Map<Partition, LogReader> readers = new IdentityHashMap<>();

    /**
     * @throws java.io.UncheckedIOException if the partition's log cannot be opened.
     */
    LogReader of(final Partition partition)
    {
        return readers.computeIfAbsent(partition, Partition::newReader);
    }
}
