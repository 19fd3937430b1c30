package io.loglab.latency.config;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SuiteConfigTest
{
    private static SuiteConfig parse(final String text) throws Exception
    {
        return SuiteConfig.parse("test", new StringReader(text));
    }

    @Test
    void shouldLayDefaultsUnderNamedRuns() throws Exception
    {
        final SuiteConfig suite = parse("""
            defaults.partitions=3
            run.a.record-size=100
            run.b.record-size=1024
            run.b.partitions=1
            """);
        assertEquals(List.of("a", "b"), suite.runs().stream().map(RunConfig::name).toList());
        assertEquals(3, suite.runs().get(0).partitions());
        assertEquals(100, suite.runs().get(0).recordSize());
        assertEquals(1, suite.runs().get(1).partitions());
        assertEquals(RunConfig.DEFAULTS.batchBytes(), suite.runs().get(1).batchBytes());
    }

    @Test
    void shouldExpandSweepsAsCartesianProduct() throws Exception
    {
        final SuiteConfig suite = parse("""
            run.max.rate=0
            sweep.record-size=100,1024
            sweep.flush=every,interval:100
            """);
        assertEquals(4, suite.runs().size());
        assertEquals(List.of(
            "max_record-size=100_flush=every",
            "max_record-size=100_flush=interval-100",
            "max_record-size=1024_flush=every",
            "max_record-size=1024_flush=interval-100"), suite.runs().stream().map(RunConfig::name).toList());
        assertEquals("interval:100", suite.runs().get(3).flush().toString());
        assertEquals(1024, suite.runs().get(3).recordSize());
    }

    @Test
    void shouldNameTheBadKeyOrValue()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("run.a.record-sise=1"))
            .getMessage().contains("unknown setting 'record-sise'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("run.a.rate=fast"))
            .getMessage().contains("rate=fast: not a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("run.a.flush=sometimes"))
            .getMessage().contains("flush=sometimes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("bogus=1"))
            .getMessage().contains("'bogus'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("run.a.partitions=0"))
            .getMessage().contains("partitions=0"));
    }

    @Test
    void shouldLoadEveryBuiltInSuite() throws Exception
    {
        for (final String name : Suites.BUILT_IN)
        {
            final SuiteConfig suite = Suites.load(name);
            assertEquals(name, suite.name());
            assertFalse(suite.runs().isEmpty());
        }
        assertEquals(18, Suites.load("engine").runs().size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Suites.load("nope"))
            .getMessage().contains("quick, engine, latency, lag, shards"));
    }

    @Test
    void shouldCompareOneWriterPerPartitionWithTheDefaultAtEveryPartitionCountWhenLoadingShards() throws Exception
    {
        final SuiteConfig shards = Suites.load("shards");

        assertEquals(14, shards.runs().size(), "one thread per partition at 1000 partitions is left out");
        for (final String partitions : List.of("1", "3", "64", "1000"))
        {
            for (final String writers : List.of("0", "default"))
            {
                for (final String run : List.of("max", "rate-20k"))
                {
                    if (partitions.equals("1000") && writers.equals("0"))
                    {
                        continue;
                    }
                    final String name = run + "_" + partitions + "p_" +
                        (writers.equals("0") ? "per-partition" : "sharded");
                    final RunConfig config = shards.runs().stream().filter(r -> r.name().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError("no run " + name));
                    assertEquals(partitions, config.toMap().get("partitions"));
                    assertEquals(writers, config.toMap().get("writer-threads"));
                    assertEquals(run.equals("max"), !config.isOpenLoop());
                }
            }
        }
        final long seconds = shards.runs().stream().mapToLong(r -> r.warmupSeconds() + r.durationSeconds()).sum();
        assertTrue(seconds <= 120, "short runs: " + seconds + " s measured and warming up");
        assertTrue(shards.runs().stream().noneMatch(r -> r.partitions() == 1000 && r.writerThreads() == 0));
    }

    @Test
    void shouldReadTheRepeatCountAndNameItWhenItIsBad() throws Exception
    {
        assertEquals(1, parse("run.a.rate=0").repeat());
        assertEquals(3, parse("repeat=3\nrun.a.rate=0").repeat());
        assertEquals(5, parse("repeat=3\nrun.a.rate=0").withRepeat(5).repeat());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("repeat=0\nrun.a.rate=0"))
            .getMessage().contains("repeat=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("repeat=often\nrun.a.rate=0"))
            .getMessage().contains("repeat=often"));
        assertThrows(IllegalArgumentException.class, () -> parse("run.a.rate=0").withRepeat(0));
    }
}
