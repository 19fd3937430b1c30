package io.loglab.replication.node;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.partition.WakeableIdleStrategy;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.protocol.ReplicaMessages;
import io.loglab.replication.replica.AckOutcome;
import io.loglab.transport.aeron.AeronTransport;
import io.loglab.transport.aeron.MessageHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's replicas, as an Agrona {@link Agent} on a thread of its own: it takes the controller's decisions (lead,
 * follow, in-sync set changes) and producers' acks=all waits from a command queue, polls the Aeron transport for its
 * peers' replica messages, and runs each partition's replica ({@link PartitionReplica}) every duty cycle. The engine's
 * writer shards do the appends and truncations; their answers come back through the command queue.
 * <p>
 * Threading: every public method may be called from any thread and, but for {@link #createTopic} (which makes the
 * topic's logs on the caller's thread), only enqueues a command; the node's thread runs them in order, and alone
 * touches the replicas, the transport and the send buffer.
 */
public final class ReplicaNode implements Agent, MessageHandler, AutoCloseable
{
    /**
     * A step for the node's thread, given the time it runs at.
     */
    @FunctionalInterface
    interface Command
    {
        void run(long nowMs);
    }

    private static final int COMMAND_LIMIT = 64;
    private static final int FRAGMENT_LIMIT = 64;
    // Idle, park 100 µs 20 times (a peer's message soon after the last waits little), then 1 ms (an idle node's
    // ten thousand wake-ups a second took a tenth of a core); a command or a write to the node's logs wakes it.
    private static final long SHORT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final NodeContext ctx;
    private final AeronTransport transport;
    private final NodeCounters counters;
    private final ReplicaSender sender;
    private final ClusterMetadata metadata = new ClusterMetadata();
    /** Any thread offers; the node's thread polls. */
    private final ManyToOneConcurrentLinkedQueue<Command> commands = new ManyToOneConcurrentLinkedQueue<>();
    /**
     * Writer threads: volatile store of true before they wake the node ({@link #onLogsWritten}). The node's thread:
     * cleared at the start of each duty cycle, read just before it parks, so a write it has not looked at yet never
     * leaves it parked.
     */
    private volatile boolean logsWritten;
    /**
     * The node's thread idles on it; any thread that enqueues a command wakes it, and so does a writer thread that
     * wrote to the node's logs (a leader's append to stream, a follower's to report).
     */
    private final WakeableIdleStrategy idle =
        new WakeableIdleStrategy(() -> !commands.isEmpty() || logsWritten, 1, 1, SHORT_PARK_NS, 20, MAX_PARK_NS);
    private final ReplicaTable table = new ReplicaTable();
    private final LeaderlessLogs leaderless;
    private final NodeTopics topics;
    private final PartitionDecisions decisions;
    /** The table's replicas, for the duty cycle. */
    private final List<PartitionReplica> replicas = table.all();
    private AgentRunner runner;
    private long nowMs;
    private long lastHeartbeatMs = Long.MIN_VALUE / 2;

    private ReplicaNode(final NodeContext ctx, final AeronTransport transport)
    {
        this.ctx = ctx;
        this.transport = transport;
        this.counters = new NodeCounters(ctx.logs().counters(), ctx.nodeId());
        this.sender = new ReplicaSender(transport, ctx.nodeId(), ctx.incarnation(), counters);
        this.leaderless = new LeaderlessLogs(ctx, (topic, partition) ->
        {
            final PartitionReplica replica = table.find(ctx.logs().topic(topic).topicId(), partition);
            return replica == null || replica.isQuiet();
        });
        this.topics = new NodeTopics(this, ctx, metadata, table, leaderless);
        this.decisions = new PartitionDecisions(this, ctx, metadata, table, leaderless, topics);
    }

    /**
     * Start the node's transport (its media driver) and its thread.
     *
     * @param ctx concluded here if it is not yet.
     */
    public static ReplicaNode launch(final NodeContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        final AeronTransport transport = AeronTransport.launch(ctx.transport());
        final ReplicaNode node;
        try
        {
            node = new ReplicaNode(ctx, transport);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(transport);
            throw ex;
        }
        node.runner = new AgentRunner(node.idle, ctx.errorHandler(), null, node);
        AgentRunner.startOnThread(node.runner);
        ctx.logs().appendSignal().target(node::onLogsWritten);
        return node;
    }

