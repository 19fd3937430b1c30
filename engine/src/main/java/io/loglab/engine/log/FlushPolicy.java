package io.loglab.engine.log;

/**
 * When the writer forces appended bytes to storage, and so what an append's completion can promise.
 */
public enum FlushPolicy
{
    /**
     * fsync after every write the writer makes: one fsync covers every batch it drained (group commit), and each
     * append completes as durable.
     */
    EVERY,

    /**
     * fsync when {@code flushIntervalMs} has passed since the last one; appends complete as written, and the
     * durable end offset tells how far storage has caught up.
     */
    INTERVAL,

    /**
     * Never fsync while running (the OS writes back the page cache); appends complete as written. Survives a process
     * crash, not a power loss.
     */
    OS
}
