package io.loglab.latency.result;

/**
 * What the machine and the JVM did around one run: the baselines it is compared with, its threads and its
 * allocation.
 *
 * @param baseline                D, measured right after this run when it is closed-loop by writing its bytes in
 *                                its shape (NaN for a fixed-rate run), and N, measured once for the suite.
 * @param diskRatio               the run's log bytes/s over its own D; NaN without one.
 * @param threads                 live threads at the middle of the measured period.
 * @param allocatedBytesPerRecord JVM-wide bytes allocated during the measured period per record (harness
 *                                included); NaN when the JVM does not count allocation.
 */
public record Platform(Baselines baseline, double diskRatio, ThreadCensus threads, double allocatedBytesPerRecord)
{
}