    public int nodeId()
    {
        return ctx.nodeId();
    }

    public long incarnation()
    {
        return ctx.incarnation();
    }

    /**
     * Lead partition {@code partition} of {@code topic} in {@code leaderEpoch}, as the controller decided, with the
     * in-sync set it gave at {@code partitionEpoch}.
     */
    public void lead(final String topic, final int partition, final int leaderEpoch, final int partitionEpoch,
        final int[] replicas, final int[] isr)
    {
        decisions.lead(topic, partition, leaderEpoch, partitionEpoch, replicas, isr);
    }

    /**
     * Follow {@code leaderId}, the leader of {@code topic}'s partition in {@code leaderEpoch}.
     */
    public void follow(final String topic, final int partition, final int leaderId, final int leaderEpoch)
    {
        decisions.follow(topic, partition, leaderId, leaderEpoch);
    }

    /**
     * What this node has heard of the controller's decisions, for every topic and partition.
     */
    public ClusterMetadata metadata()
    {
        return metadata;
    }

    /**
     * Make a topic the controller created, under the controller's id, unless the node's logs hold it already (a
     * restart, or the decision heard twice). Its replicas here commit by the topic's rule and take acks=all with at
     * least its {@code min.insync.replicas} in sync. Logs of that name under another id, a topic deleted while this
     * node did not hear, are quarantined whole first, told on stderr.
     *
     * @throws IllegalArgumentException if the logs hold a topic of that name under another id that this node serves
     *                                  (it has not heard of the deletion yet).
     */
    public void createTopic(final String name, final UUID topicId, final int partitionCount,
        final TopicSettings settings, final LogConfig config) throws IOException
    {
        topics.create(name, topicId, partitionCount, settings, config);
    }

    /**
     * The controller deleted a topic: the broker names it no more, its replicas here stop (their acks=all waits are
     * answered {@link AckOutcome#NOT_LEADER_OR_FOLLOWER}) and are dropped, and its logs are deleted. A topic held
     * under another id is left alone.
     */
    public void deleteTopic(final String name, final UUID topicId)
    {
        topics.delete(name, topicId);
    }

    /**
     * A complete resync named every topic the controller has: any other this node heard of from it was deleted while
     * the node did not hear (its session lost the decision), and is deleted here too, told on stderr. Topics on disk
     * it never heard of are left alone: a controller that does not know them may not be theirs.
     */
    public void retainTopics(final Set<String> controllerTopics)
    {
        topics.retain(controllerTopics);
    }

    /**
     * The controller's decision for one partition: lead it, follow its leader, or, with no leader or this node not
     * among its replicas, hold no role. A decision heard again changes nothing; an in-sync set change reaches the
     * leader.
     */
    public void apply(final String topic, final int partition, final PartitionState state)
    {
        decisions.apply(topic, partition, state);
    }

    /**
     * The controller's answer to an in-sync set proposal, or news of a change.
     */
    public void isrChanged(final String topic, final int partition, final int partitionEpoch, final int[] isr)
    {
        decisions.isrChanged(topic, partition, partitionEpoch, isr);
    }

    /**
     * An acks=all append to a partition this node leads is written in {@code leaderEpoch} and ends before
     * {@code endOffset}: answer {@code token} through the context's {@link AcksListener} once it is committed, or
     * not. The topic is named by the id of the log the append went to, so a wait for a topic deleted (and perhaps
     * made again under its name) meanwhile is answered {@link AckOutcome#NOT_LEADER_OR_FOLLOWER}, as is one that
     * reaches the node after its leadership of that epoch ended, whatever a later epoch holds at those offsets; a
     * negative epoch (a retry of a batch stored before) is waited for by offset alone.
     */
    public void awaitCommit(final UUID topicId, final int partition, final long endOffset, final int leaderEpoch,
        final long token)
    {
        enqueue(now ->
        {
            final PartitionReplica replica = table.find(topicId, partition);
            if (replica == null)
            {
                // Every wait is answered: a partition this node does not hold is not led here.
                acknowledge(topicId, partition, token, AckOutcome.NOT_LEADER_OR_FOLLOWER);
                return;
            }
            replica.awaitCommit(endOffset, leaderEpoch, token);
        });
    }

