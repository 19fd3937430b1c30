package io.loglab.latency.harness;

import io.loglab.latency.result.PercentilePoint;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One latency kind of a run (ack-written, end-to-end, ...): the {@link SingleWriterRecorder}s of the threads that
 * record it, an HdrHistogram interval log ({@code .hlog}) with one histogram per interval, and the total over the
 * measured period. Values are nanoseconds.
 * <p>
 * Threading: the coordinator only. Each interval it swaps every recorder's active histogram
 * ({@code getIntervalHistogram(reuse)}, as HdrHistogram's docs do it), so recording threads never wait.
 */
final class LatencyLog implements AutoCloseable
{
    /** Ticks per unit in {@code .hgrm} files and distributions: nanoseconds reported as microseconds. */
    static final double NANOS_PER_MICRO = 1000.0;
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private final String kind;
    private final SingleWriterRecorder[] recorders;
    private final Histogram[] reusable;
    private final Histogram interval = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private final PrintStream hlogStream;
    private final HistogramLogWriter hlog;

    /**
     * @param hlogFile    created or replaced.
     * @param baseEpochMs the measured period's start: interval times in the log are seconds from it.
     */
    LatencyLog(final String kind, final List<SingleWriterRecorder> recorders, final Path hlogFile,
        final long baseEpochMs) throws IOException
    {
        this.kind = kind;
        this.recorders = recorders.toArray(new SingleWriterRecorder[0]);
        this.reusable = new Histogram[recorders.size()];
        this.hlogStream = new PrintStream(Files.newOutputStream(hlogFile), false, "US-ASCII");
        this.hlog = new HistogramLogWriter(hlogStream);
        hlog.outputComment("loglab " + kind + " latency, nanoseconds, one histogram per interval");
        hlog.outputLogFormatVersion();
        hlog.outputStartTime(baseEpochMs);
        hlog.setBaseTime(baseEpochMs);
        hlog.outputBaseTime(baseEpochMs);
        hlog.outputLegend();
    }

    /**
     * Drop everything recorded so far (the warm-up).
     */
    void discard()
    {
        cutInterval();
    }

    /**
     * End the current interval: take what every recorder holds, without I/O, ready for {@link #logInterval}.
     */
    void cutInterval()
    {
        interval.reset();
        for (int i = 0; i < recorders.length; i++)
        {
            reusable[i] = recorders[i].getIntervalHistogram(reusable[i]);
            interval.add(reusable[i]);
        }
    }

    /**
     * Write the interval last cut to the log and add it to the total.
     */
    void logInterval(final long startEpochMs, final long endEpochMs)
    {
        interval.setStartTimeStamp(startEpochMs);
        interval.setEndTimeStamp(endEpochMs);
        hlog.outputIntervalHistogram(interval);
        total.add(interval);
    }

    /**
     * Write the total's percentile distribution, in microseconds, as HdrHistogram's {@code .hgrm} text.
     */
    void writeDistribution(final Path hgrmFile) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(hgrmFile), false, "US-ASCII"))
        {
            total.outputPercentileDistribution(out, NANOS_PER_MICRO);
        }
    }

    /**
     * @return the total's percentile curve, in microseconds, up to the maximum.
     */
    List<PercentilePoint> distribution()
    {
        final List<PercentilePoint> points = new ArrayList<>();
        if (total.getTotalCount() > 0)
        {
            for (final HistogramIterationValue value : total.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE))
            {
                points.add(new PercentilePoint(
                    value.getPercentileLevelIteratedTo(), value.getValueIteratedTo() / NANOS_PER_MICRO));
            }
        }
        return points;
    }

    Histogram total()
    {
        return total;
    }

    String kind()
    {
        return kind;
    }

    @Override
    public void close()
    {
        hlogStream.close();
    }
}
