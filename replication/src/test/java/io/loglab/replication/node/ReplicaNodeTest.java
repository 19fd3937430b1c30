package io.loglab.replication.node;

import io.loglab.engine.TestBatches;
import io.loglab.replication.AcksAllProducer;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;
import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import io.loglab.transport.aeron.AeronTransport;
import io.loglab.transport.aeron.OfferOutcome;
import io.loglab.transport.aeron.LoopbackPorts;
import io.loglab.transport.aeron.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three replication nodes in one JVM, each with its own data directory, writer shard and embedded media driver,
 * talking Aeron UDP over loopback, and a model controller that takes every in-sync set proposal made at the current
 * partition epoch. The leader's batches reach the followers byte for byte through their writer shards; acks=all is
 * answered once the high watermark passes, which the followers learn too; a follower that stops leaves the in-sync
 * set and acks=all goes on with two, and once restarted it catches up from far behind and rejoins; an old leader's
 * tail that no one else has is truncated when it follows the new leader.
 */
class ReplicaNodeTest
{
    private static final String TOPIC = "orders";
    private static final UUID TOPIC_ID = UUID.randomUUID();
    private static final long TIMEOUT_MS = AcksAllProducer.TIMEOUT_MS;
    private static final long NOW = System.currentTimeMillis();
    private static final ReplicaConfig CONFIG = new ReplicaConfig(CommitRule.ISR, 2, 1_000, 256 * 1024, 50, 300);

    @TempDir
    Path dir;

    private final Map<Integer, Integer> ports = new ConcurrentHashMap<>();
    private final Node[] nodes = new Node[4];
    private final AcksAllProducer producer = new AcksAllProducer();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Controller controller = new Controller();

    /**
     * A model controller for one partition: an in-sync set proposal made at the current partition epoch is taken
     * and the leader told; any other is left unanswered, as a compare-and-set that failed.
     */
    private final class Controller implements ControllerClient
    {
        private int partitionEpoch;
        private int[] isr;

        synchronized void reset(final int partitionEpoch, final int[] isr)
        {
            this.partitionEpoch = partitionEpoch;
            this.isr = isr.clone();
        }

        synchronized int[] isr()
        {
            return isr.clone();
        }

        @Override
        public void heartbeat(final int nodeId, final long incarnation)
        {
            // Liveness is not modelled here: each test decides who leads (ControllerStateTest covers liveness).
        }

        @Override
        public synchronized void proposeIsr(final int leaderId, final String topic, final int partition,
            final int leaderEpoch, final int partitionEpoch, final int[] isr)
        {
            if (partitionEpoch == this.partitionEpoch)
            {
                this.partitionEpoch++;
                this.isr = isr.clone();
                nodes[leaderId].replicas.isrChanged(TOPIC, partition, this.partitionEpoch, isr);
            }
        }

        @Override
        public void reportLog(final int nodeId, final long incarnation, final String topic, final int partition,
            final int leaderEpoch, final int latestEpoch, final long logEndOffset)
        {
            // Each test here decides who leads; ControllerStateTest covers election by logs.
        }
    }

    private final class Node implements AutoCloseable
    {
        private final int id;
        private LogManager logs;
        private ReplicaNode replicas;

        Node(final int id)
        {
            this.id = id;
        }

        Node start() throws IOException
        {
            logs = LogManager.open(new LogManagerContext().dataDir(dir.resolve("node-" + id).resolve("logs"))
                .writerThreads(1).highWatermarkPolicy(PartitionLog.HighWatermarkPolicy.SET_BY_REPLICATION));
            if (!logs.hasTopic(TOPIC))
            {
                logs.createTopic(TOPIC, 1, new LogConfig(), TOPIC_ID);
            }
            // Terms of 16 MiB: a replica message carries up to 2 MiB, more than max.message.bytes.
            final TransportContext transport = new TransportContext().endpoint("127.0.0.1:" + ports.get(id))
                .termLength(16 * 1024 * 1024);
            ports.forEach((peer, port) ->
            {
                if (peer != id)
                {
                    transport.peer(peer, "127.0.0.1:" + port);
                }
            });
            replicas = ReplicaNode.launch(new NodeContext().nodeId(id).nodeDir(dir.resolve("node-" + id))
                .logs(logs).transport(transport).replicaConfig(CONFIG).controller(controller)
                .acksListener(producer)
                .errorHandler(failure -> { failure.printStackTrace(); errors.add(failure); }));
            return this;
        }

