package io.loglab.latency.formula;

import io.loglab.latency.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FormulaChecksTest
{
    private static RunConfig config(final int partitions, final int consumers, final long rate, final long consumerRate)
    {
        return RunConfig.DEFAULTS.with(Map.of(
            "partitions", Integer.toString(partitions),
            "consumers", Integer.toString(consumers),
            "rate", Long.toString(rate),
            "consumer-rate", Long.toString(consumerRate)));
    }

    @Test
    void shouldSplitEachConsumersRateOverThePartitionsItReads()
    {
        // 3 partitions at 100/s each; consumer 0 reads partitions 0 and 2 at 150/s in all, consumer 1 reads 1.
        assertArrayEquals(new double[]{ 75, 100, 75 }, FormulaChecks.consumeRatePerPartition(config(3, 2, 300, 150)));
    }

    @Test
    void shouldRunAtMostOneConsumerAPartition()
    {
        // 4 consumers asked for, 2 partitions: only 2 run, each reading one partition.
        assertArrayEquals(new double[]{ 50, 50 }, FormulaChecks.consumeRatePerPartition(config(2, 4, 200, 50)));
    }

    @Test
    void shouldNeverConsumeFasterThanAppended()
    {
        assertArrayEquals(new double[]{ 100 }, FormulaChecks.consumeRatePerPartition(config(1, 1, 100, 1000)));
    }
}
