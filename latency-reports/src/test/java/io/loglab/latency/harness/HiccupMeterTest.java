package io.loglab.latency.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Drives the hiccup meter with a simulated clock whose sleeps last as scripted: no real time.
 */
class HiccupMeterTest
{
    private static final long MILLI = 1_000_000L;

    /**
     * A clock that moves only when the meter sleeps, by the next scripted duration.
     */
    private static final class ScriptedSleeps
    {
        final Deque<Long> durations = new ArrayDeque<>();
        final Deque<Long> asked = new ArrayDeque<>();
        long now = 5 * MILLI;

        ScriptedSleeps(final List<Long> durations)
        {
            this.durations.addAll(durations);
        }

        void sleep(final long nanos)
        {
            asked.add(nanos);
            now += durations.removeFirst();
        }
    }

    private static Histogram drive(final List<Long> sleeps) throws InterruptedException
    {
        final ScriptedSleeps script = new ScriptedSleeps(sleeps);
        final HiccupMeter meter = new HiccupMeter(() -> script.now, script::sleep, MILLI);
        for (int i = 0; i < sleeps.size(); i++)
        {
            assertEquals(1, meter.doWork(0L), "every cycle is one sample");
        }
        script.asked.forEach(nanos -> assertEquals(MILLI, nanos, "always asks for the resolution"));
        return meter.hiccups().getIntervalHistogram();
    }

    @Test
    void shouldRecordNothingButZerosWhenEveryWakeUpIsAsPromptAsTheBest() throws Exception
    {
        final Histogram hiccups = drive(List.of(1_050_000L, 1_050_000L, 1_050_000L, 1_050_000L));

        assertEquals(4, hiccups.getTotalCount());
        assertEquals(0, hiccups.getMaxValue(), "lateness is measured against the shortest sleep seen");
    }

    @Test
    void shouldRecordTheLatenessOverTheShortestSleepAndTheSamplesAStallHidWhenOneWakeUpIsLate() throws Exception
    {
        // Nine prompt sleeps of 1.05 ms, then one that took 21.05 ms: a 20 ms stall.
        final List<Long> sleeps = new ArrayList<>();
        for (int i = 0; i < 9; i++)
        {
            sleeps.add(1_050_000L);
        }
        sleeps.add(21_050_000L);

        final Histogram hiccups = drive(sleeps);

        // The stall itself (20 ms), and the 19 samples of 19, 18, ..., 1 ms a 1 ms sampler would have taken in it.
        assertEquals(10 + 19, hiccups.getTotalCount());
        assertEquals(9, hiccups.getCountAtValue(0));
        assertEquals(20 * MILLI, hiccups.getMaxValue(), hiccups.getMaxValue() / 1000.0);
        for (long missed = 1; missed <= 19; missed++)
        {
            assertEquals(1, hiccups.getCountAtValue(missed * MILLI), "corrected sample at " + missed + " ms");
        }
    }

    @Test
    void shouldMeasureAgainstALaterShorterSleepWhenTheFirstOnesWereSlow() throws Exception
    {
        final Histogram hiccups = drive(List.of(3_000_000L, 1_100_000L, 1_100_000L));

        // The first sleep is its own shortest (0); from the second on, 1.1 ms is the best: both record 0.
        assertEquals(3, hiccups.getTotalCount());
        assertEquals(0, hiccups.getMaxValue());
    }

    @Test
    void shouldRefuseAResolutionThatIsNotPositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new HiccupMeter(() -> 0L, nanos -> { }, 0));
    }
}
