package io.loglab.latency.formula;

import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.FormulaCheck;
import io.loglab.latency.result.RunResult;
import io.loglab.latency.result.TimePoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts each sizing formula's prediction beside what a run measured, with the inputs it used. A single node, so
 * B = 1 and R = 1 until replication lands.
 */
public final class FormulaChecks
{
    /** A measured slope or time within this fraction of the prediction agrees with it. */
    static final double TOLERANCE = 0.15;

    private FormulaChecks()
    {
    }

    /**
     * Bytes one record of this configuration takes in the log: its framing and value (which carries the 8-byte send
     * time), plus its share of the 61-byte batch header.
     */
    public static double logBytesPerRecord(final RunConfig config)
    {
        final int recordLength = RecordBatchBuilder.recordLength(0, 100, -1, config.valueBytes(), null);
        final int recordsPerBatch = Math.max(1, (config.batchBytes() - RecordBatchDescriptor.HEADER_LENGTH) / recordLength);
        return recordLength + (double)RecordBatchDescriptor.HEADER_LENGTH / recordsPerBatch;
    }

    /**
     * Bytes a record took in the log in this run, from its log bytes/s over its records/s: batches sent on linger
     * hold fewer records than fit, and each carries a 61-byte header. Falls back to
     * {@link #logBytesPerRecord(RunConfig)} when the run measured none.
     */
    static double measuredLogBytesPerRecord(final RunResult run)
    {
        if (run.throughput().logBytesPerSecond() > 0 && run.throughput().achievedRate() > 0)
        {
            return run.throughput().logBytesPerSecond() / run.throughput().achievedRate();
        }
        return logBytesPerRecord(run.config());
    }

    /**
     * What the consumers can take from each partition, in records/s, as the harness assigns partitions: at most one
     * consumer per partition, consumer k reading partitions k, k + C, k + 2C, ..., each consumer throttled to
     * consumer-rate over all its partitions, and no partition read faster than it is appended.
     */
    static double[] consumeRatePerPartition(final RunConfig config)
    {
        final int partitions = config.partitions();
        final int consumers = Math.min(config.consumers(), partitions);
        final double appendPerPartition = (double)config.rate() / partitions;
        final double[] rates = new double[partitions];
        for (int k = 0; k < consumers; k++)
        {
            final int lanes = (partitions - k + consumers - 1) / consumers;
            final double perLane = Math.min(appendPerPartition, (double)config.consumerRate() / lanes);
            for (int p = k; p < partitions; p += consumers)
            {
                rates[p] = perLane;
            }
        }
        return rates;
    }

    /**
     * The formulas that apply to this run.
     *
     * @param peakRate records/s a reader plans for, for the partition-count recommendation.
     */
    public static List<FormulaCheck> forRun(final RunResult run, final double peakRate)
    {
        final RunConfig config = run.config();
        final double s = measuredLogBytesPerRecord(run);
        final List<FormulaCheck> checks = new ArrayList<>();
        if (!config.isOpenLoop() && run.platform().baseline().hasDisk())
        {
            checks.add(throughputBound(run, s));
            checks.add(partitionCount(run, peakRate));
        }
        if (config.isOpenLoop() && config.consumers() > 0 && config.consumerRate() > 0)
        {
            checks.add(lagGrowth(run));
            if (config.retentionBytes() > 0)
            {
                checks.add(retentionLoss(run, s));
            }
        }
        return checks;
    }

    private static FormulaCheck throughputBound(final RunResult run, final double s)
    {
        final Baselines baseline = run.platform().baseline();
        final double d = baseline.diskWriteBytesPerSecond();
        final double n = baseline.loopbackBytesPerSecond();
        final double bound = SizingFormulas.throughputBound(1, d, 1, n, s);
        final double measured = run.throughput().achievedRate();
        return new FormulaCheck(
            "throughput-bound",
            "min(B*D/(R*s), B*N/s)  [the article's min(B*D/R, B*N/avg_message_size) in messages/s]",
            String.format("B=1, R=1, D=%.0f MB/s (raw writes of this run's bytes, right after it), " +
                "N=%.0f MB/s (loopback TCP, this suite), s=%.1f bytes/record in the log (measured)", d / 1e6, n / 1e6,
                s),
            bound,
            measured,
            "records/s",
            measured <= bound * (1 + TOLERANCE),
            String.format("measured is %.0f%% of the bound; the bound is a ceiling, not a target", 100 * measured / bound));
    }

