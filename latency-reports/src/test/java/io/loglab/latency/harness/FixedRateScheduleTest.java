package io.loglab.latency.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedRateScheduleTest
{
    private static final long START = 7_000_000_123L;

    @Test
    void shouldSpaceRecordsByOneOverTheRateWhenItDividesASecond()
    {
        final FixedRateSchedule schedule = new FixedRateSchedule(START, 1000);

        assertEquals(START, schedule.intendedNanos(0));
        assertEquals(START + 1_000_000, schedule.intendedNanos(1));
        assertEquals(START + 1_000_000_000, schedule.intendedNanos(1000));
    }

    @Test
    void shouldComputeEachTimeFromItsIndexSoRoundingNeverAccumulatesWhenTheRateDoesNotDivideASecond()
    {
        final FixedRateSchedule schedule = new FixedRateSchedule(START, 3);

        assertEquals(START + 333_333_333, schedule.intendedNanos(1));
        assertEquals(START + 666_666_666, schedule.intendedNanos(2));
        assertEquals(START + 1_000_000_000, schedule.intendedNanos(3));
        assertEquals(START + 3_600_000_000_000L, schedule.intendedNanos(3 * 3600));
    }

    @Test
    void shouldCountRecordsDueAtOrBeforeNowWhenAskedAroundTheirTimes()
    {
        final FixedRateSchedule schedule = new FixedRateSchedule(START, 1000);

        assertEquals(0, schedule.dueBy(START - 1));
        assertEquals(1, schedule.dueBy(START));
        assertEquals(1, schedule.dueBy(START + 999_999));
        assertEquals(2, schedule.dueBy(START + 1_000_000));
        assertEquals(1001, schedule.dueBy(START + 1_000_000_000));
    }

    @Test
    @Timeout(10)
    void shouldPlaceNowBetweenTheLastDueAndTheNextIntendedTimeWhenRatesAndTimesAreArbitrary()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++)
        {
            final FixedRateSchedule schedule = new FixedRateSchedule(START, random.nextLong(1, 5_000_000));
            final long now = START + random.nextLong(0, 48L * 3600 * 1_000_000_000L);
            final long due = schedule.dueBy(now);

            assertTrue(schedule.intendedNanos(due - 1) <= now, () -> schedule.recordsPerSecond() + " at " + now);
            assertTrue(schedule.intendedNanos(due) > now, () -> schedule.recordsPerSecond() + " at " + now);
        }
    }

    @Test
    void shouldRefuseARateWhenItIsBelowOneOrTooLargeToComputeExactly()
    {
        assertThrows(IllegalArgumentException.class, () -> new FixedRateSchedule(START, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new FixedRateSchedule(START, FixedRateSchedule.MAX_RECORDS_PER_SECOND + 1));
    }
}
