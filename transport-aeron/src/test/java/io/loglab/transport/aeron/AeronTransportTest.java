package io.loglab.transport.aeron;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two nodes' transports, each with its own embedded media driver, over UDP on loopback: every message arrives once
 * and in order, long ones reassembled; a peer that does not take its messages back-pressures its sender and loses
 * none; an absent peer is reported, not written into the void; bad settings and messages are refused by name.
 */
class AeronTransportTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    /** Back pressure this long, with the receiver's driver running and its subscriber not polling, is the window. */
    private static final long STEADY_NS = TimeUnit.MILLISECONDS.toNanos(200);

    @TempDir
    Path dir;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private int received;
    private String receiveProblem;


    private AeronTransport node(final int id, final int port, final int peer, final int peerPort, final int termLength)
    {
        return AeronTransport.launch(new TransportContext()
            .aeronDirectory(dir.resolve("node-" + id))
            .endpoint("127.0.0.1:" + port)
            .peer(peer, "127.0.0.1:" + peerPort)
            .termLength(termLength));
    }

    /**
     * Message {@code seq}: its number, then bytes that depend on it, {@code length} in all.
     */
    private int fill(final int seq, final int length)
    {
        message.putInt(0, seq);
        for (int i = Integer.BYTES; i < length; i++)
        {
            message.putByte(i, (byte)(seq + i));
        }
        return length;
    }

    private static int lengthOf(final int seq)
    {
        return Integer.BYTES + (seq * 37) % 3000;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int seq = buffer.getInt(offset);
        if (receiveProblem == null)
        {
            if (seq != received || length != lengthOf(seq))
            {
                receiveProblem = "message " + received + " expected, got " + seq + " of " + length + " bytes";
            }
            for (int i = Integer.BYTES; i < length && receiveProblem == null; i++)
            {
                if (buffer.getByte(offset + i) != (byte)(seq + i))
                {
                    receiveProblem = "message " + seq + " byte " + i + " changed";
                }
            }
        }
        received++;
    }

    @Test
    void shouldDeliverEveryMessageOnceInOrderReassemblingThoseLongerThanTheMtu() throws IOException
    {
        final int portA = LoopbackPorts.freeUdpPort();
        final int portB = LoopbackPorts.freeUdpPort();
        final int count = 5_000;
        try (AeronTransport a = node(1, portA, 2, portB, 4 * 1024 * 1024);
            AeronTransport b = node(2, portB, 1, portA, 4 * 1024 * 1024))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            int sent = 0;
            while (sent < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, "sent " + sent + " of " + count + " in 30 s");
                final OfferOutcome outcome = a.send(2, message, 0, fill(sent, lengthOf(sent)));
                if (outcome == OfferOutcome.SENT)
                {
                    sent++;
                }
                else
                {
                    assertNotEquals(OfferOutcome.REPLACED, outcome);
                    b.poll(this::onMessage, 64);
                }
            }
            while (received < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, "received " + received + " of " + count + " in 30 s");
                b.poll(this::onMessage, 64);
            }
            assertNull(receiveProblem);
            assertEquals(count, received);
            assertEquals(0, b.poll(this::onMessage, 64), "nothing twice");
        }
    }

    @Test
    void shouldBackPressureASenderWhosePeerTakesNothingAndLoseNone() throws IOException
    {
        final int portA = LoopbackPorts.freeUdpPort();
        final int portB = LoopbackPorts.freeUdpPort();
        final int termLength = 64 * 1024;
        try (AeronTransport a = node(1, portA, 2, portB, termLength);
            AeronTransport b = node(2, portB, 1, portA, termLength))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            int sent = 0;
            // Until the window is full: back pressure that lasts (right after connecting it can be brief).
            long backPressuredSinceNs = 0;
            while (backPressuredSinceNs == 0 || System.nanoTime() - backPressuredSinceNs < STEADY_NS)
            {
                assertTrue(System.nanoTime() - deadline < 0, "no lasting back pressure after " + sent + " messages");
                final OfferOutcome outcome = a.send(2, message, 0, fill(sent, lengthOf(sent)));
                if (outcome == OfferOutcome.SENT)
                {
                    sent++;
                    backPressuredSinceNs = 0;
                }
                else if (outcome == OfferOutcome.BACK_PRESSURED && sent > 0 && backPressuredSinceNs == 0)
                {
                    backPressuredSinceNs = System.nanoTime();
                }
            }
            assertTrue(sent > 0 && sent * 1500L < 4L * termLength,
                sent + " messages taken before back pressure: bounded by the window");
            while (received < sent)
            {
                assertTrue(System.nanoTime() - deadline < 0, "received " + received + " of " + sent);
                b.poll(this::onMessage, 64);
            }
            assertNull(receiveProblem);
            assertEquals(sent, received, "every message taken before back pressure arrives");
        }
    }

    @Test
    void shouldLetASlowPeerSlowNobodyElse() throws IOException
    {
        final int portA = LoopbackPorts.freeUdpPort();
        final int portB = LoopbackPorts.freeUdpPort();
        final int portC = LoopbackPorts.freeUdpPort();
        final int termLength = 64 * 1024;
        try (AeronTransport a = AeronTransport.launch(new TransportContext().aeronDirectory(dir.resolve("node-1"))
                .endpoint("127.0.0.1:" + portA).peer(2, "127.0.0.1:" + portB).peer(3, "127.0.0.1:" + portC)
                .termLength(termLength));
            AeronTransport b = node(2, portB, 1, portA, termLength);
            AeronTransport ignored = node(3, portC, 1, portA, termLength))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            int toB = 0;
            int backPressuredByC = 0;
            final int count = 2_000;
            while (toB < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, toB + " of " + count + " to node 2 in 30 s");
                if (a.send(2, message, 0, fill(toB, lengthOf(toB))) == OfferOutcome.SENT)
                {
                    toB++;
                }
                // Node 3 never polls: its window fills and stays full.
                if (a.send(3, message, 0, fill(0, 100)) == OfferOutcome.BACK_PRESSURED)
                {
                    backPressuredByC++;
                }
                b.poll(this::onMessage, 64);
            }
            while (received < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, "node 2 received " + received + " of " + count);
                b.poll(this::onMessage, 64);
            }
            assertNull(receiveProblem);
            assertTrue(backPressuredByC > 0, "node 3 took everything: the test did not fill its window");
        }
    }

    @Test
    void shouldReportAnAbsentPeerAsNotConnected() throws IOException
    {
        try (AeronTransport a = node(1, LoopbackPorts.freeUdpPort(), 2, LoopbackPorts.freeUdpPort(), 64 * 1024))
        {
            assertFalse(a.isConnected(2));
            assertEquals(OfferOutcome.NOT_CONNECTED, a.send(2, message, 0, fill(0, 100)));
            final IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> a.send(3, message, 0, 100));
            assertTrue(unknown.getMessage().contains("node 3 is not a peer"), unknown.getMessage());
        }
    }

    @Test
    void shouldRefuseAMessageLongerThanItsLinkTakes() throws IOException
    {
        try (AeronTransport a = node(1, LoopbackPorts.freeUdpPort(), 2, LoopbackPorts.freeUdpPort(), 64 * 1024))
        {
            assertEquals(8 * 1024, a.maxMessageLength());
            final IllegalArgumentException tooLong =
                assertThrows(IllegalArgumentException.class, () -> a.send(2, message, 0, 8 * 1024 + 1));
            assertTrue(tooLong.getMessage().contains("8193 bytes to node 2 is longer than the 8192"),
                tooLong.getMessage());
        }
    }

    @Test
    void shouldRefuseBadSettingsNamingThem()
    {
        assertRefused("mtu length 1000 is not valid", new TransportContext().mtuLength(1000));
        assertRefused("term length 100000 is not valid", new TransportContext().termLength(100_000));
        assertRefused("endpoint 'localhost' is not host:port", new TransportContext().endpoint("localhost"));
        assertRefused("peer 2 '127.0.0.1:70000' is not host:port",
            new TransportContext().endpoint("127.0.0.1:1").peer(2, "127.0.0.1:70000"));
        assertRefused("aeron directory must be given", new TransportContext().aeronDirectory(null));
    }

    @Test
    void shouldLetTwoNodesShareOneDriverAndStillTalkOverUdp() throws IOException
    {
        final int portA = LoopbackPorts.freeUdpPort();
        final int portB = LoopbackPorts.freeUdpPort();
        final Path shared = dir.resolve("shared");
        assertRefused("holds no running media driver to connect to",
            new TransportContext().aeronDirectory(shared).launchDriver(false));
        try (SharedMediaDriver driver = SharedMediaDriver.launch(new TransportContext().aeronDirectory(shared));
            AeronTransport a = AeronTransport.launch(new TransportContext().aeronDirectory(shared).launchDriver(false)
                .endpoint("127.0.0.1:" + portA).peer(2, "127.0.0.1:" + portB));
            AeronTransport b = AeronTransport.launch(new TransportContext().aeronDirectory(shared).launchDriver(false)
                .endpoint("127.0.0.1:" + portB).peer(1, "127.0.0.1:" + portA)))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            for (int sent = 0; sent < 100; )
            {
                assertTrue(System.nanoTime() - deadline < 0, "sent " + sent + " of 100 in 30 s");
                if (a.send(2, message, 0, fill(sent, lengthOf(sent))) == OfferOutcome.SENT)
                {
                    sent++;
                }
                b.poll(this::onMessage, 64);
            }
            while (received < 100)
            {
                assertTrue(System.nanoTime() - deadline < 0, "received " + received + " of 100 in 30 s");
                b.poll(this::onMessage, 64);
            }
            assertNull(receiveProblem);
        }
        final Path theirs = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(theirs.resolve("notes.txt"), "keep me");
        assertThrows(IllegalArgumentException.class,
            () -> SharedMediaDriver.launch(new TransportContext().aeronDirectory(theirs)));
        assertEquals("keep me", Files.readString(theirs.resolve("notes.txt")));
    }

    @Test
    void shouldLeaveADirectoryItDidNotMakeAlone() throws IOException
    {
        final Path theirs = Files.createDirectories(dir.resolve("theirs"));
        final Path file = Files.writeString(theirs.resolve("notes.txt"), "keep me");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> new TransportContext().aeronDirectory(theirs).endpoint("127.0.0.1:1").conclude());
        assertTrue(refused.getMessage().contains("holds files that are not a media driver's"), refused.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    private void assertRefused(final String expected, final TransportContext context)
    {
        if (context.aeronDirectory() == null && !expected.startsWith("aeron"))
        {
            context.aeronDirectory(dir.resolve("unused"));
        }
        if (context.endpoint() == null)
        {
            context.endpoint("127.0.0.1:1");
        }
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
