package io.loglab.transport.aeron;

/**
 * How the embedded media driver runs its work; reports say which one ran.
 */
public enum DriverProfile
{
    /**
     * One driver thread for conductor, sender and receiver, backing off when idle: for machines without cores to
     * spare (two cores here, where spinning threads starve each other).
     */
    SHARED,
    /**
     * Conductor, sender and receiver on their own threads, busy spinning: the lowest latency, for machines with
     * three cores to give it.
     */
    LOW_LATENCY
}
