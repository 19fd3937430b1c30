package io.loglab.transport.aeron;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * UDP and TCP ports on loopback for nodes started in one JVM (the embedded cluster, tests): taken in turn from below
 * the kernel's ephemeral range (32768 and up on Linux by default), each checked free by binding it once. A port asked
 * of the kernel (bind to 0) would come from the ephemeral range, where the drivers' own ephemeral sockets
 * ({@code endpoint=host:0}) could take it between the check and its use.
 */
public final class LoopbackPorts
{
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    /** Where the next search starts; shared by every caller in the JVM so none hands out a port twice. */
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST + (int)(ProcessHandle.current().pid() % 4000));

    private LoopbackPorts()
    {
    }

    /**
     * A UDP port free on loopback now, not handed out before by this JVM.
     *
     * @throws UncheckedIOException if none is free in the range.
     */
    public static int freeUdpPort()
    {
        return freePort(true);
    }

    /**
     * Whether {@code port} (UDP, or TCP) on loopback can be bound now: it is bound once and let go.
     */
    public static boolean isFree(final int port, final boolean udp)
    {
        try (Closeable socket = udp ? new DatagramSocket(port, InetAddress.getLoopbackAddress()) :
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
        {
            return true;
        }
        catch (final IOException taken)
        {
            return false;
        }
    }

    /**
     * A TCP port free on loopback now, not handed out before by this JVM: for brokers whose addresses every node
     * must know before any binds.
     *
     * @throws UncheckedIOException if none is free in the range.
     */
    public static int freeTcpPort()
    {
        return freePort(false);
    }

    private static int freePort(final boolean udp)
    {
        for (int tries = 0; tries < LAST - FIRST; tries++)
        {
            final int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
            if (isFree(port, udp))
            {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no " + (udp ? "UDP" : "TCP") + " port free on loopback " +
            "from " + FIRST + " to " + LAST));
    }
}
