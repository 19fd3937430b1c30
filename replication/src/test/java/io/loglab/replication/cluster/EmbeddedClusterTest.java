package io.loglab.replication.cluster;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.FlushPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.replication.AcksAllProducer;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.quorum.ControllerMember;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loglab.engine.partition.Partition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three nodes in one JVM and a controller, in this JVM alone or as a quorum of three Aeron Cluster members: the
 * controller spreads a topic over the nodes and each replica takes the role it is given; when the leader stops, the
 * controller moves leadership to an in-sync follower once the leader's heartbeats stop, every record acknowledged
 * before is on the new leader, acks=all goes on there, and the old leader, started again, follows and ends with the
 * same bytes. The quorum does the same after losing its own leader member.
 */
class EmbeddedClusterTest
{
    private static final String TOPIC = "events";
    private static final ControllerConfig CONTROLLER = new ControllerConfig(1_000);
    private static final ReplicaConfig CONFIG = new ReplicaConfig(CommitRule.ISR, 2, 2_000, 256 * 1024, 50, 300);

    @TempDir
    Path dir;

    private final AcksAllProducer producer = new AcksAllProducer();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private EmbeddedCluster cluster;

    @AfterEach
    void close()
    {
        CloseHelper.close(cluster);
        assertEquals(List.of(), errors, "no node or controller reported an error");
    }

    private void onError(final Throwable failure)
    {
        failure.printStackTrace();
        errors.add(failure);
    }

    private EmbeddedCluster start(final ControllerHost controller) throws Exception
    {
        cluster = new EmbeddedCluster(new ClusterContext().dir(dir).controller(controller).replicaConfig(CONFIG)
            .acksListener(producer).errorHandler(this::onError));
        return cluster;
    }

    private LocalController local()
    {
        return new LocalController(CONTROLLER, SystemEpochClock.INSTANCE, this::onError);
    }

    private QuorumControllerHost quorum() throws Exception
    {
        return new QuorumControllerHost(dir, 3, CONTROLLER, ControllerMember.Timeouts.FAST, this::onError);
    }

    /**
     * Wait until a running node other than {@code not} leads the partition in the newest epoch.
     */
    private EmbeddedCluster.Leader awaitLeader(final int partition, final int not) throws Exception
    {
        final long deadline = System.currentTimeMillis() + AcksAllProducer.TIMEOUT_MS;
        while (true)
        {
            final EmbeddedCluster.Leader leader = cluster.leader(TOPIC, partition);
            if (leader != null && leader.node().id() != not)
            {
                return leader;
            }
            assertTrue(System.currentTimeMillis() < deadline, "a leader for partition " + partition);
            Thread.onSpinWait();
        }
    }

    private void failOverAndReturn() throws Exception
    {
        failOverAndReturn(CommitRule.ISR, new LogConfig());
    }

    private void failOverAndReturn(final CommitRule rule, final LogConfig logConfig) throws Exception
    {
        cluster.createTopic(TOPIC, 1, new TopicSettings(3, 2, false, rule), logConfig, AcksAllProducer.TIMEOUT_MS);
        final EmbeddedCluster.Node first = awaitLeader(0, -1).node();
        producer.await(producer.produce(first, TOPIC, 0, 50, 4), AckOutcome.COMMITTED);
        final long acknowledged = first.partition(TOPIC, 0).log().highWatermark();
        assertEquals(200, acknowledged);

        cluster.stop(first.id());
        final EmbeddedCluster.Leader second = awaitLeader(0, first.id());
        assertTrue(second.node().partition(TOPIC, 0).logEndOffset() >= acknowledged,
            "the new leader has every acknowledged record");
        assertTrue(second.status().leaderEpoch() > 0);
        producer.await(producer.produce(second.node(), TOPIC, 0, 50, 4),
            AckOutcome.COMMITTED);

        final EmbeddedCluster.Node restarted = cluster.start(first.id());
        final EmbeddedCluster.Node third = cluster.node(6 - first.id() - second.node().id());
        AcksAllProducer.awaitReplicated(second.node().partition(TOPIC, 0), third.partition(TOPIC, 0),
            restarted.partition(TOPIC, 0));
        assertEquals(400, restarted.partition(TOPIC, 0).logEndOffset());
        TestBatches.await(() -> inSync(0) == 3, AcksAllProducer.TIMEOUT_MS, () -> "the restarted node back in sync");
    }

