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
     * The writer never fsyncs (the OS writes back the page cache); appends complete as written. Rolled segments are
     * flushed on a background thread, which bounds what recovery rescans. Survives a process crash; a power loss may
     * take the active segment's unflushed tail.
     */
    OS
}