        Partition partition()
        {
            return logs.topic(TOPIC).partition(0);
        }

        ReplicaStatus status() throws Exception
        {
            return replicas.status().get().get(0);
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(replicas, logs);
            replicas = null;
            logs = null;
        }
    }


    private void startNodes() throws IOException
    {
        for (int id = 1; id <= 3; id++)
        {
            ports.put(id, LoopbackPorts.freeUdpPort());
        }
        for (int id = 1; id <= 3; id++)
        {
            nodes[id] = new Node(id).start();
        }
    }

    @AfterEach
    void closeNodes()
    {
        CloseHelper.closeAll(nodes);
        assertEquals(List.of(), errors, "no node reported an error");
    }

    private List<Long> produce(final Node leader, final int batches, final int records)
    {
        return producer.produce(leader.replicas, TOPIC_ID, leader.partition(), batches, records);
    }

    private void awaitAcks(final List<Long> tokens, final AckOutcome expected)
    {
        producer.await(tokens, expected);
    }

    private static void awaitReplicated(final Node leader, final Node... followers) throws IOException
    {
        AcksAllProducer.awaitReplicated(leader.partition(),
            Arrays.stream(followers).map(Node::partition).toArray(Partition[]::new));
    }

    private void awaitIsr(final int... isr)
    {
        TestBatches.await(() -> Arrays.equals(isr, controller.isr()), TIMEOUT_MS,
            () -> "in-sync set " + Arrays.toString(isr) + ", have " + Arrays.toString(controller.isr()));
    }

    /**
     * Make {@code leader} lead in {@code epoch} and the others follow it, and wait until it leads: a producer
     * appends only to a leader.
     */
    private void leadAt(final int leader, final int epoch, final int[] isr, final int... followers) throws Exception
    {
        controller.reset(epoch, isr);
        nodes[leader].replicas.lead(TOPIC, 0, epoch, epoch, new int[] {1, 2, 3}, isr);
        for (final int follower : followers)
        {
            nodes[follower].replicas.follow(TOPIC, 0, leader, epoch);
        }
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        ReplicaStatus status;
        while ((status = nodes[leader].status()).role() != ReplicaStatus.Role.LEADER || status.leaderEpoch() != epoch)
        {
            assertTrue(System.currentTimeMillis() < deadline, "node " + leader + " leads in epoch " + epoch + ": " +
                status);
        }
    }

    @Test
    void shouldReplicateByteForByteAndAnswerAcksAllOnceCommitted() throws Exception
    {
        startNodes();
        leadAt(1, 1, new int[] {1, 2, 3}, 2, 3);
        final List<Long> tokens = produce(nodes[1], 200, 5);
        awaitAcks(tokens, AckOutcome.COMMITTED);
        assertEquals(1000, nodes[1].partition().logEndOffset());
        assertEquals(1000, nodes[1].partition().log().highWatermark(), "the leader's high watermark passed them all");
        awaitReplicated(nodes[1], nodes[2], nodes[3]);
        final ReplicaStatus leader = nodes[1].status();
        assertEquals(ReplicaStatus.Role.LEADER, leader.role());
        assertArrayEquals(new int[] {1, 2, 3}, leader.isr());
        assertEquals(1, nodes[2].partition().log().epochCache().latestEpoch(), "the followers keep the leader's epoch");
    }

    @Test
    void shouldGoOnWithTwoWhenAFollowerStopsAndCatchItUpWhenItReturns() throws Exception
    {
        startNodes();
        leadAt(1, 1, new int[] {1, 2, 3}, 2, 3);
        awaitAcks(produce(nodes[1], 20, 5), AckOutcome.COMMITTED);
        nodes[3].close();

        final List<Long> withTwo = produce(nodes[1], 300, 10);
        awaitIsr(1, 2);
        awaitAcks(withTwo, AckOutcome.COMMITTED);
        assertEquals(3100, nodes[1].partition().log().highWatermark());

        nodes[3].start();
        nodes[3].replicas.follow(TOPIC, 0, 1, 1);
        awaitIsr(1, 2, 3);
        awaitReplicated(nodes[1], nodes[2], nodes[3]);
    }

