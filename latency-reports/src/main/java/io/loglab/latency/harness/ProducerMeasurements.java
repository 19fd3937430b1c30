package io.loglab.latency.harness;

import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one producer thread measures: its latency recorders (nanoseconds) and its acknowledgement counters.
 * <p>
 * Threading: the producer thread is the single writer of everything here. The recorders are HdrHistogram
 * {@link SingleWriterRecorder}s, which the run's coordinator reads with {@code getIntervalHistogram}. The counters
 * are published with {@link AtomicLong#lazySet} (a release store; one writer, so no read-modify-write is needed)
 * and read by the sampler and the coordinator with a volatile load.
 */
final class ProducerMeasurements
{
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder ackWritten = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder ackDurable = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder sendDelay = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    /** Producer: lazySet. Sampler, coordinator: get. */
    private final AtomicLong acknowledgedRecords = new AtomicLong();
    /** Producer: lazySet. Coordinator: get. Batch bytes as stored in the log, headers included. */
    private final AtomicLong acknowledgedLogBytes = new AtomicLong();
    /** Producer: lazySet. Coordinator: get. */
    private final AtomicLong failedRecords = new AtomicLong();
    /** Producer: compareAndSet once, with the first failure. Coordinator: get. */
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    /**
     * A record added to a batch: publish delay is how late that is against its intended time.
     */
    void onAdded(final long intendedNanos, final long nowNanos)
    {
        sendDelay.recordValue(Math.max(0, nowNanos - intendedNanos));
    }

    /**
     * A record acknowledged, observed at {@code nowNanos}: its latency from its intended time.
     *
     * @param durable whether the acknowledgement says it is fsynced too.
     */
    void onRecordAcknowledged(final long intendedNanos, final long nowNanos, final boolean durable)
    {
        final long latency = Math.max(0, nowNanos - intendedNanos);
        ackWritten.recordValue(latency);
        if (durable)
        {
            ackDurable.recordValue(latency);
        }
    }

    /**
     * A batch acknowledged, after {@link #onRecordAcknowledged} for each of its records.
     *
     * @param logBytes the batch's bytes in the log, header included.
     */
    void onBatchAcknowledged(final int recordCount, final int logBytes)
    {
        acknowledgedRecords.lazySet(acknowledgedRecords.get() + recordCount);
        acknowledgedLogBytes.lazySet(acknowledgedLogBytes.get() + logBytes);
    }

    void onFailed(final int recordCount, final Throwable failure)
    {
        failedRecords.lazySet(failedRecords.get() + recordCount);
        firstFailure.compareAndSet(null, failure);
    }

    SingleWriterRecorder ackWritten()
    {
        return ackWritten;
    }

    SingleWriterRecorder ackDurable()
    {
        return ackDurable;
    }

    SingleWriterRecorder sendDelay()
    {
        return sendDelay;
    }

    long acknowledgedRecords()
    {
        return acknowledgedRecords.get();
    }

    long acknowledgedLogBytes()
    {
        return acknowledgedLogBytes.get();
    }

    long failedRecords()
    {
        return failedRecords.get();
    }

    Throwable firstFailure()
    {
        return firstFailure.get();
    }
}
