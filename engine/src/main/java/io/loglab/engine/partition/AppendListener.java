package io.loglab.engine.partition;

/**
 * Told when an {@link AppendRequest} completes. Called on the partition's writer thread, which serves every partition
 * of its shard: keep it short, and never block or append from it. It runs just before the request's status is published, so it reads the outcome from
 * {@link AppendRequest#failure()} (null on success) and the offsets, not from {@link AppendRequest#status()}.
 */
@FunctionalInterface
public interface AppendListener
{
    void onAppendComplete(AppendRequest request);
}
