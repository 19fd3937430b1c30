package io.loglab.replication.cluster;

import io.aeron.CommonContext;
import io.aeron.driver.Configuration;
import io.aeron.driver.DataPacketDispatcher;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ReceiveChannelEndpointSupplier;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.media.ReceiveChannelEndpoint;
import io.aeron.driver.media.UdpChannel;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults on the links into the nodes of an {@link EmbeddedCluster}, made by Aeron's own debug receive endpoint and
 * its loss generators: the media driver launched after {@link #install()} gives each node's endpoint one, which drops
 * datagrams coming in (data, setup, heartbeats) and going back out (status messages, NAKs) at random at
 * {@link #lossRate(double)}, and every one of them while the node is {@link #cutOff cut off}, as if its cable were
 * pulled: nothing reaches it and its receiver answers nothing, until it is {@link #heal healed}.
 * <p>
 * Threading: the state is static (Aeron makes the endpoint supplier by name, from a system property) and read by the
 * driver's thread; a test sets it from its own thread.
 */
public final class LossyLinks implements ReceiveChannelEndpointSupplier
{
    /** The endpoints ({@code host:port}) cut off now: a concurrent set, so the driver's thread sees each change. */
    private static final Set<String> CUT_OFF = ConcurrentHashMap.newKeySet();
    /** The chance each datagram is dropped: written by the test, read by the driver's thread. */
    private static volatile double lossRate;

    /**
     * Give the media drivers launched from now on this supplier of receive endpoints.
     */
    public static void install()
    {
        System.setProperty(Configuration.RECEIVE_CHANNEL_ENDPOINT_SUPPLIER_PROP_NAME, LossyLinks.class.getName());
    }

    /**
     * Back to Aeron's own endpoints for drivers launched from now on, every link whole.
     */
    public static void uninstall()
    {
        System.clearProperty(Configuration.RECEIVE_CHANNEL_ENDPOINT_SUPPLIER_PROP_NAME);
        CUT_OFF.clear();
        lossRate = 0;
    }

    public static void lossRate(final double rate)
    {
        lossRate = rate;
    }

    public static void cutOff(final String endpoint)
    {
        CUT_OFF.add(endpoint);
    }

    public static void heal(final String endpoint)
    {
        CUT_OFF.remove(endpoint);
    }

    @Override
    public ReceiveChannelEndpoint newInstance(final UdpChannel udpChannel, final DataPacketDispatcher dispatcher,
        final AtomicCounter statusIndicator, final MediaDriver.Context context)
    {
        final String endpoint = udpChannel.channelUri().get(CommonContext.ENDPOINT_PARAM_NAME);
        final LossGenerator loss = (address, buffer, length) ->
            CUT_OFF.contains(endpoint) || ThreadLocalRandom.current().nextDouble() < lossRate;
        return new DebugReceiveChannelEndpoint(udpChannel, dispatcher, statusIndicator, context, loss, loss);
    }
}
