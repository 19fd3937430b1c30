package io.loglab.replication.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.UUID;

import static io.loglab.replication.protocol.ReplicaMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every message type written and read back at an offset other than 0; short, unknown and damaged messages refused
 * with a reason; random bytes never taken for a message whose fields lie outside it.
 */
class ReplicaMessagesTest
{
    private static final UUID TOPIC = new UUID(0x0123456789abcdefL, 0xfedcba9876543210L);
    private static final int AT = 13;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(256));

    @Test
    void shouldReadBackEveryTypesFields()
    {
        putHeader(buffer, AT, RECORDS, 3, 77L, 9, TOPIC, 5);
        putRecords(buffer, AT, 100, 110, 95);
        assertNull(check(buffer, AT, RECORDS_HEADER_LENGTH + 20));
        assertEquals(RECORDS, type(buffer, AT));
        assertEquals(3, sender(buffer, AT));
        assertEquals(77L, incarnation(buffer, AT));
        assertEquals(9, leaderEpoch(buffer, AT));
        assertEquals(5, partition(buffer, AT));
        assertEquals(TOPIC, new UUID(topicIdMostSignificantBits(buffer, AT), topicIdLeastSignificantBits(buffer, AT)));
        assertEquals(100, recordsBaseOffset(buffer, AT));
        assertEquals(110, recordsEndOffset(buffer, AT));
        assertEquals(95, recordsHighWatermark(buffer, AT));

        putHeader(buffer, AT, HEARTBEAT, 1, 2L, 3, TOPIC, 0);
        putHeartbeat(buffer, AT, -1);
        assertNull(check(buffer, AT, HEARTBEAT_LENGTH));
        assertEquals(-1, heartbeatHighWatermark(buffer, AT));

        putHeader(buffer, AT, DIVERGENCE, 1, 2L, 3, TOPIC, 0);
        putDivergence(buffer, AT, 2, 40, true);
        assertNull(check(buffer, AT, DIVERGENCE_LENGTH));
        assertEquals(2, divergenceEpoch(buffer, AT));
        assertEquals(40, divergenceEndOffset(buffer, AT));
        assertTrue(divergenceTruncatesFully(buffer, AT));
        putDivergence(buffer, AT, 2, 40, false);
        assertFalse(divergenceTruncatesFully(buffer, AT));

        putHeader(buffer, AT, POSITION, 2, 5L, 3, TOPIC, 0);
        putPosition(buffer, AT, 120, 118, 3, true);
        assertNull(check(buffer, AT, POSITION_LENGTH));
        assertEquals(120, positionLogEndOffset(buffer, AT));
        assertEquals(118, positionDurableEndOffset(buffer, AT));
        assertEquals(3, positionLatestEpoch(buffer, AT));
        assertTrue(positionAsksResend(buffer, AT));
    }

    @Test
    void shouldRefuseShortUnknownAndInconsistentMessagesSayingWhy()
    {
        assertEquals("a message of 39 bytes is shorter than the 40-byte header", check(buffer, AT, 39));
        putHeader(buffer, AT, POSITION, 2, 5L, 3, TOPIC, 0);
        assertEquals("a message of type 4 needs 64 bytes, got 63", check(buffer, AT, 63));
        putHeader(buffer, AT, (short)9, 2, 5L, 3, TOPIC, 0);
        assertEquals("message type 9 is not known", check(buffer, AT, 64));
        buffer.putShort(AT + 2, (short)2);
        assertEquals("message version 2 is not 1", check(buffer, AT, 64));
        putHeader(buffer, AT, RECORDS, 3, 77L, 9, TOPIC, 5);
        putRecords(buffer, AT, 100, 99, 95);
        assertEquals("a records message ends at 99, before its base offset 100", check(buffer, AT, 64));
    }

    @Test
    void shouldTakeRandomBytesOnlyWhenEveryFieldLiesInside()
    {
        final Random random = new Random(42);
        int taken = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final int length = random.nextInt(80);
            for (int b = 0; b < length; b++)
            {
                buffer.putByte(AT + b, (byte)random.nextInt(256));
            }
            // Bias the type and version towards valid ones, so the length checks are reached.
            if (length >= 4 && random.nextBoolean())
            {
                buffer.putShort(AT, (short)(1 + random.nextInt(4)));
                buffer.putShort(AT + 2, VERSION);
            }
            if (check(buffer, AT, length) == null)
            {
                taken++;
                final short type = type(buffer, AT);
                final int least = type == RECORDS ? RECORDS_HEADER_LENGTH : type == HEARTBEAT ? HEARTBEAT_LENGTH :
                    type == DIVERGENCE ? DIVERGENCE_LENGTH : POSITION_LENGTH;
                assertTrue(length >= least, "type " + type + " taken at " + length + " bytes");
            }
        }
        assertTrue(taken > 0, "some random messages are well formed");
    }
}