    private int inSync(final int partition)
    {
        try
        {
            final EmbeddedCluster.Leader leader = cluster.leader(TOPIC, partition);
            return leader == null ? 0 : leader.status().isr().length;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldMoveLeadershipToAnInSyncFollowerWhenTheLeaderStopsWithTheLocalController() throws Exception
    {
        start(local());
        failOverAndReturn();
    }

    @Test
    void shouldMoveLeadershipToAnInSyncFollowerWhenTheLeaderStopsWithTheQuorum() throws Exception
    {
        start(quorum());
        failOverAndReturn();
    }

    @Test
    void shouldElectTheMostUpToDateLogUnderMajorityCommitWhenTheLeaderStopsWithTheQuorum() throws Exception
    {
        start(quorum());
        failOverAndReturn(CommitRule.MAJORITY, new LogConfig().flushPolicy(FlushPolicy.EVERY));
    }

    @Test
    void shouldMoveLeadershipAfterTheQuorumLosesItsOwnLeader() throws Exception
    {
        final QuorumControllerHost quorum = quorum();
        start(quorum);
        cluster.createTopic(TOPIC, 1, new TopicSettings(3, 2, false, CommitRule.ISR), new LogConfig(),
            AcksAllProducer.TIMEOUT_MS);
        final EmbeddedCluster.Node first = awaitLeader(0, -1).node();
        producer.await(producer.produce(first, TOPIC, 0, 20, 5), AckOutcome.COMMITTED);

        final int controllerLeader = quorum.leaderMember();
        assertTrue(controllerLeader >= 0, "the quorum has a leader");
        quorum.stopMember(controllerLeader);
        TestBatches.await(() -> quorum.leaderMember() >= 0, AcksAllProducer.TIMEOUT_MS,
            () -> "a new controller leader");

        cluster.stop(first.id());
        final EmbeddedCluster.Leader second = awaitLeader(0, first.id());
        producer.await(producer.produce(second.node(), TOPIC, 0, 20, 5),
            AckOutcome.COMMITTED);
        assertEquals(200, second.node().partition(TOPIC, 0).log().highWatermark());
    }

    @Test
    void shouldSetAsideTheLogsOfATopicDeletedWhileANodeWasDownWhenItsNameIsMadeAgain() throws Exception
    {
        final LocalController controller = local();
        start(controller);
        cluster.createTopic(TOPIC, 1, new TopicSettings(3, 2, false, CommitRule.ISR), new LogConfig(),
            AcksAllProducer.TIMEOUT_MS);
        final EmbeddedCluster.Leader leader = cluster.awaitLeader(TOPIC, 0, 3, AcksAllProducer.TIMEOUT_MS);
        final Partition leading = leader.node().partition(TOPIC, 0);
        producer.await(producer.produce(leader.node(), TOPIC, 0, 10, 3), AckOutcome.COMMITTED);
        final int away = leader.node().id() % 3 + 1;
        AcksAllProducer.awaitReplicated(leading, cluster.node(away).partition(TOPIC, 0));
        final byte[] stored = TestBatches.stored(cluster.node(away).partition(TOPIC, 0));
        final UUID oldId = cluster.node(away).logs().topic(TOPIC).topicId();

        cluster.stop(away);
        assertNull(controller.deleteTopic(TOPIC).get());
        final int stays = leader.node().id();
        TestBatches.await(() -> !cluster.node(stays).logs().hasTopic(TOPIC), AcksAllProducer.TIMEOUT_MS,
            () -> "the running nodes delete the topic");
        cluster.createTopic(TOPIC, 1, new TopicSettings(2, 1, false, CommitRule.ISR), new LogConfig(),
            AcksAllProducer.TIMEOUT_MS);
        final UUID newId = cluster.node(stays).logs().topic(TOPIC).topicId();
        assertNotEquals(oldId, newId);

        final EmbeddedCluster.Node back = cluster.start(away);
        TestBatches.await(() -> back.logs().hasTopic(TOPIC) && back.logs().topic(TOPIC).topicId().equals(newId),
            AcksAllProducer.TIMEOUT_MS, () -> "the returning node makes the new topic");
        final Path aside = dir.resolve("node-" + away).resolve("logs").resolve(TOPIC + "~quarantined-" + oldId);
        try (var files = Files.list(aside.resolve("partition-0")))
        {
            final Path segment = files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
            assertArrayEquals(stored, Files.readAllBytes(segment), "the old topic's bytes kept, set aside");
        }
        assertEquals(0, back.partition(TOPIC, 0).logEndOffset(), "the new topic starts empty");
    }

    @Test
    void shouldNotAnswerAWaitForADeletedTopicFromTheTopicMadeAgainUnderItsName() throws Exception
    {
        final LocalController controller = local();
        start(controller);
        final TopicSettings settings = new TopicSettings(3, 2, false, CommitRule.ISR);
        cluster.createTopic(TOPIC, 1, settings, new LogConfig(), AcksAllProducer.TIMEOUT_MS);
        final EmbeddedCluster.Leader first = cluster.awaitLeader(TOPIC, 0, 3, AcksAllProducer.TIMEOUT_MS);
        producer.await(producer.produce(first.node(), TOPIC, 0, 10, 3), AckOutcome.COMMITTED);
        final UUID oldId = first.status().topicId();

        assertNull(controller.deleteTopic(TOPIC).get());
        for (int id = 1; id <= 3; id++)
        {
            final EmbeddedCluster.Node node = cluster.node(id);
            TestBatches.await(() -> !node.logs().hasTopic(TOPIC), AcksAllProducer.TIMEOUT_MS,
                () -> "node " + node.id() + " deletes the topic");
        }
        cluster.createTopic(TOPIC, 1, settings, new LogConfig(), AcksAllProducer.TIMEOUT_MS);
        final EmbeddedCluster.Leader second = cluster.awaitLeader(TOPIC, 0, 3, AcksAllProducer.TIMEOUT_MS);
        assertNotEquals(oldId, second.status().topicId());
        producer.await(producer.produce(second.node(), TOPIC, 0, 10, 3), AckOutcome.COMMITTED);

        // A wait for the old topic's records (by offset alone, as a retry's is) must not be answered by the new one,
        // committed past those offsets under the same name.
        producer.await(List.of(producer.awaitCommit(second.node().replicas(), oldId, 0, 5, -1)),
            AckOutcome.NOT_LEADER_OR_FOLLOWER);
        producer.await(List.of(producer.awaitCommit(second.node().replicas(), second.status().topicId(), 0, 5, -1)),
            AckOutcome.COMMITTED);
    }

    @Test
    void shouldSpreadLeadershipsAndReplicateEveryPartition() throws Exception
    {
        start(local());
        // Replication factor 3 on three nodes: the controller takes the topic only once it has heard from all three.
        cluster.createTopic(TOPIC, 6, new TopicSettings(3, 2, false, CommitRule.ISR), new LogConfig(),
            AcksAllProducer.TIMEOUT_MS);
        final boolean[] leads = new boolean[4];
        for (int p = 0; p < 6; p++)
        {
            final EmbeddedCluster.Leader leader = awaitLeader(p, -1);
            leads[leader.node().id()] = true;
            producer.await(producer.produce(leader.node(), TOPIC, p, 10, p + 1),
                AckOutcome.COMMITTED);
            final int follower = leader.status().isr()[0] == leader.node().id() ? leader.status().isr()[1] :
                leader.status().isr()[0];
            AcksAllProducer.awaitReplicated(leader.node().partition(TOPIC, p),
                cluster.node(follower).partition(TOPIC, p));
            assertEquals(10L * (p + 1), leader.node().partition(TOPIC, p).log().highWatermark());
        }
        assertTrue(leads[1] && leads[2] && leads[3], "every node leads some partition");
    }
}
