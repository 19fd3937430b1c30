package io.loglab.engine.partition;

/**
 * Who hears that a writer thread has written batches to a log, so a thread that acts on new appends can wake at once
 * rather than find them at its next poll: a replica node's thread, which streams a leader's appends to its followers
 * and reports a follower's to its leader. One per {@link WriterShards}, told after every drain that wrote; the target
 * must be quick and must not block (waking a parked thread is what it is for).
 * <p>
 * Threading: any thread sets the target (volatile store); writer threads load it and run it.
 */
public final class AppendSignal
{
    private static final Runnable NONE = () -> { };

    /** Any thread: volatile store in {@link #target(Runnable)}. Writer threads: volatile load in {@link #target()}. */
    private volatile Runnable target = NONE;

    /**
     * Run {@code target} after every drain that wrote from now on; null for nothing.
     */
    public void target(final Runnable target)
    {
        this.target = target == null ? NONE : target;
    }

    /**
     * Writer thread: what to run after a drain that wrote (a no-op when none is set).
     */
    Runnable target()
    {
        return target;
    }
}
