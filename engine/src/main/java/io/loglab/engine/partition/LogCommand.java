package io.loglab.engine.partition;

import io.loglab.engine.log.PartitionLog;

import java.io.IOException;

/**
 * Something only a partition's writer thread may do to its log (roll, flush, set the leader epoch, ...): sent to the
 * owning shard's command queue by {@link Partition} and run there, between drains.
 */
@FunctionalInterface
interface LogCommand
{
    /**
     * @param nowMs the shard clock's time, for what the log does by time (deleting removed segments' files).
     */
    void apply(PartitionLog log, long nowMs) throws IOException;
}
