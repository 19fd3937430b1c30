package io.loglab.engine.partition;

import io.loglab.engine.log.LogFinding;

/**
 * Told what opening a partition's log found and did: each finding of its recovery (a torn tail cut, a file moved
 * into quarantine, an index rebuilt), and a partition refused because its log cannot be opened. The engine tells the
 * user on stderr by default ({@link #STDERR}), not only through a logger: a repair changes what is stored.
 * <p>
 * Called on the partition's writer thread, right after the open (which happens on first use: see
 * {@link Partition}); keep it short, and never block on or call into a partition from it.
 */
@FunctionalInterface
public interface RecoveryListener
{
    /**
     * Prints each finding and refusal on stderr as {@code loglab: ...}.
     */
    RecoveryListener STDERR = (partition, finding) -> System.err.println("loglab: " + partition + ": " + finding);

    /**
     * @param partition the partition, as {@code <topic>-<id>}.
     * @param finding   what recovery found, where, and what it did about it ({@link LogFinding#action()}).
     */
    void onRecovered(String partition, LogFinding finding);

    /**
     * The partition's log could not be opened: every request to it fails with {@code refusal}, whose message names
     * the failure and the command that resolves it; other partitions keep working. Prints the message on stderr
     * unless overridden.
     */
    default void onRefused(final String partition, final PartitionRefusedException refusal)
    {
        System.err.println("loglab: " + refusal.getMessage());
    }
}
