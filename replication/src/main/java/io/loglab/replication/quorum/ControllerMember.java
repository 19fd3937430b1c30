package io.loglab.replication.quorum;

import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveMarkFile;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.ClusterEvent;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusterMarkFile;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.loglab.replication.controller.ControllerConfig;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One member of the controller quorum: an Aeron Cluster member (its own media driver, archive and consensus module,
 * Raft over UDP) hosting the {@link ControllerService}, in a directory of its own. Threading is SHARED with backoff
 * idle strategies throughout, as the machine has two cores; Raft's log is fsynced (archive file sync level 1).
 * <p>
 * The timeouts are set for a failover within a few seconds, not Aeron's defaults (10 s leader heartbeat timeout, 60 s
 * startup canvass): see {@link Timeouts}.
 */
public final class ControllerMember implements AutoCloseable
{
    private static final int ARCHIVE_ID_BASE = 0x4C4C0000;

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final ControllerService service;

    /**
     * The ports one member listens on, all UDP on {@code host}.
     */
    public record Endpoints(String host, int ingress, int consensus, int log, int catchup, int archive)
    {
    }

    /**
     * Raft's timings.
     *
     * @param leaderHeartbeatTimeoutMs how long followers wait for the leader before an election.
     * @param leaderHeartbeatIntervalMs how often the leader shows it is alive.
     * @param electionTimeoutMs        how long a candidate waits for votes.
     * @param startupCanvassTimeoutMs  how long a starting member waits for the others; a multiple of the heartbeat
     *                                 timeout.
     * @param sessionTimeoutMs         how long a node's session lives without a message.
     */
    public record Timeouts(long leaderHeartbeatTimeoutMs, long leaderHeartbeatIntervalMs, long electionTimeoutMs,
        long startupCanvassTimeoutMs, long sessionTimeoutMs)
    {
        /** A dead controller leader replaced in about 1.3 to 2.1 s on this kind of machine (see the notes). */
        public static final Timeouts FAST = new Timeouts(1_000, 100, 300, 2_000, 5_000);

        public Timeouts
        {
            if (startupCanvassTimeoutMs % leaderHeartbeatTimeoutMs != 0)
            {
                throw new IllegalArgumentException("startup canvass timeout " + startupCanvassTimeoutMs + " ms must " +
                    "be a multiple of the leader heartbeat timeout " + leaderHeartbeatTimeoutMs + " ms");
            }
        }
    }

    private ControllerMember(final ClusteredMediaDriver driver, final ClusteredServiceContainer container,
        final ControllerService service)
    {
        this.driver = driver;
        this.container = container;
        this.service = service;
    }

    /**
     * Does this member lead the quorum now?
     */
    public boolean isLeader()
    {
        return service.role() == Cluster.Role.LEADER;
    }

    /**
     * How the quorum's threads wait for work: its media driver, archive, consensus module and service, and each
     * node's session ({@link QuorumControllerClient#start}). Its messages are few and its timeouts hundreds of
     * milliseconds, so a millisecond's sleep costs it nothing, where a backoff from spins and yields to 1 µs parks
     * took 15 % of a core per idle member and session on this two-core machine.
     */
    public static IdleStrategy idleStrategy()
    {
        return new SleepingMillisIdleStrategy(1);
    }

