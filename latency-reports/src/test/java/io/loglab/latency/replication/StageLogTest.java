package io.loglab.latency.replication;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stage attribution matches each batch with the first event of each stage past its last offset, in order, and leaves
 * out a stage that was never reached.
 */
class StageLogTest
{
    private static final UUID TOPIC = UUID.randomUUID();

    @Test
    void shouldMatchEachBatchWithTheFirstEventPastItsLastOffset()
    {
        final StageLog log = new StageLog();
        // Leader 1, follower 2: events for offsets up to 10, then up to 20.
        log.recordsSent(1, 2, TOPIC, 0, 10);
        log.recordsTaken(2, TOPIC, 0, 10);
        log.recordsWritten(2, TOPIC, 0, 10);
        log.positionHeard(1, 2, TOPIC, 0, 10);
        log.committed(1, TOPIC, 0, 10);
        log.recordsSent(1, 2, TOPIC, 0, 20);
        log.committed(1, TOPIC, 0, 20);
        final long now = System.nanoTime();
        log.batch(9, now - 5_000_000, now - 4_000_000, now - 3_000_000, now + 1_000_000_000);
        log.batch(19, now - 2_000_000, now - 1_000_000, now, now + 1_000_000_000);

        final List<StageLatency> stages = log.stages(1, 2);
        assertEquals(8, stages.size());
        assertEquals("queued at the producer", stages.get(0).stage());
        assertEquals(2, stages.get(0).samples());
        assertEquals(1000, stages.get(0).p50Micros(), 1, "due to sent: 1 ms each");
        assertEquals(2, stages.get(2).samples(), "leader to send: both batches were sent");
        assertEquals(1, stages.get(3).samples(), "the wire: only the first batch was taken");
        assertEquals(1, stages.get(5).samples(), "position back: only the first batch's");
        assertEquals(2, stages.get(6).samples(), "both committed");
        assertEquals(0, stages.get(1).p50Micros() - 1000, 1, "sent to written: 1 ms each");
    }
}