    @Test
    void shouldTruncateTheTailOnlyTheOldLeaderHadWhenItFollowsTheNewOne() throws Exception
    {
        startNodes();
        leadAt(1, 1, new int[] {1, 2, 3}, 2, 3);
        awaitAcks(produce(nodes[1], 10, 5), AckOutcome.COMMITTED);
        awaitReplicated(nodes[1], nodes[2], nodes[3]);

        // Node 1 goes on leading a partition no one follows any more (both are told of epoch 2 first, and a
        // status answered after the command means it was taken): its tail is its own.
        nodes[2].replicas.follow(TOPIC, 0, 3, 2);
        nodes[3].replicas.follow(TOPIC, 0, 2, 2);
        nodes[2].status();
        nodes[3].status();
        final List<Long> alone = produce(nodes[1], 5, 7);
        assertEquals(85, nodes[1].partition().logEndOffset());

        leadAt(2, 2, new int[] {2, 3}, 3, 1);
        final List<Long> onNewLeader = produce(nodes[2], 4, 3);
        awaitAcks(onNewLeader, AckOutcome.COMMITTED);
        awaitAcks(alone, AckOutcome.NOT_LEADER_OR_FOLLOWER);
        awaitReplicated(nodes[2], nodes[3], nodes[1]);
        assertEquals(62, nodes[1].partition().logEndOffset(), "its own tail is gone, the new leader's is there");
        awaitIsr(1, 2, 3);
    }

    @Test
    void shouldRefuseBadBytesOnTheWireAndStoreNoneOfThem() throws Exception
    {
        startNodes();
        leadAt(1, 1, new int[] {1, 2, 3}, 2, 3);
        awaitAcks(produce(nodes[1], 10, 5), AckOutcome.COMMITTED);
        awaitReplicated(nodes[1], nodes[2], nodes[3]);

        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final Random random = new Random(42);
        try (AeronTransport rogue = AeronTransport.launch(new TransportContext().aeronDirectory(dir.resolve("rogue"))
            .endpoint("127.0.0.1:" + LoopbackPorts.freeUdpPort()).peer(2, "127.0.0.1:" + ports.get(2))))
        {
            TestBatches.await(() -> rogue.isConnected(2), TIMEOUT_MS, () -> "the rogue connected to node 2");
            int bad = 0;
            for (int i = 0; i < 50; i++, bad++)
            {
                final int length = 1 + random.nextInt(200);
                for (int b = 0; b < length; b++)
                {
                    message.putByte(b, (byte)random.nextInt());
                }
                send(rogue, message, length);
            }
            // Well formed but for a partition node 2 does not hold, then of an unknown type.
            ReplicaMessages.putHeader(message, 0, ReplicaMessages.HEARTBEAT, 1, nodes[1].replicas.incarnation(), 1,
                UUID.randomUUID(), 0);
            send(rogue, message, ReplicaMessages.HEARTBEAT_LENGTH);
            bad++;
            ReplicaMessages.putHeader(message, 0, (short)99, 1, nodes[1].replicas.incarnation(), 1, TOPIC_ID, 0);
            send(rogue, message, ReplicaMessages.HEARTBEAT_LENGTH);
            bad++;

            // As if from the leader, continuing node 2's log: batches that do not tile the message, then a damaged
            // one (a byte under its CRC flipped), which the writer refuses.
            final long end = nodes[2].partition().logEndOffset();
            final ByteBuffer batch = TestBatches.batch(3, NOW);
            final int batchLength = batch.remaining();
            ReplicaMessages.putHeader(message, 0, ReplicaMessages.RECORDS, 1, nodes[1].replicas.incarnation(), 1,
                TOPIC_ID, 0);
            ReplicaMessages.putRecords(message, 0, end, end + 3, end);
            message.putBytes(ReplicaMessages.RECORDS_HEADER_LENGTH, batch, batch.position(), batchLength);
            send(rogue, message, ReplicaMessages.RECORDS_HEADER_LENGTH + batchLength - 1);
            bad++;
            final int flipped = ReplicaMessages.RECORDS_HEADER_LENGTH + batchLength - 1;
            message.putByte(flipped, (byte)~message.getByte(flipped));
            send(rogue, message, ReplicaMessages.RECORDS_HEADER_LENGTH + batchLength);

            final int refused = bad;
            TestBatches.await(() -> refusedOn(nodes[2]) >= refused, TIMEOUT_MS,
                () -> refused + " messages refused by node 2, counted " + refusedOn(nodes[2]));
            assertEquals(refused, refusedOn(nodes[2]), "each bad message counted once");
        }
        awaitAcks(produce(nodes[1], 10, 5), AckOutcome.COMMITTED);
        awaitReplicated(nodes[1], nodes[2], nodes[3]);
        assertEquals(100, nodes[2].partition().logEndOffset(), "none of the rogue's bytes stored");
    }

