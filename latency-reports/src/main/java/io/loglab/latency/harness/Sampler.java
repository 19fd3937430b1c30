package io.loglab.latency.harness;

import io.loglab.engine.partition.Partition;
import io.loglab.latency.result.TimePoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples the run at a fixed period: acknowledged records/s over all producers, and per partition the consumer lag
 * (log end offset minus the consumer's position). Points are timed from the start of the measured period; samples
 * taken during the warm-up only set the baseline for the first measured rate.
 * <p>
 * Threading: the sampler thread owns the series; the coordinator reads them only after joining that thread.
 * It reads producers' counters and consumers' positions through their published (release/acquire) fields.
 */
final class Sampler implements LoadAgent
{
    private final ProducerMeasurements[] producers;
    private final Partition[] partitions;
    private final ConsumerLane[] consumerLaneByPartition;
    private final long measureStartNanos;
    private final long periodNanos;
    private final List<TimePoint> throughput = new ArrayList<>();
    private final List<List<TimePoint>> lag = new ArrayList<>();
    private long nextSampleNanos;
    private long lastSampleNanos;
    private long lastAcknowledged;

    /**
     * @param consumerLaneByPartition the lane reading each partition, or empty when the run has no consumers.
     */
    Sampler(
        final ProducerMeasurements[] producers,
        final Partition[] partitions,
        final ConsumerLane[] consumerLaneByPartition,
        final long startNanos,
        final long measureStartNanos,
        final long periodNanos)
    {
        this.producers = producers;
        this.partitions = partitions;
        this.consumerLaneByPartition = consumerLaneByPartition;
        this.measureStartNanos = measureStartNanos;
        this.periodNanos = periodNanos;
        this.nextSampleNanos = startNanos + periodNanos;
        this.lastSampleNanos = startNanos;
        for (int p = 0; p < consumerLaneByPartition.length; p++)
        {
            lag.add(new ArrayList<>());
        }
    }

    @Override
    public int doWork(final long nowNanos)
    {
        if (nowNanos < nextSampleNanos)
        {
            return 0;
        }
        while (nextSampleNanos <= nowNanos)
        {
            nextSampleNanos += periodNanos;
        }
        long acknowledged = 0;
        for (final ProducerMeasurements producer : producers)
        {
            acknowledged += producer.acknowledgedRecords();
        }
        if (nowNanos >= measureStartNanos)
        {
            final double seconds = (nowNanos - measureStartNanos) / 1e9;
            final double rate = (acknowledged - lastAcknowledged) / ((nowNanos - lastSampleNanos) / 1e9);
            throughput.add(new TimePoint(seconds, rate));
            for (int p = 0; p < consumerLaneByPartition.length; p++)
            {
                final long behind = partitions[p].logEndOffset() - consumerLaneByPartition[p].position();
                lag.get(p).add(new TimePoint(seconds, Math.max(0, behind)));
            }
        }
        lastAcknowledged = acknowledged;
        lastSampleNanos = nowNanos;
        return 1;
    }

    @Override
    public void onStop(final long deadlineNanos)
    {
    }

    List<TimePoint> throughput()
    {
        return throughput;
    }

    /**
     * @return lag series by partition; empty without consumers.
     */
    List<List<TimePoint>> lag()
    {
        return lag;
    }

    @Override
    public String name()
    {
        return "loglab-sampler";
    }
}
