package io.loglab.latency.result;

import io.loglab.latency.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadlineTest
{
    private static final RunConfig OPEN = RunConfig.DEFAULTS.with(Map.of("name", "open", "rate", "1000"));

    @Test
    void shouldTakeTheMiddleValueAndTheExtremesWhenTheCountIsOdd()
    {
        assertEquals(new Spread(20, 5, 90, 3), Spread.of(90, 5, 20));
    }

    @Test
    void shouldAverageTheTwoMiddleValuesWhenTheCountIsEven()
    {
        assertEquals(new Spread(25, 10, 40, 4), Spread.of(40, 10, 30, 20));
    }

    @Test
    void shouldLeaveOutMissingValuesAndGiveNoneWhenAllAreMissing()
    {
        assertEquals(new Spread(7, 7, 7, 1), Spread.of(Double.NaN, 7, Double.NaN));
        assertEquals(Spread.NONE, Spread.of(Double.NaN, Double.NaN));
        assertEquals(Spread.NONE, Spread.of());
    }

    @Test
    void shouldGiveTheMedianAndRangeOfEveryHeadlineFigureOverTheRepetitions()
    {
        final List<RunResult> runs = List.of(
            run(1, 1000, 2e8, 10, 40),
            run(2, 1300, 1e8, 30, 20),
            run(3, 1200, 4e8, 20, 30));

        final Headline headline = Headline.of(runs);

        assertEquals(new Spread(1200, 1000, 1300, 3), headline.achievedRate());
        assertEquals(new Spread(2e8, 1e8, 4e8, 3), headline.diskBaseline());
        // diskRatio = achieved * 120 log bytes / D: 0.0006, 0.00156, 0.00036.
        assertEquals(1200 * 120 / 4e8, headline.diskRatio().min(), 1e-15);
        assertEquals(1000 * 120 / 2e8, headline.diskRatio().median(), 1e-15);
        assertEquals(1300 * 120 / 1e8, headline.diskRatio().max(), 1e-15);
        // TestResults.latency(p50): p99 = 3 x p50, p99.9 = 4 x p50.
        assertEquals(new Spread(20, 10, 30, 3), headline.ackP50());
        assertEquals(new Spread(60, 30, 90, 3), headline.ackP99());
        assertEquals(new Spread(80, 40, 120, 3), headline.ackP999());
        assertEquals(new Spread(90, 60, 120, 3), headline.endToEndP99());
        assertEquals(Spread.NONE, headline.hiccupP99(), "no repetition measured hiccups");
    }

    @Test
    void shouldFailAConfigurationWhenAnyRepetitionFailedAndKeepEveryRepetition()
    {
        final RunResult failed = TestResults.run(OPEN, 2, RunResult.FAIL, List.of("slow"), 900, Double.NaN,
            Map.of(Latencies.ACK_WRITTEN, TestResults.latency(10)), TestResults.flat(900, 3));

        final ConfigurationResult configuration = ConfigurationResult.of(List.of(run(1, 1000, 1e8, 10, 10), failed));

        assertEquals(RunResult.FAIL, configuration.status());
        assertEquals(1, configuration.failures());
        assertEquals(2, configuration.repetitions().size());
        assertEquals(OPEN.hash(), configuration.configHash());
        assertEquals(new Spread(950, 900, 1000, 2), configuration.headline().achievedRate());
    }

    @Test
    void shouldRefuseRepetitionsOfDifferentConfigurations()
    {
        final RunResult other = TestResults.run(OPEN.with(Map.of("rate", "2000")), 2, RunResult.PASS, List.of(),
            2000, Double.NaN, Map.of(), TestResults.flat(2000, 3));

        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ConfigurationResult.of(List.of(run(1, 1000, 1e8, 10, 10), other))).getMessage().contains("differ"));
    }

    private static RunResult run(
        final int repetition, final double rate, final double disk, final double ackP50, final double endToEndP50)
    {
        return TestResults.run(OPEN, repetition, RunResult.PASS, List.of(), rate, disk,
            Map.of(Latencies.ACK_WRITTEN, TestResults.latency(ackP50),
                Latencies.END_TO_END, TestResults.latency(endToEndP50)),
            TestResults.flat(rate, 3));
    }
}
