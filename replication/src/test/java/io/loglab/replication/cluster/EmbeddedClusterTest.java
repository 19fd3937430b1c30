package io.loglab.replication.cluster;

import io.loglab.engine.TestBatches;
import io.loglab.engine.log.LogConfig;
import io.loglab.replication.AcksAllProducer;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ReplicaStatus;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three nodes and the local controller in one JVM: the controller spreads a topic over them and each replica takes
 * the role it is given; when the leader stops, the controller moves leadership to an in-sync follower once the
 * leader's heartbeats stop, every record acknowledged before is on the new leader, acks=all goes on there, and the old
 * leader, started again, follows and ends with the same bytes.
 */
class EmbeddedClusterTest
{
    private static final String TOPIC = "events";
    private static final long NODE_TIMEOUT_MS = 1_000;
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
        assertEquals(List.of(), errors, "no node reported an error");
    }

    private EmbeddedCluster start(final int nodes) throws Exception
    {
        cluster = new EmbeddedCluster(dir, nodes, 1, CONFIG, NODE_TIMEOUT_MS, producer, failure ->
        {
            failure.printStackTrace();
            errors.add(failure);
        });
        return cluster;
    }

    /**
     * Wait until the controller has a leader for the partition other than {@code not} and that node leads in the
     * controller's epoch; it is the partition's leader.
     */
    private EmbeddedCluster.Node awaitLeader(final int partition, final int not) throws Exception
    {
        final long deadline = System.currentTimeMillis() + AcksAllProducer.TIMEOUT_MS;
        while (true)
        {
            final PartitionState decided = cluster.partition(TOPIC, partition);
            final EmbeddedCluster.Node node = decided == null || !decided.hasLeader() || decided.leader() == not ?
                null : cluster.node(decided.leader());
            if (node != null)
            {
                final ReplicaStatus status = node.replicas().status().get().stream()
                    .filter(replica -> replica.partition() == partition).findFirst().orElse(null);
                if (status != null && status.role() == ReplicaStatus.Role.LEADER &&
                    status.leaderEpoch() == decided.leaderEpoch())
                {
                    return node;
                }
            }
            assertTrue(System.currentTimeMillis() < deadline, "a leader for partition " + partition + ": " + decided);
            Thread.onSpinWait();
        }
    }

    private void createTopicOnceAllAreAlive(final int partitions, final TopicSettings settings)
    {
        for (int id = 1; id <= 3; id++)
        {
            final int node = id;
            TestBatches.await(() -> cluster.isAlive(node), AcksAllProducer.TIMEOUT_MS,
                () -> "the controller to hear from node " + node);
        }
        cluster.createTopic(TOPIC, partitions, settings, new LogConfig());
    }

    @Test
    void shouldMoveLeadershipToAnInSyncFollowerWhenTheLeaderStopsAndLoseNothingAcknowledged() throws Exception
    {
        start(3);
        createTopicOnceAllAreAlive(1, new TopicSettings(3, 2, false));
        final EmbeddedCluster.Node first = awaitLeader(0, PartitionState.NO_LEADER);
        producer.await(producer.produce(first.replicas(), first.partition(TOPIC, 0), 50, 4),
            AckOutcome.COMMITTED);
        final long acknowledged = first.partition(TOPIC, 0).log().highWatermark();
        assertEquals(200, acknowledged);

        cluster.stop(first.id());
        final EmbeddedCluster.Node second = awaitLeader(0, first.id());
        assertTrue(second.partition(TOPIC, 0).logEndOffset() >= acknowledged,
            "the new leader has every acknowledged record");
        final PartitionState afterFailover = cluster.partition(TOPIC, 0);
        assertEquals(1, afterFailover.leaderEpoch());
        assertFalse(Arrays.stream(afterFailover.isr()).anyMatch(node -> node == first.id()), "the stopped node left");
        producer.await(producer.produce(second.replicas(), second.partition(TOPIC, 0), 50, 4),
            AckOutcome.COMMITTED);

        final EmbeddedCluster.Node restarted = cluster.start(first.id());
        final EmbeddedCluster.Node third = cluster.node(Arrays.stream(afterFailover.replicas())
            .filter(node -> node != first.id() && node != second.id()).findFirst().orElseThrow());
        AcksAllProducer.awaitReplicated(second.partition(TOPIC, 0), third.partition(TOPIC, 0),
            restarted.partition(TOPIC, 0));
        assertEquals(400, restarted.partition(TOPIC, 0).logEndOffset());
        TestBatches.await(() -> cluster.partition(TOPIC, 0).isr().length == 3, AcksAllProducer.TIMEOUT_MS,
            () -> "the restarted node back in sync: " + cluster.partition(TOPIC, 0));
    }

    @Test
    void shouldSpreadLeadershipsAndReplicateEveryPartition() throws Exception
    {
        start(3);
        createTopicOnceAllAreAlive(6, new TopicSettings(2, 2, false));
        for (int p = 0; p < 6; p++)
        {
            final EmbeddedCluster.Node leader = awaitLeader(p, PartitionState.NO_LEADER);
            producer.await(producer.produce(leader.replicas(), leader.partition(TOPIC, p), 10, p + 1),
                AckOutcome.COMMITTED);
            final int[] replicas = cluster.partition(TOPIC, p).replicas();
            final int follower = replicas[0] == leader.id() ? replicas[1] : replicas[0];
            AcksAllProducer.awaitReplicated(leader.partition(TOPIC, p), cluster.node(follower).partition(TOPIC, p));
            assertEquals(10L * (p + 1), leader.partition(TOPIC, p).log().highWatermark());
        }
        final long leaders = Arrays.stream(new int[] {0, 1, 2, 3, 4, 5})
            .map(p -> cluster.partition(TOPIC, p).leader()).distinct().count();
        assertEquals(3, leaders, "every node leads some partition");
    }
}
