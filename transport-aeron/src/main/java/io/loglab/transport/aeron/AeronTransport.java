package io.loglab.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.status.CountersReader;

import java.util.concurrent.TimeUnit;

/**
 * One node's messaging over Aeron UDP: an embedded media driver in the node's own directory, one subscription on the
 * node's endpoint that every peer sends to, and one exclusive publication to each peer ({@link PeerPublication}).
 * Messages are opaque bytes: whatever travels over it (replica streams, positions) is the caller's protocol, and this
 * module knows nothing of the engine.
 * <p>
 * {@link #send} gives back every outcome of Aeron's offer ({@link OfferOutcome}); nothing is dropped without the
 * caller knowing. {@link #poll} hands whole messages to a {@link MessageHandler}, reassembled from fragments when a
 * message is longer than the MTU.
 * <p>
 * Threading: one thread (the node's) sends, polls and closes. The media driver runs its own thread(s) as the
 * {@link DriverProfile} says.
 */
public final class AeronTransport implements AutoCloseable
{
    private static final long IDLE_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final TransportContext context;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription inbound;
    private final Int2ObjectHashMap<PeerPublication> peers = new Int2ObjectHashMap<>();
    private final FragmentHandler assembler;
    private MessageHandler handler;

    private AeronTransport(final TransportContext context, final MediaDriver driver, final Aeron aeron)
    {
        this.context = context;
        this.driver = driver;
        this.aeron = aeron;
        this.assembler = new FragmentAssembler(
            (buffer, offset, length, header) -> handler.onMessage(buffer, offset, length));
        final ChannelUriStringBuilder in = new ChannelUriStringBuilder().media("udp").endpoint(context.endpoint());
        if (context.receiverWindowLength() > 0)
        {
            in.receiverWindowLength(context.receiverWindowLength()).socketRcvbufLength(context.receiverWindowLength());
        }
        this.inbound = aeron.addSubscription(in.build(), context.streamId());
        context.peers().forEach((id, endpoint) -> peers.put((int)id, new PeerPublication(aeron, id,
            new ChannelUriStringBuilder().media("udp").endpoint(endpoint).mtu(context.mtuLength())
                .termLength(context.termLength()).build(), context.streamId())));
    }

    /**
     * Start the media driver and connect to it.
     *
     * @param context concluded here if it is not yet.
     */
    public static AeronTransport launch(final TransportContext context)
    {
        if (!context.isConcluded())
        {
            context.conclude();
        }
        final MediaDriver driver = context.launchDriver() ? MediaDriver.launch(driverContext(context)) : null;
        Aeron aeron = null;
        try
        {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(context.aeronDirectory().toString())
                .errorHandler(context.errorHandler()));
            return new AeronTransport(context, driver, aeron);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    static MediaDriver.Context driverContext(final TransportContext context)
    {
        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(context.aeronDirectory().toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            // No executor thread, which idles at a cost: a name in an endpoint is resolved on the conductor instead.
            .asyncExecutorEnabled(false)
            .publicationTermBufferLength(context.termLength())
            // The driver's default MTU stays Aeron's: other clients of the driver (a node's controller session) keep
            // theirs; the replica links set their own in the channel.
            .errorHandler(context.errorHandler());
        if (context.receiverWindowLength() > 0)
        {
            // Aeron refuses a window larger than the socket's receive buffer: the kernel must hold what is in flight.
            driver.initialWindowLength(context.receiverWindowLength())
                .socketRcvbufLength(context.receiverWindowLength());
        }
        if (context.profile() == DriverProfile.SHARED)
        {
            driver.threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, IDLE_MAX_PARK_NS));
        }
        else
        {
            driver.threadingMode(ThreadingMode.DEDICATED)
                .conductorIdleStrategy(new BusySpinIdleStrategy())
                .senderIdleStrategy(new BusySpinIdleStrategy())
                .receiverIdleStrategy(new BusySpinIdleStrategy());
        }
        return driver;
    }

    /**
     * Offer one message to a peer.
     *
     * @throws IllegalArgumentException for a peer not in the context, or a message longer than
     *                                  {@link #maxMessageLength()}.
     */
    public OfferOutcome send(final int peer, final DirectBuffer buffer, final int offset, final int length)
    {
        return publication(peer).offer(buffer, offset, length);
    }

    /**
     * Is a peer subscribed to this node's publication to it now?
     */
    public boolean isConnected(final int peer)
    {
        return publication(peer).isConnected();
    }

    /**
     * Hand up to {@code fragmentLimit} fragments' worth of whole messages to {@code handler}.
     *
     * @return the fragments read: 0 when there was nothing.
     */
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        this.handler = handler;
        return inbound.poll(assembler, fragmentLimit);
    }

    /**
     * The longest message a peer link takes: an eighth of the term length.
     */
    public int maxMessageLength()
    {
        return peers.isEmpty() ? context.termLength() / 8 : peers.values().iterator().next().maxMessageLength();
    }

    /**
     * Aeron's own counters (bytes sent and received, NAKs, retransmits, back pressure events), for reports.
     */
    public CountersReader counters()
    {
        return aeron.countersReader();
    }

    public DriverProfile profile()
    {
        return context.profile();
    }

    private PeerPublication publication(final int peer)
    {
        final PeerPublication publication = peers.get(peer);
        if (publication == null)
        {
            throw new IllegalArgumentException("node " + peer + " is not a peer of this transport; peers: " +
                context.peers().keySet());
        }
        return publication;
    }

    /**
     * Close the publications and the subscription, then the client and the driver if this transport launched it (the
     * driver deletes its directory).
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(peers.values());
        CloseHelper.closeAll(inbound, aeron, driver);
    }
}
