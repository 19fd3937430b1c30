package io.loglab.latency.harness;

import io.loglab.latency.baseline.LogFootprint;
import io.loglab.latency.baseline.WriteShape;
import io.loglab.latency.result.ThreadCensus;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The timing loop of one run, on the calling thread: start the agents' threads, wait out the warm-up, drop what it
 * recorded, then cut one interval a second from every latency log until the measured period ends (or an agent
 * fails), count the threads at its middle, and stop every thread with bounded joins.
 * <p>
 * Histograms and counters are cut at (almost) the same instant at both ends of the measured period, so their record
 * counts agree. Everything an agent thread owns is read only after that thread is joined.
 */
final class RunCoordinator
{
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long JOIN_TIMEOUT_MS = 10_000;

    /**
     * The measured period's bounds, and the threads counted in its middle.
     */
    record MeasuredPeriod(CounterSnapshot begin, CounterSnapshot end, ThreadCensus threads)
    {
        /**
         * The log bytes written before and during the measured period, and how long each part took.
         *
         * @param startNanos when the run, warm-up included, began.
         * @param kept       what the run's log kept of them.
         */
        WriteShape writeShape(final long startNanos, final LogFootprint kept)
        {
            return new WriteShape(begin.acknowledgedLogBytes, Math.max(0, begin.nanos - startNanos),
                end.acknowledgedLogBytes - begin.acknowledgedLogBytes, end.nanos - begin.nanos, kept);
        }
    }

    private RunCoordinator()
    {
    }

    /**
     * Run the wired agents through warm-up and measured period, and stop them.
     *
     * @param problems told of agents that failed or would not stop.
     */
    static MeasuredPeriod measure(final RunWiring wiring, final ProgressListener listener, final Problems problems)
        throws InterruptedException
    {
        final List<AgentThread> threads = wiring.allThreads();
        final ProgressReporter progress =
            new ProgressReporter(listener, wiring.timeline.startNanos(), wiring.producerMeasurements);
        // A first cut now loads classes and allocates the reusable histograms, so the cut at the boundary is quick.
        wiring.logs.values().forEach(LatencyLog::discard);
        threads.forEach(AgentThread::start);
        try
        {
            awaitOrFailure(wiring.timeline.measureStartNanos(), threads, progress);
            // Histograms and counters are cut at (almost) the same instant, so their record counts agree.
            wiring.logs.values().forEach(LatencyLog::discard);
            final CounterSnapshot begin = new CounterSnapshot(wiring.producerMeasurements);
            return measureIntervals(wiring, begin, threads, progress);
        }
        finally
        {
            stop(wiring.producerThreads, problems);
            stop(wiring.otherThreads, problems);
            wiring.closeLogs();
            for (final AgentThread thread : threads)
            {
                if (thread.failure() != null)
                {
                    problems.fail(thread.name() + " failed, ending the run early: " + thread.failure());
                }
            }
        }
    }

    /**
     * Cut one interval per second from every latency log until the measured period ends (or an agent fails), and
     * take the closing snapshot between the last cut and the file writes, so counts and histograms agree. The
     * threads are counted after the first cut at or past the middle of the period.
     */
    private static MeasuredPeriod measureIntervals(
        final RunWiring wiring,
        final CounterSnapshot begin,
        final List<AgentThread> threads,
        final ProgressReporter progress)
    {
        final long measureEndNanos = wiring.timeline.measureEndNanos();
        final long middleNanos = begin.nanos + (measureEndNanos - begin.nanos) / 2;
        long intervalStartEpochMs = begin.epochMs;
        long tick = begin.nanos;
        CounterSnapshot end = null;
        ThreadCensus census = null;
        while (end == null)
        {
            tick = Math.min(tick + INTERVAL_NANOS, measureEndNanos);
            final boolean agentsRunning = awaitOrFailure(tick, threads, progress);
            final long nowEpochMs = System.currentTimeMillis();
            wiring.logs.values().forEach(LatencyLog::cutInterval);
            if (!agentsRunning || tick == measureEndNanos)
            {
                end = new CounterSnapshot(wiring.producerMeasurements);
            }
            for (final LatencyLog log : wiring.logs.values())
            {
                log.logInterval(intervalStartEpochMs, nowEpochMs);
            }
            intervalStartEpochMs = nowEpochMs;
            if (census == null && (tick - middleNanos >= 0 || end != null))
            {
                census = LiveThreads.census(wiring.config.writerThreadsSetting(), wiring.engineWriterThreads);
            }
        }
        return new MeasuredPeriod(begin, end, census);
    }

    /**
     * Wait until {@code deadlineNanos}, telling progress on the way.
     *
     * @return false, early, if an agent thread has ended on its own (it failed).
     */
    private static boolean awaitOrFailure(
        final long deadlineNanos, final List<AgentThread> threads, final ProgressReporter progress)
    {
        long now;
        while ((now = System.nanoTime()) < deadlineNanos)
        {
            for (final AgentThread thread : threads)
            {
                if (!thread.isAlive())
                {
                    return false;
                }
            }
            progress.maybeReport(now);
            LockSupport.parkNanos(Math.min(deadlineNanos - now, POLL_NANOS));
        }
        return true;
    }

    private static void stop(final List<AgentThread> threads, final Problems problems) throws InterruptedException
    {
        threads.forEach(AgentThread::requestStop);
        for (final AgentThread thread : threads)
        {
            if (!thread.join(JOIN_TIMEOUT_MS))
            {
                problems.fail(thread.name() + " did not stop within " + JOIN_TIMEOUT_MS + " ms; left running");
            }
        }
    }
}
