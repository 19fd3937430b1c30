package io.loglab.latency.vskafka;

import io.loglab.broker.Broker;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Kafka-protocol driver against an in-process loglab broker: a fixed-rate run acknowledges and follows every
 * record it was due to send, a max run moves records, and each run's topic is gone afterwards. (Correctness of the
 * driver, not speed: figures are claimed only from scripts/bench.sh vs-kafka.)
 */
@Timeout(120)
class KafkaDriverTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMeasureEveryRecordOfAFixedRateRunAndOfAMaxRunAndDeleteEachTopic() throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(dir));
            Broker broker = Broker.start(logs, new InetSocketAddress("127.0.0.1", 0), Throwable::printStackTrace))
        {
            final String bootstrap = "127.0.0.1:" + broker.address().getPort();
            final KafkaDriver driver = new KafkaDriver();

            final Measurement fixed = driver.run("loglab", bootstrap,
                new Workload("fixed", 64, 2_000, 2, "all", 16 * 1024, 0, "none", 2, 1), 1);
            assertEquals(List.of(), fixed.problems());
            assertTrue(Math.abs(fixed.acked() - 4_000) <= 2, "the records due in 2 s at 2000/s: " + fixed.acked());
            assertEquals(fixed.acked(), fixed.ack().count(), "each acknowledged record timed");
            assertEquals(fixed.acked(), fixed.endToEnd().count(), "each followed by the consumer");
            assertTrue(fixed.ack().p50() > 0 && fixed.ack().p50() <= fixed.ack().p99());
            assertTrue(fixed.consumeRecordsPerSecond() > 0);
            assertTrue(fixed.requests().recordsPerRequest() >= 1, "the client's own figures: " + fixed.requests());
            assertTrue(fixed.requests().roundTripMicros() > 0, "the client's own figures: " + fixed.requests());

            final Measurement max = driver.run("loglab", bootstrap,
                new Workload("max", 100, 0, 1, "1", 64 * 1024, 5, "lz4", 1, 0), 1);
            assertEquals(List.of(), max.problems());
            assertTrue(max.acked() > 0);
            assertEquals(max.acked(), max.ack().count());

            assertEquals(List.of(), logs.topics().stream().map(topic -> topic.name())
                .filter(name -> name.startsWith("vs-")).toList(), "each run's topic was deleted");
        }
    }
}
