package io.loglab.replication.cluster;

import io.aeron.Aeron;
import io.aeron.driver.Configuration;
import io.aeron.driver.status.ReceiverPos;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.Partition;
import io.loglab.replication.AcksAllProducer;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three nodes in one JVM over Aeron UDP with faults on their links from Aeron's own loss generators
 * ({@link LossyLinks}): a follower cut off leaves the in-sync set while acks=all goes on with the other two, and once
 * healed, after Aeron has given up its images, it catches up, comes back in sync and stores the leader's bytes; and
 * under random loss in every direction every acks=all record is committed and every replica stores the same bytes,
 * with Aeron's NAKs and retransmits counted to show the loss was there.
 */
class LossyLinksClusterTest
{
    private static final String TOPIC = "events";
    private static final ReplicaConfig CONFIG = new ReplicaConfig(CommitRule.ISR, 2, 1_000, 256 * 1024, 50, 300);
    /** Aeron's default is 10 s: a cut that outlasts it shortened to what a test waits for. */
    private static final String IMAGE_LIVENESS_TIMEOUT = "2s";

    @TempDir
    Path dir;

    private final AcksAllProducer producer = new AcksAllProducer();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private EmbeddedCluster cluster;
    private Aeron aeron;

    @BeforeEach
    void start() throws Exception
    {
        LossyLinks.install();
        System.setProperty(Configuration.IMAGE_LIVENESS_TIMEOUT_PROP_NAME, IMAGE_LIVENESS_TIMEOUT);
        cluster = new EmbeddedCluster(new ClusterContext().dir(dir)
            .controller(new LocalController(new ControllerConfig(1_000), SystemEpochClock.INSTANCE, this::onError))
            .replicaConfig(CONFIG).acksListener(producer).errorHandler(this::onError));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.resolve("aeron").toString()));
        cluster.createTopic(TOPIC, 1, new TopicSettings(3, 2, false, CommitRule.ISR), new LogConfig(),
            AcksAllProducer.TIMEOUT_MS);
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(aeron, cluster);
        LossyLinks.uninstall();
        System.clearProperty(Configuration.IMAGE_LIVENESS_TIMEOUT_PROP_NAME);
        assertEquals(List.of(), errors, "no node or controller reported an error");
    }

    private void onError(final Throwable failure)
    {
        failure.printStackTrace();
        errors.add(failure);
    }

    @Test
    void shouldLeaveTheInSyncSetWhileCutOffAndComeBackWithTheLeadersBytesOnceHealed() throws Exception
    {
        final EmbeddedCluster.Leader leader = cluster.awaitLeader(TOPIC, 0, 3, AcksAllProducer.TIMEOUT_MS);
        final Partition leading = leader.node().partition(TOPIC, 0);
        producer.await(producer.produce(leader.node(), TOPIC, 0, 20, 5), AckOutcome.COMMITTED);
        final int[] followers = Arrays.stream(leader.status().isr()).filter(id -> id != leader.node().id()).toArray();
        final Partition cut = cluster.node(followers[0]).partition(TOPIC, 0);
        final Partition other = cluster.node(followers[1]).partition(TOPIC, 0);
        AcksAllProducer.awaitReplicated(leading, cut, other);

        final String endpoint = cluster.endpoint(followers[0]);
        LossyLinks.cutOff(endpoint);
        // Committed once the cut follower has left the in-sync set: by the other follower and the leader alone.
        producer.await(producer.produce(leader.node(), TOPIC, 0, 30, 5), AckOutcome.COMMITTED);
        assertEquals(250, leading.log().highWatermark());
        assertEquals(2, inSync(), "the cut follower left the in-sync set");
        assertEquals(100, cut.logEndOffset(), "nothing reached the cut follower");
        TestBatches.await(() -> imagesInto(endpoint) == 0, AcksAllProducer.TIMEOUT_MS,
            () -> "Aeron's images into " + endpoint + " timed out");

        LossyLinks.heal(endpoint);
        AcksAllProducer.awaitReplicated(leading, cut, other);
        TestBatches.await(() -> inSync() == 3, AcksAllProducer.TIMEOUT_MS, () -> "the healed follower in sync");
        producer.await(producer.produce(leader.node(), TOPIC, 0, 10, 5), AckOutcome.COMMITTED);
        AcksAllProducer.awaitReplicated(leading, cut, other);
    }

    @Test
    void shouldCommitEveryRecordAndStoreTheSameBytesOnEveryReplicaThroughRandomLoss() throws Exception
    {
        final EmbeddedCluster.Leader leader = cluster.awaitLeader(TOPIC, 0, 3, AcksAllProducer.TIMEOUT_MS);
        final Partition leading = leader.node().partition(TOPIC, 0);
        final long naksBefore = systemCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT);
        final long retransmitsBefore = systemCounter(SystemCounterDescriptor.RETRANSMITS_SENT);

        LossyLinks.lossRate(0.05);
        // One batch at a time, each committed before the next: each its own message to each follower, so about 600
        // data datagrams (and as many position reports) meet the loss, not the few a leader streaming a backlog sends.
        for (int i = 0; i < 300; i++)
        {
            producer.await(producer.produce(leader.node(), TOPIC, 0, 1, 5), AckOutcome.COMMITTED);
        }
        assertEquals(1_500, leading.log().highWatermark());
        final int[] followers = Arrays.stream(leader.status().isr()).filter(id -> id != leader.node().id()).toArray();
        AcksAllProducer.awaitReplicated(leading, cluster.node(followers[0]).partition(TOPIC, 0),
            cluster.node(followers[1]).partition(TOPIC, 0));

        assertTrue(systemCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT) > naksBefore, "receivers NAKed a gap");
        assertTrue(systemCounter(SystemCounterDescriptor.RETRANSMITS_SENT) > retransmitsBefore,
            "senders retransmitted");
    }

    private int inSync()
    {
        try
        {
            final EmbeddedCluster.Leader leader = cluster.leader(TOPIC, 0);
            return leader == null ? 0 : leader.status().isr().length;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private long systemCounter(final SystemCounterDescriptor descriptor)
    {
        return aeron.countersReader().getCounterValue(descriptor.id());
    }

    /**
     * The images the shared driver receives into {@code endpoint} now: one receiver position counter each.
     */
    private int imagesInto(final String endpoint)
    {
        final int[] images = new int[1];
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == ReceiverPos.RECEIVER_POS_TYPE_ID && label.endsWith("endpoint=" + endpoint))
            {
                images[0]++;
            }
        });
        return images[0];
    }
}
