package io.loglab.latency.vskafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kafka 4.4's tools' summary lines, as they print them, parsed into figures; output without them gives none.
 */
class KafkaToolsTest
{
    @Test
    void shouldReadProducerPerformancesLastLineNotItsProgressLines()
    {
        final Map<String, Double> figures = KafkaTools.producerFigures(String.join("\n",
            "Option --producer-props has been deprecated and will be removed in a future version.",
            "93456 records sent, 18691.2 records/sec (1.78 MB/sec), 127.2 ms avg latency, 550.0 ms max latency.",
            "20000 records sent, 18761.726079 records/sec (1.79 MB/sec), 127.21 ms avg latency, 550.00 ms max " +
                "latency, 134 ms 50th, 179 ms 95th, 181 ms 99th, 183 ms 99.9th."));
        assertEquals(18761.726079, figures.get("records/s"), 1e-9);
        assertEquals(1.79, figures.get("MB/s"), 1e-9);
        assertEquals(127.21, figures.get("avg latency ms"), 1e-9);
        assertEquals(134, figures.get("p50 ms"));
        assertEquals(181, figures.get("p99 ms"));
        assertEquals(183, figures.get("p99.9 ms"));
        assertEquals(Map.of(), KafkaTools.producerFigures("Exception in thread main: no broker"));
    }

    @Test
    void shouldReadConsumerPerformancesHeaderAndValues()
    {
        final Map<String, Double> figures = KafkaTools.consumerFigures(String.join("\n",
            "Warning: --messages is deprecated. Use --num-records instead.",
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, " +
                "fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
            "2026-12-01 15:02:21:646, 2026-12-01 15:02:22:442, 1.9073, 2.3962, 20000, 25125.6281, 540, 256, " +
                "7.4506, 78125.0000"));
        assertEquals(25125.6281, figures.get("nMsg.sec"), 1e-9);
        assertEquals(78125.0, figures.get("fetch.nMsg.sec"), 1e-9);
        assertEquals(540, figures.get("rebalance.time.ms"));
        assertFalse(figures.containsKey("start.time"), "times are not figures");
    }

    @Test
    void shouldReadEndToEndLatencysAverageAndPercentiles()
    {
        final Map<String, Double> figures = KafkaTools.endToEndFigures(String.join("\n",
            "0\t107.82299099999999", "1000\t2.2581860000000002", "Avg latency: 4.0904 ms",
            "Percentiles: 50th = 2, 99th = 13, 99.9th = 28"));
        assertEquals(Map.of("avg ms", 4.0904, "p50 ms", 2.0, "p99 ms", 13.0, "p99.9 ms", 28.0), figures);
        assertEquals(Map.of(), KafkaTools.endToEndFigures("Avg latency: 4.0904 ms"));
    }
}
