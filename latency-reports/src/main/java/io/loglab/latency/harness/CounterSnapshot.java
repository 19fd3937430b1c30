package io.loglab.latency.harness;

import java.lang.management.ManagementFactory;

/**
 * The producers' published counters and the JVM's allocation total at one moment: a measured period's bounds. Taken
 * by the coordinator right after it cuts the latency histograms, so counts and histograms agree.
 */
final class CounterSnapshot
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    final long nanos = System.nanoTime();
    final long epochMs = System.currentTimeMillis();
    final long acknowledgedRecords;
    final long acknowledgedLogBytes;
    final long failedRecords;
    /** -1 when the JVM does not count allocations. */
    final long allocatedBytes;

    CounterSnapshot(final ProducerMeasurements[] producers)
    {
        long records = 0;
        long logBytes = 0;
        long failures = 0;
        for (final ProducerMeasurements producer : producers)
        {
            records += producer.acknowledgedRecords();
            logBytes += producer.acknowledgedLogBytes();
            failures += producer.failedRecords();
        }
        acknowledgedRecords = records;
        acknowledgedLogBytes = logBytes;
        failedRecords = failures;
        allocatedBytes = THREADS.isThreadAllocatedMemoryEnabled() ? THREADS.getTotalThreadAllocatedBytes() : -1;
    }
}