    private static FormulaCheck partitionCount(final RunResult run, final double peakRate)
    {
        final int perPartitionConsumers = Math.max(1, run.config().consumers());
        final double perPartition = run.throughput().achievedRate() / run.config().partitions();
        final int count = SizingFormulas.partitionCount(peakRate, perPartition, perPartitionConsumers);
        return new FormulaCheck(
            "partition-count",
            "ceil(max(peak_throughput / per_partition_throughput, consumer_parallelism))",
            String.format("peak=%.0f records/s (--peak), per-partition=%.0f records/s (this run, closed loop), " +
                "consumer parallelism=%d", peakRate, perPartition, perPartitionConsumers),
            count,
            Double.NaN,
            "partitions",
            true,
            "a recommendation from a measured per-partition throughput, not a measurement");
    }

    private static FormulaCheck lagGrowth(final RunResult run)
    {
        final RunConfig config = run.config();
        double consume = 0;
        for (final double rate : consumeRatePerPartition(config))
        {
            consume += rate;
        }
        final double predicted = SizingFormulas.lagGrowthRate(config.rate(), consume);
        final double measured = totalLagSlope(run);
        return new FormulaCheck(
            "lag-growth",
            "d(Total_Lag)/dt = append_rate - consume_rate, Total_Lag = sum over p of LEO(p) - position(p)",
            String.format("append=%d records/s, consume=%.0f records/s (%d consumers of %d records/s over %d " +
                "partitions, at most one consumer a partition)", config.rate(), consume,
                Math.min(config.consumers(), config.partitions()), config.consumerRate(), config.partitions()),
            predicted,
            measured,
            "records/s",
            !Double.isNaN(measured) && Math.abs(measured - predicted) <= TOLERANCE * Math.max(predicted, 1),
            "least-squares slope of the total lag until retention first overtook a consumer; within " +
                (int)(TOLERANCE * 100) + "% agrees");
    }

    private static FormulaCheck retentionLoss(final RunResult run, final double s)
    {
        final RunConfig config = run.config();
        final double appendPerPartition = (double)config.rate() / config.partitions();
        // The first loss comes on the partition whose consumer falls behind fastest.
        double consumePerPartition = appendPerPartition;
        for (final double rate : consumeRatePerPartition(config))
        {
            consumePerPartition = Math.min(consumePerPartition, rate);
        }
        final double predicted = SizingFormulas.secondsUntilLoss(
            config.retentionBytes(), config.segmentBytes(), appendPerPartition, consumePerPartition, s) -
            config.warmupSeconds();
        final double outOfRange = run.series().consumerOutOfRange();
        final double measured = outOfRange < 0 ? Double.NaN : outOfRange;
        final double slack = Math.max(TOLERANCE * Math.abs(predicted), config.retentionCheckMs() / 1000.0 + 0.5);
        return new FormulaCheck(
            "retention-loss",
            "lose unread records once Lag(p) * s >= retention.bytes  [the article's Total_Lag < Retention_bytes / " +
                "avg_message_rate does not balance its units]; first at t = (B + k*S) / (rate(p) * s), " +
                "k = floor(consume(p) * B / (S * (rate(p) - consume(p)))) + 1",
            String.format("B=retention.bytes=%d, S=segment.bytes=%d, s=%.1f bytes/record (measured), " +
                "rate(p)=%.0f, consume(p)=%.0f records/s (slowest partition)", config.retentionBytes(),
                config.segmentBytes(), s, appendPerPartition, consumePerPartition),
            predicted,
            measured,
            "s into the measured period",
            !Double.isNaN(measured) && Math.abs(measured - predicted) <= slack,
            String.format("measured is the first OFFSET_OUT_OF_RANGE a consumer saw; agrees within %.1f s " +
                "(retention runs every %d ms)", slack, config.retentionCheckMs()));
    }

    /**
     * Least-squares slope of the summed lag over time, up to the first out-of-range event (after which the consumer
     * jumps forward and lag drops).
     */
    static double totalLagSlope(final RunResult run)
    {
        final List<List<TimePoint>> series = new ArrayList<>(run.series().lag().values());
        if (series.isEmpty() || series.get(0).size() < 3)
        {
            return Double.NaN;
        }
        final double outOfRange = run.series().consumerOutOfRange();
        final double cutoff = outOfRange < 0 ? Double.POSITIVE_INFINITY : outOfRange;
        double sumT = 0;
        double sumL = 0;
        double sumTT = 0;
        double sumTL = 0;
        int n = 0;
        for (int i = 0; i < series.get(0).size(); i++)
        {
            final double t = series.get(0).get(i).seconds();
            if (t < 0 || t >= cutoff)
            {
                continue;
            }
            double lag = 0;
            for (final List<TimePoint> partition : series)
            {
                lag += i < partition.size() ? partition.get(i).value() : 0;
            }
            sumT += t;
            sumL += lag;
            sumTT += t * t;
            sumTL += t * lag;
            n++;
        }
        final double denominator = n * sumTT - sumT * sumT;
        return n < 3 || denominator == 0 ? Double.NaN : (n * sumTL - sumT * sumL) / denominator;
    }
}
