package io.loglab.latency.formula;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SizingFormulasTest
{
    @Test
    void shouldTakeTheSmallerOfDiskAndNetworkBoundsInMessagesPerSecond()
    {
        // 1 broker, 500 MB/s disk, RF 1, 2 GB/s network, 100-byte messages: disk-bound at 5M messages/s.
        assertEquals(5_000_000, SizingFormulas.throughputBound(1, 500e6, 1, 2e9, 100), 1e-6);
        // RF 3 on three brokers: 3 * 500e6 / (3 * 100) = 5M; network 3 * 100e6 / 100 = 3M: network-bound.
        assertEquals(3_000_000, SizingFormulas.throughputBound(3, 500e6, 3, 100e6, 100), 1e-6);
    }

    @Test
    void shouldGrowLagAtTheDifferenceOfRates()
    {
        assertEquals(3000, SizingFormulas.lagGrowthRate(10_000, 7_000), 0);
        assertEquals(-1000, SizingFormulas.lagGrowthRate(1_000, 2_000), 0);
    }

    @Test
    void shouldBoundLagByRetentionBytesOverMessageSize()
    {
        assertEquals(10_000, SizingFormulas.maxLagBeforeLoss(1_000_000, 100), 0);
    }

    @Test
    void shouldPredictLossAtTheFirstDeletionThatOvertakesTheConsumer()
    {
        // B = 1 MB, S = 100 kB, s = 100 B, append 10k/s, consume 5k/s: k > 5000 * 1e6 / (1e5 * 5000) = 10, so k = 11,
        // t = (1e6 + 11 * 1e5) / (1e4 * 100) = 2.1 s.
        assertEquals(2.1, SizingFormulas.secondsUntilLoss(1_000_000, 100_000, 10_000, 5_000, 100), 1e-9);
        // A stopped consumer loses data at the very first deletion: (B + S) / (a * s).
        assertEquals(1.1, SizingFormulas.secondsUntilLoss(1_000_000, 100_000, 10_000, 0, 100), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, SizingFormulas.secondsUntilLoss(1_000_000, 100_000, 5_000, 5_000, 100));
    }

    @Test
    void shouldApproachLagInBytesReachingRetentionWhenSegmentsAreSmall()
    {
        final double exact = SizingFormulas.secondsUntilLoss(100_000_000, 1_000, 10_000, 9_000, 100);
        assertEquals(100_000_000 / (100.0 * 1_000), exact, 0.01 * exact);
    }

    @Test
    void shouldRecommendPartitionsForPeakOrConsumerParallelism()
    {
        assertEquals(4, SizingFormulas.partitionCount(1_000_000, 300_000, 2));
        assertEquals(8, SizingFormulas.partitionCount(1_000_000, 300_000, 8));
        assertThrows(IllegalArgumentException.class, () -> SizingFormulas.partitionCount(1, 0, 1));
    }
}