    /**
     * Start member {@code memberId} of the quorum {@code members} (indexed by member id) in {@code dir}.
     */
    public static ControllerMember launch(final int memberId, final List<Endpoints> members, final Path dir,
        final ControllerConfig config, final Timeouts timeouts, final ErrorHandler errorHandler)
    {
        final Endpoints self = members.get(memberId);
        final ErrorHandler errors = warningsToStderr(memberId, errorHandler);
        final String aeronDir = dir.resolve("aeron").toString();
        final String localControl = "aeron:ipc?term-length=64k";
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategy())
            .termBufferSparseFile(true)
            .asyncExecutorEnabled(false)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(errors);
        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveId(ARCHIVE_ID_BASE + memberId)
            .archiveDir(dir.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + self.host() + ":" + self.archive())
            .localControlChannel(localControl)
            .replicationChannel("aeron:udp?endpoint=" + self.host() + ":0")
            .archiveClientContext(new AeronArchive.Context()
                .controlResponseChannel("aeron:udp?endpoint=" + self.host() + ":0"))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(ControllerMember::idleStrategy)
            .fileSyncLevel(1)
            .catalogFileSyncLevel(1)
            .errorHandler(errors);
        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(localControl)
            .controlResponseChannel(localControl)
            .aeronDirectoryName(aeronDir);
        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(memberId)
            .clusterMembers(membersString(members))
            .clusterDir(dir.resolve("cluster").toFile())
            .ingressChannel("aeron:udp?term-length=64k")
            .logChannel("aeron:udp?term-length=256k")
            .replicationChannel("aeron:udp?endpoint=" + self.host() + ":0")
            .archiveContext(localArchive.clone())
            .idleStrategySupplier(ControllerMember::idleStrategy)
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeouts.leaderHeartbeatTimeoutMs()))
            .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(timeouts.leaderHeartbeatIntervalMs()))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeouts.electionTimeoutMs()))
            .startupCanvassTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeouts.startupCanvassTimeoutMs()))
            .sessionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeouts.sessionTimeoutMs()))
            .errorHandler(errors);
        ClusteredMediaDriver driver = null;
        try
        {
            driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensus);
            final ControllerService service = new ControllerService(config);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(
                new ClusteredServiceContainer.Context()
                    .aeronDirectoryName(aeronDir)
                    .archiveContext(localArchive.clone())
                    .clusterDir(dir.resolve("cluster").toFile())
                    .clusteredService(service)
                    .idleStrategySupplier(ControllerMember::idleStrategy)
                    .errorHandler(errors));
            return new ControllerMember(driver, container, service);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * Aeron Cluster reports events such as a leader heartbeat timeout (an election follows) through the error
     * handler as {@link ClusterEvent}s: they are what a failover looks like, not failures, so they go to stderr as
     * one line each and only real errors go on to {@code errorHandler}.
     */
    private static ErrorHandler warningsToStderr(final int memberId, final ErrorHandler errorHandler)
    {
        return failure ->
        {
            if (failure instanceof ClusterEvent event)
            {
                System.err.println("controller member " + memberId + ": " + event.getMessage());
            }
            else
            {
                errorHandler.onError(failure);
            }
        };
    }

    /**
     * Aeron Cluster's member list: {@code id,ingress,consensus,log,catchup,archive|...}.
     */
    static String membersString(final List<Endpoints> members)
    {
        final StringBuilder text = new StringBuilder();
        for (int id = 0; id < members.size(); id++)
        {
            final Endpoints member = members.get(id);
            final String host = member.host();
            text.append(id).append(',').append(host).append(':').append(member.ingress())
                .append(',').append(host).append(':').append(member.consensus())
                .append(',').append(host).append(':').append(member.log())
                .append(',').append(host).append(':').append(member.catchup())
                .append(',').append(host).append(':').append(member.archive()).append('|');
        }
        return text.toString();
    }

    /**
     * The quorum's ingress endpoints as a client names them: {@code id=host:port,...}.
     */
    public static String ingressEndpoints(final List<Endpoints> members)
    {
        final StringBuilder text = new StringBuilder();
        for (int id = 0; id < members.size(); id++)
        {
            text.append(id == 0 ? "" : ",").append(id).append('=').append(members.get(id).host()).append(':')
                .append(members.get(id).ingress());
        }
        return text.toString();
    }

    /**
     * Remove the mark files a member killed in {@code dir} left behind (its archive's, its consensus module's and
     * its service's): Aeron refuses to start on a mark file whose last activity is younger than its driver timeout
     * (10 s), and a process killed with SIGKILL never marks them closed. Only for a caller that knows no live process
     * uses {@code dir} (a node holding its data directory's lock); each file removed is reported.
     */
    public static void removeStaleMarkFiles(final Path dir, final Consumer<String> report) throws IOException
    {
        final List<Path> markFiles = List.of(
            dir.resolve("archive").resolve(ArchiveMarkFile.FILENAME),
            dir.resolve("cluster").resolve(ClusterMarkFile.FILENAME),
            dir.resolve("cluster").resolve(ClusterMarkFile.markFilenameForService(0)));
        for (final Path markFile : markFiles)
        {
            if (Files.deleteIfExists(markFile))
            {
                report.accept("removed " + markFile + ", which the member's previous process left");
            }
        }
    }

    /**
     * The role of the member whose directory is {@code dir}, read from its media driver's counters as another
     * process would (Aeron's node role counter), or empty if its driver has no counters file or none for the role.
     * Reads only.
     */
    public static Optional<Cluster.Role> role(final Path dir)
    {
        final File cnc = dir.resolve("aeron").resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!cnc.isFile())
        {
            return Optional.empty();
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cnc, FileChannel.MapMode.READ_ONLY, "cnc");
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, metaData),
                CncFileDescriptor.createCountersValuesBuffer(mapped, metaData));
            final long[] role = {-1};
            counters.forEach((id, typeId, key, label) ->
            {
                if (typeId == AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID)
                {
                    role[0] = counters.getCounterValue(id);
                }
            });
            return role[0] < 0 ? Optional.empty() : Optional.ofNullable(Cluster.Role.get(role[0]));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    /**
     * Stop the member: its service, then its consensus module, archive and media driver.
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(container, driver);
    }
}
