package io.loglab.engine.partition;

/**
 * Told when an {@link AppendRequest} completes. Called on the partition's writer thread: keep it short, and never
 * block or append from it.
 */
@FunctionalInterface
public interface AppendListener
{
    void onAppendComplete(AppendRequest request);
}
