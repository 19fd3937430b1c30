package io.loglab.broker.wire;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.Topic;
import io.loglab.replication.replica.CommitRule;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where the broker's partitions are and who leads them: one node leading everything it stores
 * ({@link SingleNodePlacement}), or a node of a replicated cluster, where the controller decides and an acks=all
 * append waits until the in-sync replicas have it. What Metadata tells clients, what Produce, Fetch and ListOffsets
 * check before they touch a log, and how topics are made.
 * <p>
 * Threading: every method is called on the network thread; implementations read shared state without locks.
 */
public interface Placement
{
    /**
     * A topic as the cluster has it.
     *
     * @param minInsyncReplicas the fewest in-sync replicas an acks=all produce is taken with, under the in-sync set
     *                          commit rule.
     * @param commitRule        when its records are committed.
     */
    record PlacedTopic(String name, UUID topicId, int partitionCount, int replicationFactor, int minInsyncReplicas,
        CommitRule commitRule)
    {
    }

    /**
     * A partition's leader, its leader epoch (-1 when not known), its replicas and in-sync set; a leader of
     * {@link #NO_LEADER} while none may lead.
     */
    record Leadership(int leader, int leaderEpoch, int[] replicas, int[] isr)
    {
        public static final int NO_LEADER = -1;
    }

    /**
     * Told how an acks=all append's wait for its commit ended: {@link Errors#NONE} once committed, or why not.
     * Called on whichever thread learns it.
     */
    @FunctionalInterface
    interface CommitWait
    {
        void onCommit(Errors outcome);
    }

    /** This broker's node id. */
    int nodeId();

    /** Every broker of the cluster, this one included, as clients should reach them. */
    List<BrokerAddress> brokers();

    /** The node Metadata names as the controller. */
    int controllerId();

    /** The replication factor of a topic made without one. */
    int defaultReplicationFactor();

    /** The commit rule of a topic made without one. */
    CommitRule defaultCommitRule();

    /** The node that coordinates consumer groups, by Metadata's ids; -1 while none does. */
    int coordinatorId();

    /**
     * The leader epoch in which this node coordinates consumer groups now (on a cluster: it leads the offsets
     * topic's partition, its leader serving), or -1 while it does not; a change is a new term of coordination.
     */
    int coordinatorEpoch();

    /**
     * The offsets topic as this node holds it, made first if need be: at once on one node; on a cluster the
     * controller makes it, and this is null until this node holds it.
     */
    Topic offsetsTopic() throws IOException;

    /** Every topic clients may see, in no order. */
    List<PlacedTopic> topics();

    /** The topic, or null if there is none. */
    PlacedTopic topic(String name);

    /** The partition's leadership, or null if there is no such partition. */
    Leadership leadership(String topic, int partition);

    /**
     * Whether an acks=all append is committed only once replicas have it ({@link #awaitCommit}); if not, the write
     * itself (made durable as the topic's flush policy says) is the commit.
     */
    boolean replicates();

    /**
     * Tell {@code wait} once the partition's records below {@code endOffset}, written here in {@code leaderEpoch}
     * (negative: unknown, a retry of a stored batch) to the topic whose log has {@code topicId}, are committed, or why
     * they will not be: only when {@link #replicates()}, after the append was written here.
     */
    void awaitCommit(UUID topicId, int partition, long endOffset, int leaderEpoch, CommitWait wait);

    /**
     * Make a topic. The future gives null once made, or the error that refused it and why.
     *
     * @param commitRule when its records are committed.
     */
    CompletableFuture<Refusal> createTopic(String name, int partitions, int replicationFactor, int minInsyncReplicas,
        CommitRule commitRule, LogConfig config);

    /**
     * Delete a topic. The future gives null once deleted (on a cluster: by the controller; this broker's Metadata
     * follows when its node hears it), or the error that refused it and why.
     */
    CompletableFuture<Refusal> deleteTopic(String name);

    /**
     * A producer id no broker of the cluster has handed out or will hand out.
     */
    long newProducerId() throws IOException;

    /**
     * Why a request was refused, as Kafka's error and a message.
     */
    record Refusal(Errors error, String message)
    {
    }
}