    private static void send(final AeronTransport transport, final UnsafeBuffer message, final int length)
    {
        TestBatches.await(() -> transport.send(2, message, 0, length) == OfferOutcome.SENT, TIMEOUT_MS,
            () -> "a send");
    }

    private static long refusedOn(final Node node)
    {
        final long[] refused = {-1};
        node.logs.counters().forEach((id, label) ->
        {
            if (label.startsWith("replication node " + node.id + ": messages refused"))
            {
                refused[0] = node.logs.counters().getCounterValue(id);
            }
        });
        return refused[0];
    }

    @Test
    void shouldAnswerEveryAcksAllWaitEvenWhenItCannotCommit() throws Exception
    {
        startNodes();
        // Node 1 leads with only itself in sync, below min.insync.replicas=2: refused at once, not left waiting.
        leadAt(1, 1, new int[] {1});
        awaitAcks(produce(nodes[1], 2, 1), AckOutcome.NOT_ENOUGH_REPLICAS_AFTER_APPEND);

        // With all three in sync but no follower following, nothing commits; the node stopping answers the wait.
        leadAt(1, 2, new int[] {1, 2, 3});
        final List<Long> waiting = produce(nodes[1], 1, 1);
        nodes[1].close();
        awaitAcks(waiting, AckOutcome.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldDeleteATopicAnsweringItsWaitsAndKeepOnlyTheTopicsAResyncNames() throws Exception
    {
        startNodes();
        leadAt(1, 1, new int[] {1, 2, 3});
        final List<Long> waiting = produce(nodes[1], 1, 1);
        nodes[1].replicas.deleteTopic(TOPIC, TOPIC_ID);
        awaitAcks(waiting, AckOutcome.NOT_LEADER_OR_FOLLOWER);
        TestBatches.await(() -> !nodes[1].logs.hasTopic(TOPIC), TIMEOUT_MS, () -> "node 1 deletes the topic's logs");
        assertEquals(List.of(), nodes[1].replicas.status().get(), "no replica is left for the deleted topic");

        // Node 2 heard of the topic from the controller, and a complete resync no longer names it: deleted. Node 3
        // never heard of it: a controller that does not know a topic on disk may not be its, so it stays.
        nodes[2].replicas.createTopic(TOPIC, TOPIC_ID, 1, new TopicSettings(3, 2, false, CommitRule.ISR),
            new LogConfig());
        nodes[2].replicas.retainTopics(Set.of("another"));
        TestBatches.await(() -> !nodes[2].logs.hasTopic(TOPIC), TIMEOUT_MS, () -> "node 2 deletes the topic's logs");
        nodes[3].replicas.retainTopics(Set.of());
        nodes[3].replicas.status().get();
        assertTrue(nodes[3].logs.hasTopic(TOPIC));
    }

    @Test
    void shouldRefuseLogsWhoseHighWatermarkFollowsTheLogEnd() throws Exception
    {
        try (LogManager standalone = LogManager.open(new LogManagerContext().dataDir(dir.resolve("plain"))))
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new NodeContext().nodeId(1).nodeDir(dir.resolve("node")).logs(standalone)
                    .transport(new TransportContext().endpoint("127.0.0.1:1")).replicaConfig(CONFIG)
                    .controller(controller).conclude());
            assertTrue(refused.getMessage().contains("SET_BY_REPLICATION"), refused.getMessage());
        }
    }
}
