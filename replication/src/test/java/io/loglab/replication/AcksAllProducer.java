package io.loglab.replication;

import io.loglab.engine.TestBatches;
import io.loglab.engine.partition.AppendRequest;
import io.loglab.engine.partition.Partition;
import io.loglab.replication.cluster.EmbeddedCluster;
import io.loglab.replication.node.AcksListener;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.replica.AckOutcome;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A test's acks=all producer against a node's partition, as the broker will be one: append to the leader's
 * partition, then wait on the node for the commit. It listens for the answers itself.
 */
public final class AcksAllProducer implements AcksListener
{
    public static final long TIMEOUT_MS = 30_000;
    private static final long NOW = System.currentTimeMillis();

    private final Map<Long, AckOutcome> answers = new ConcurrentHashMap<>();
    private long nextToken;

    @Override
    public void onAcknowledged(final UUID topicId, final int partition, final long token, final AckOutcome outcome)
    {
        answers.put(token, outcome);
    }

    /**
     * Append {@code batches} batches of {@code records} records each to the partition of an embedded cluster's node
     * leading it, each acks=all.
     *
     * @return the tokens, in offset order.
     */
    public List<Long> produce(final EmbeddedCluster.Node leader, final String topic, final int partition,
        final int batches, final int records)
    {
        return produce(leader.replicas(), leader.logs().topic(topic).topicId(), leader.partition(topic, partition),
            batches, records);
    }

    /**
     * Append {@code batches} batches of {@code records} records each to the leader's partition of topic
     * {@code topicId}, each acks=all.
     *
     * @return the tokens, in offset order.
     */
    public List<Long> produce(final ReplicaNode leader, final UUID topicId, final Partition partition,
        final int batches, final int records)
    {
        final List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < batches; i++)
        {
            final AppendRequest request = new AppendRequest().batch(TestBatches.batch(records, NOW + i));
            TestBatches.await(() -> partition.offer(request) == Partition.OFFERED, TIMEOUT_MS, () -> "an offer");
            TestBatches.await(request::isDone, TIMEOUT_MS, () -> "the append");
            assertNotEquals(AppendRequest.FAILED, request.status(), String.valueOf(request.failure()));
            tokens.add(awaitCommit(leader, topicId, partition.id(), request.lastOffset() + 1, request.leaderEpoch()));
        }
        return tokens;
    }

    /**
     * Wait on {@code node} for the commit of records below {@code endOffset} written in {@code leaderEpoch} to the
     * partition of topic {@code topicId}.
     *
     * @return the wait's token.
     */
    public long awaitCommit(final ReplicaNode node, final UUID topicId, final int partition, final long endOffset,
        final int leaderEpoch)
    {
        final long token = nextToken++;
        node.awaitCommit(topicId, partition, endOffset, leaderEpoch, token);
        return token;
    }

    /**
     * Wait for every token's answer, and check it is {@code expected}.
     */
    public void await(final List<Long> tokens, final AckOutcome expected)
    {
        for (final long token : tokens)
        {
            TestBatches.await(() -> answers.containsKey(token), TIMEOUT_MS, () -> "the answer to " + token);
            assertEquals(expected, answers.get(token), "token " + token);
        }
    }

    /**
     * Wait until each of {@code followers} has the leader's log end and high watermark, then check it stores the
     * leader's bytes.
     */
    public static void awaitReplicated(final Partition leader, final Partition... followers) throws IOException
    {
        final long end = leader.logEndOffset();
        for (final Partition follower : followers)
        {
            TestBatches.await(() -> follower.logEndOffset() == end && follower.log().highWatermark() == end,
                TIMEOUT_MS, () -> follower.log().dir() + " at the leader's end " + end + " and high watermark: log " +
                    "end " + follower.logEndOffset() + ", high watermark " + follower.log().highWatermark());
            assertArrayEquals(TestBatches.stored(leader), TestBatches.stored(follower),
                follower.log().dir() + " stores the leader's bytes");
        }
    }
}
