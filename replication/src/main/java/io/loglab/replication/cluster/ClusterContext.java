package io.loglab.replication.cluster;

import io.loglab.replication.node.AcksListener;
import io.loglab.replication.node.ReplicationProbe;
import io.loglab.replication.replica.ReplicaConfig;
import io.loglab.transport.aeron.DriverProfile;
import org.agrona.ErrorHandler;

import java.nio.file.Path;

/**
 * The settings of an {@link EmbeddedCluster}, Aeron's way: set what differs from the defaults, then
 * {@link #conclude()} checks them all.
 * <ul>
 *     <li>{@code dir} (required): where each node's directory and the shared media driver's go.</li>
 *     <li>{@code controller} (required): where the controller runs; closed with the cluster.</li>
 *     <li>{@code replicaConfig} (required): the replicas' commit rule and timings.</li>
 *     <li>{@code nodeCount} (3), numbered from 1; {@code writerThreads} (1 per node); {@code driverProfile}
 *     ({@link DriverProfile#SHARED}).</li>
 *     <li>{@code acksListener} (none), {@code probe} ({@link ReplicationProbe#NONE}), {@code errorHandler} (prints
 *     the stack trace): given to every node.</li>
 * </ul>
 */
public final class ClusterContext
{
    private Path dir;
    private ControllerHost controller;
    private ReplicaConfig replicaConfig;
    private int nodeCount = 3;
    private int writerThreads = 1;
    private DriverProfile driverProfile = DriverProfile.SHARED;
    private AcksListener acksListener = (topicId, partition, token, outcome) -> { };
    private ReplicationProbe probe = ReplicationProbe.NONE;
    private ErrorHandler errorHandler = Throwable::printStackTrace;

    /**
     * @throws IllegalArgumentException naming the first setting that is wrong.
     */
    public ClusterContext conclude()
    {
        if (dir == null || controller == null || replicaConfig == null)
        {
            throw new IllegalArgumentException("the directory, the controller and the replica config must be given");
        }
        if (nodeCount < 1 || writerThreads < 1)
        {
            throw new IllegalArgumentException("node count " + nodeCount + " and writer threads " + writerThreads +
                " must each be at least 1");
        }
        if (driverProfile == null || acksListener == null || probe == null || errorHandler == null)
        {
            throw new IllegalArgumentException("the driver profile, acks listener, probe and error handler may not " +
                "be null (leave them unset)");
        }
        return this;
    }

    public ClusterContext dir(final Path dir)
    {
        this.dir = dir;
        return this;
    }

    public Path dir()
    {
        return dir;
    }

    public ClusterContext controller(final ControllerHost controller)
    {
        this.controller = controller;
        return this;
    }

    public ControllerHost controller()
    {
        return controller;
    }

    public ClusterContext replicaConfig(final ReplicaConfig replicaConfig)
    {
        this.replicaConfig = replicaConfig;
        return this;
    }

    public ReplicaConfig replicaConfig()
    {
        return replicaConfig;
    }

    public ClusterContext nodeCount(final int nodeCount)
    {
        this.nodeCount = nodeCount;
        return this;
    }

    public int nodeCount()
    {
        return nodeCount;
    }

    public ClusterContext writerThreads(final int writerThreads)
    {
        this.writerThreads = writerThreads;
        return this;
    }

    public int writerThreads()
    {
        return writerThreads;
    }

    public ClusterContext driverProfile(final DriverProfile driverProfile)
    {
        this.driverProfile = driverProfile;
        return this;
    }

    public DriverProfile driverProfile()
    {
        return driverProfile;
    }

    public ClusterContext acksListener(final AcksListener acksListener)
    {
        this.acksListener = acksListener;
        return this;
    }

    public AcksListener acksListener()
    {
        return acksListener;
    }

    public ClusterContext probe(final ReplicationProbe probe)
    {
        this.probe = probe;
        return this;
    }

    public ReplicationProbe probe()
    {
        return probe;
    }

    public ClusterContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
