package io.loglab.replication.quorum;

import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.CommitRule;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The controller messages' layout: each type read back as written, from any offset; short, unknown and
 * wrong-version messages refused with the reason; a topic's log settings carried as text and read back equal.
 */
class ControllerMessagesTest
{
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(256);

    /**
     * The message just written, copied to {@code at} in a buffer of its own, as it arrives from the wire.
     */
    private UnsafeBuffer received(final int length, final int at)
    {
        final UnsafeBuffer in = new UnsafeBuffer(new byte[at + length]);
        in.putBytes(at, out, 0, length);
        return in;
    }

    @Test
    void shouldReadEveryTypeBackAsWritten()
    {
        final UUID id = UUID.randomUUID();
        final PartitionState state = new PartitionState(new int[] {3, 1, 2}, 1, 7, 9, new int[] {1, 3});

        int length = ControllerMessages.partition(out, 42, "orders", id, 5, state);
        UnsafeBuffer in = received(length, 13);
        assertNull(ControllerMessages.check(in, 13, length));
        assertEquals(ControllerMessages.PARTITION, ControllerMessages.type(in, 13));
        assertEquals(5, ControllerMessages.int4(in, 13));
        assertEquals(42, ControllerMessages.long8(in, 13));
        assertEquals(id, ControllerMessages.topicId(in, 13));
        assertEquals(state, ControllerMessages.partitionState(in, 13));
        assertEquals("orders", ControllerMessages.partitionTopic(in, 13));

        length = ControllerMessages.proposeIsr(out, 2, "t", 4, 6, 8, new int[] {2, 3});
        in = received(length, 7);
        assertNull(ControllerMessages.check(in, 7, length));
        assertEquals(2, ControllerMessages.int4(in, 7));
        assertEquals(4, ControllerMessages.proposedPartition(in, 7));
        assertEquals(6, ControllerMessages.proposedLeaderEpoch(in, 7));
        assertEquals(8, ControllerMessages.proposedPartitionEpoch(in, 7));
        assertArrayEquals(new int[] {2, 3}, ControllerMessages.proposedIsr(in, 7));
        assertEquals("t", ControllerMessages.proposedTopic(in, 7));

        length = ControllerMessages.logReport(out, 3, 9L, "t", 4, 7, 6, 1234L);
        in = received(length, 5);
        assertNull(ControllerMessages.check(in, 5, length));
        assertEquals(3, ControllerMessages.int4(in, 5));
        assertEquals(9L, ControllerMessages.long8(in, 5));
        assertEquals(4, ControllerMessages.reportPartition(in, 5));
        assertEquals(7, ControllerMessages.reportLeaderEpoch(in, 5));
        assertEquals(6, ControllerMessages.reportLatestEpoch(in, 5));
        assertEquals(1234L, ControllerMessages.reportLogEnd(in, 5));
        assertEquals("t", ControllerMessages.reportTopic(in, 5));

        final TopicSettings unclean = new TopicSettings(3, 2, true, CommitRule.ISR);
        length = ControllerMessages.createTopic(out, 11, "logs", 6, unclean, "a=b\n");
        in = received(length, 0);
        assertEquals(6, ControllerMessages.int4(in, 0));
        assertEquals(11, ControllerMessages.long8(in, 0));
        assertEquals(unclean, ControllerMessages.createSettings(in, 0));
        assertEquals("logs", ControllerMessages.createName(in, 0));
        assertEquals("a=b\n", ControllerMessages.createLogSettings(in, 0));

        final TopicSettings majority = new TopicSettings(5, 3, false, CommitRule.MAJORITY);
        length = ControllerMessages.topic(out, 3, "logs", id, 6, majority, "x=y\n");
        in = received(length, 1);
        assertEquals(majority, ControllerMessages.topicSettings(in, 1));
        assertEquals("logs", ControllerMessages.topicName(in, 1));
        assertEquals("x=y\n", ControllerMessages.topicLogSettings(in, 1));
        assertEquals(id, ControllerMessages.topicId(in, 1));

        length = ControllerMessages.heartbeat(out, 3, 99, 17);
        in = received(length, 2);
        assertEquals(3, ControllerMessages.int4(in, 2));
        assertEquals(99, ControllerMessages.long8(in, 2));
        assertEquals(17, ControllerMessages.heartbeatApplied(in, 2));

        length = ControllerMessages.result(out, 5, "no");
        assertEquals("no", ControllerMessages.resultError(received(length, 0), 0));

        length = ControllerMessages.deleteTopic(out, 8, "gone");
        in = received(length, 3);
        assertNull(ControllerMessages.check(in, 3, length));
        assertEquals(8, ControllerMessages.long8(in, 3));
        assertEquals("gone", ControllerMessages.deleteName(in, 3));

        length = ControllerMessages.topicDeleted(out, 12, "gone", id);
        in = received(length, 1);
        assertNull(ControllerMessages.check(in, 1, length));
        assertEquals(12, ControllerMessages.long8(in, 1));
        assertEquals(id, ControllerMessages.topicId(in, 1));
        assertEquals("gone", ControllerMessages.deletedName(in, 1));
        length = ControllerMessages.resyncEnd(out, 40, 12);
        in = received(length, 0);
        assertEquals(12, ControllerMessages.int4(in, 0));
        assertEquals(40, ControllerMessages.long8(in, 0));
    }

    @Test
    void shouldRefuseShortUnknownAndWrongVersionMessagesWithTheReason()
    {
        final int length = ControllerMessages.heartbeat(out, 1, 1, 0);
        assertEquals("a controller message of type 1 needs at least 24 bytes, got 23",
            ControllerMessages.check(out, 0, length - 1));
        assertEquals("a controller message of 3 bytes has no header", ControllerMessages.check(out, 0, 3));
        out.putShort(0, (short)77);
        assertEquals("controller message type 77 is not known", ControllerMessages.check(out, 0, length));
        out.putShort(2, (short)1);
        assertEquals("controller message version 1 is not 2 to 3", ControllerMessages.check(out, 0, length));
        final int heartbeat = ControllerMessages.heartbeat(out, 1, 1, 0);
        out.putShort(2, (short)2);
        assertNull(ControllerMessages.check(out, 0, heartbeat), "a version 2 log is still replayed");


        // Long enough for its fixed part, but its topic name runs past the end: reading it fails, never quietly.
        final int partition = ControllerMessages.partition(out, 1, "a-long-topic-name", UUID.randomUUID(), 0,
            new PartitionState(new int[] {1}, 1, 0, 0, new int[] {1}));
        final UnsafeBuffer cut = received(partition - 4, 0);
        assertNull(ControllerMessages.check(cut, 0, partition - 4));
        assertThrows(IndexOutOfBoundsException.class, () -> ControllerMessages.partitionTopic(cut, 0));
    }

    @Test
    void shouldCarryATopicsLogSettingsAsText()
    {
        final LogConfig config = new LogConfig().segmentBytes(1 << 20).retentionMs(60_000)
            .cleanupPolicy(CleanupPolicy.COMPACT_DELETE).conclude();
        final String text = LogSettingsText.of(config);
        assertEquals(text, LogSettingsText.of(LogSettingsText.parse(text)), "the same text read back");
        assertEquals(config.toProperties(), LogSettingsText.parse(text).toProperties());
        assertThrows(IllegalArgumentException.class, () -> LogSettingsText.parse("segment.bytes=lots\n"));
    }
}
