package io.loglab.latency.harness;

import java.util.concurrent.TimeUnit;

/**
 * Tells a {@link ProgressListener} about every {@link #PROGRESS_NANOS} how many records the producers have had
 * acknowledged, from the coordinator.
 */
final class ProgressReporter
{
    static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final double NANOS_PER_SECOND = 1e9;

    private final ProgressListener listener;
    private final long startNanos;
    private final ProducerMeasurements[] producers;
    private long lastNanos;
    private long lastRecords;

    ProgressReporter(final ProgressListener listener, final long startNanos, final ProducerMeasurements[] producers)
    {
        this.listener = listener;
        this.startNanos = startNanos;
        this.producers = producers;
        this.lastNanos = startNanos;
    }

    void maybeReport(final long nowNanos)
    {
        if (nowNanos - lastNanos < PROGRESS_NANOS)
        {
            return;
        }
        long records = 0;
        for (final ProducerMeasurements producer : producers)
        {
            records += producer.acknowledgedRecords();
        }
        listener.onProgress((nowNanos - startNanos) / NANOS_PER_SECOND,
            (records - lastRecords) / ((nowNanos - lastNanos) / NANOS_PER_SECOND), records);
        lastNanos = nowNanos;
        lastRecords = records;
    }
}
