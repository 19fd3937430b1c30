package io.loglab.transport.aeron;

import io.aeron.driver.MediaDriver;

import java.nio.file.Path;

/**
 * One embedded media driver that several nodes' transports in one JVM connect to
 * ({@link TransportContext#launchDriver(boolean) launchDriver(false)} on the same directory), so N nodes on one
 * machine run one driver thread rather than N, still talking UDP to each other's endpoints. For the embedded
 * cluster of the benchmarks and tests; a node of its own launches its own driver.
 */
public final class SharedMediaDriver implements AutoCloseable
{
    private final MediaDriver driver;
    private final Path directory;

    private SharedMediaDriver(final MediaDriver driver, final Path directory)
    {
        this.driver = driver;
        this.directory = directory;
    }

    /**
     * Launch the driver in {@code context}'s directory with its profile and term length (its endpoints, peers and
     * MTU are not used: each transport sets its MTU in its channels).
     *
     * @throws IllegalArgumentException if the directory holds files that are not a media driver's.
     */
    public static SharedMediaDriver launch(final TransportContext context)
    {
        TransportContext.requireDriverDirectoryOrAbsent(context.aeronDirectory());
        final MediaDriver driver = MediaDriver.launch(AeronTransport.driverContext(context));
        return new SharedMediaDriver(driver, context.aeronDirectory());
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Stop the driver, which deletes its directory; close the transports that use it first.
     */
    @Override
    public void close()
    {
        driver.close();
    }
}