    /**
     * What each replica on this node is now.
     */
    public CompletableFuture<List<ReplicaStatus>> status()
    {
        final CompletableFuture<List<ReplicaStatus>> status = new CompletableFuture<>();
        enqueue(now -> status.complete(replicas.stream().map(PartitionReplica::status).toList()));
        return status;
    }

    @Override
    public String roleName()
    {
        return "replica-node-" + ctx.nodeId();
    }

    @Override
    public int doWork()
    {
        if (logsWritten)
        {
            logsWritten = false;
        }
        nowMs = ctx.clock().time();
        int work = 0;
        if (nowMs - lastHeartbeatMs >= ctx.heartbeatIntervalMs())
        {
            lastHeartbeatMs = nowMs;
            ctx.controller().heartbeat(ctx.nodeId(), ctx.incarnation());
            leaderless.reportAll();
            replicas.forEach(PartitionReplica::publishStatus);
            work++;
        }
        for (Command command; work < COMMAND_LIMIT && (command = commands.poll()) != null; work++)
        {
            command.run(nowMs);
        }
        work += transport.poll(this, FRAGMENT_LIMIT);
        for (int i = 0, size = replicas.size(); i < size; i++)
        {
            work += replicas.get(i).doWork(nowMs);
        }
        return work;
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        counters.received();
        try
        {
            final PartitionReplica replica = ReplicaMessages.check(buffer, offset, length) == null ?
                table.find(ReplicaMessages.topicIdMostSignificantBits(buffer, offset),
                    ReplicaMessages.topicIdLeastSignificantBits(buffer, offset),
                    ReplicaMessages.partition(buffer, offset)) : null;
            if (replica == null || !replica.onMessage(buffer, offset, length, nowMs))
            {
                counters.refused();
            }
        }
        catch (final RuntimeException ex)
        {
            // Thrown inside Aeron's poll it would reach Aeron's handler, not the node's.
            onError(ex);
        }
    }

    /**
     * The node's thread, stopping: every leader resigns and every queued command runs, so no acks=all wait is left
     * unanswered (each is answered {@link AckOutcome#NOT_LEADER_OR_FOLLOWER}); then the transport closes.
     */
    @Override
    public void onClose()
    {
        try
        {
            replicas.forEach(replica -> replica.stop(Integer.MAX_VALUE));
            for (Command command; (command = commands.poll()) != null; )
            {
                command.run(nowMs);
            }
        }
        finally
        {
            replicas.forEach(PartitionReplica::closeCounters);
            CloseHelper.closeAll(transport, counters);
        }
    }

    /**
     * Stop the node's thread, then its transport and media driver. The partitions stay open: their logs are the
     * engine's.
     */
    @Override
    public void close()
    {
        ctx.logs().appendSignal().target(null);
        CloseHelper.close(runner);
    }

    /**
     * A writer thread, after a drain that wrote to this node's logs.
     */
    private void onLogsWritten()
    {
        logsWritten = true;
        idle.wake();
    }

    void enqueue(final Command command)
    {
        commands.offer(command);
        idle.wake();
    }

    void onError(final Throwable failure)
    {
        ctx.errorHandler().onError(failure);
    }

    ReplicaSender sender()
    {
        return sender;
    }

    CountersManager counters()
    {
        return ctx.logs().counters();
    }

    ReplicationProbe probe()
    {
        return ctx.probe();
    }

    void acknowledge(final UUID topicId, final int partition, final long token, final AckOutcome outcome)
    {
        ctx.acksListener().onAcknowledged(topicId, partition, token, outcome);
    }

    void proposeIsr(final String topic, final int partition, final int leaderEpoch, final int partitionEpoch,
        final int[] isr)
    {
        ctx.controller().proposeIsr(ctx.nodeId(), topic, partition, leaderEpoch, partitionEpoch, isr);
    }
}
