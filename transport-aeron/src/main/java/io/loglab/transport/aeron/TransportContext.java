package io.loglab.transport.aeron;

import io.aeron.CncFileDescriptor;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The settings of one node's {@link AeronTransport}, Aeron's way: set what differs from the defaults, then
 * {@link #conclude()} checks them all at once and names what is wrong.
 * <ul>
 *     <li>{@code aeronDirectory} (required): the embedded media driver's directory, under the node's data
 *     directory, absent, empty or a driver's own from before (it is replaced at start and deleted at close, so one
 *     holding anything else is refused).</li>
 *     <li>{@code endpoint} (required): {@code host:port} this node receives on (UDP).</li>
 *     <li>{@code peer(id, host:port)}: every node this one sends to.</li>
 *     <li>{@code mtuLength} (Aeron's default 1408): the largest datagram; on loopback a larger one (up to 65504)
 *     carries far more per datagram. A multiple of 32.</li>
 *     <li>{@code termLength} (4 MiB): each publication and each image keeps three terms of shared memory; a message
 *     may be at most an eighth of a term. A power of two, 64 KiB to 1 GiB.</li>
 *     <li>{@code receiverWindowLength} (0: Aeron's default, at most the socket's receive buffer): how far a sender
 *     may run ahead of what this node has taken.</li>
 *     <li>{@code profile} ({@link DriverProfile#SHARED}).</li>
 *     <li>{@code launchDriver} (true): false to use a driver already running in the directory.</li>
 *     <li>{@code errorHandler} (prints the stack trace): the driver's, the client's and a message handler's
 *     errors.</li>
 * </ul>
 */
public final class TransportContext
{
    static final int MIN_MTU = 64;
    static final int MAX_MTU = 65504;
    /** Aeron's default: fits a 1500-byte Ethernet frame. */
    public static final int DEFAULT_MTU = 1408;
    /** The largest datagram Aeron takes: on loopback one datagram carries a whole replica message of up to 64 KiB. */
    public static final int LOOPBACK_MTU = MAX_MTU;
    static final int MIN_TERM_LENGTH = 64 * 1024;
    static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

    private Path aeronDirectory;
    private String endpoint;
    private final Map<Integer, String> peers = new TreeMap<>();
    private int streamId = 1001;
    private int mtuLength = DEFAULT_MTU;
    private int termLength = 4 * 1024 * 1024;
    private int receiverWindowLength;
    private DriverProfile profile = DriverProfile.SHARED;
    private boolean launchDriver = true;
    private ErrorHandler errorHandler = Throwable::printStackTrace;
    private boolean concluded;

    /**
     * Check every setting; the first problem found is thrown, naming the setting and the rule.
     *
     * @throws IllegalArgumentException naming what is wrong.
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("this context is already concluded");
        }
        if (aeronDirectory == null)
        {
            throw new IllegalArgumentException("aeron directory must be given");
        }
        if (!launchDriver && !Files.exists(aeronDirectory.resolve(CncFileDescriptor.CNC_FILE)))
        {
            throw new IllegalArgumentException("aeron directory " + aeronDirectory + " holds no running media " +
                "driver to connect to");
        }
        if (launchDriver)
        {
            requireDriverDirectoryOrAbsent(aeronDirectory);
        }
        checkEndpoint("endpoint", endpoint);
        peers.forEach((id, peer) -> checkEndpoint("peer " + id, peer));
        require(streamId != 0, "stream id", streamId, "not 0");
        require(mtuLength >= MIN_MTU && mtuLength <= MAX_MTU && mtuLength % 32 == 0, "mtu length", mtuLength,
            "a multiple of 32 from " + MIN_MTU + " to " + MAX_MTU);
        require(termLength >= MIN_TERM_LENGTH && termLength <= MAX_TERM_LENGTH && Integer.bitCount(termLength) == 1,
            "term length", termLength, "a power of two from " + MIN_TERM_LENGTH + " to " + MAX_TERM_LENGTH);
        require(receiverWindowLength >= 0, "receiver window length", receiverWindowLength, "0 (Aeron's) or more");
        if (profile == null)
        {
            throw new IllegalArgumentException("driver profile must be given");
        }
        if (errorHandler == null)
        {
            throw new IllegalArgumentException("error handler must be given");
        }
        concluded = true;
        return this;
    }

    /**
     * A driver about to launch deletes its directory at start: refuse any but one it made before (it has the driver's
     * {@code cnc.dat}), an empty one, or none.
     *
     * @throws IllegalArgumentException if the directory holds files that are not a media driver's.
     */
    static void requireDriverDirectoryOrAbsent(final Path directory)
    {
        if (!isDriverDirectoryOrAbsent(directory))
        {
            throw new IllegalArgumentException("aeron directory " + directory + " holds files that are not a media " +
                "driver's: the driver replaces its directory, so give one of its own");
        }
    }

    private static boolean isDriverDirectoryOrAbsent(final Path directory)
    {
        if (!Files.exists(directory) || Files.exists(directory.resolve(CncFileDescriptor.CNC_FILE)))
        {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isEmpty();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list aeron directory " + directory, ex);
        }
    }

    private static void checkEndpoint(final String name, final String endpoint)
    {
        final int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
        int port = -1;
        if (colon > 0)
        {
            try
            {
                port = Integer.parseInt(endpoint.substring(colon + 1));
            }
            catch (final NumberFormatException notANumber)
            {
                port = -1;
            }
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException(name + " '" + endpoint + "' is not host:port with a port from 1 to " +
                "65535");
        }
    }

    private static void require(final boolean valid, final String name, final long value, final String rule)
    {
        if (!valid)
        {
            throw new IllegalArgumentException(name + " " + value + " is not valid: must be " + rule);
        }
    }

    /**
     * Told of the driver's and the Aeron client's errors, and of whatever a {@link MessageHandler} throws inside
     * {@link AeronTransport#poll} (Aeron catches it there); default: the stack trace printed.
     */
    public TransportContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * With {@code false}, connect to a media driver already running in {@link #aeronDirectory} (one driver serving
     * several nodes in one JVM, {@link SharedMediaDriver}) rather than launch one; its profile and MTU are then the
     * driver's.
     */
    public TransportContext launchDriver(final boolean launchDriver)
    {
        this.launchDriver = launchDriver;
        return this;
    }

    public boolean launchDriver()
    {
        return launchDriver;
    }

    public TransportContext aeronDirectory(final Path aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    public Path aeronDirectory()
    {
        return aeronDirectory;
    }

    public TransportContext endpoint(final String endpoint)
    {
        this.endpoint = endpoint;
        return this;
    }

    public String endpoint()
    {
        return endpoint;
    }

    public TransportContext peer(final int nodeId, final String endpoint)
    {
        peers.put(nodeId, endpoint);
        return this;
    }

    public Map<Integer, String> peers()
    {
        return Collections.unmodifiableMap(peers);
    }

    public TransportContext streamId(final int streamId)
    {
        this.streamId = streamId;
        return this;
    }

    public int streamId()
    {
        return streamId;
    }

    public TransportContext mtuLength(final int mtuLength)
    {
        this.mtuLength = mtuLength;
        return this;
    }

    public int mtuLength()
    {
        return mtuLength;
    }

    public TransportContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    public int termLength()
    {
        return termLength;
    }

    public TransportContext receiverWindowLength(final int receiverWindowLength)
    {
        this.receiverWindowLength = receiverWindowLength;
        return this;
    }

    public int receiverWindowLength()
    {
        return receiverWindowLength;
    }

    public TransportContext profile(final DriverProfile profile)
    {
        this.profile = profile;
        return this;
    }

    public DriverProfile profile()
    {
        return profile;
    }

    boolean isConcluded()
    {
        return concluded;
    }
}
