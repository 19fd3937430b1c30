package io.loglab.replication.quorum;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;
import io.loglab.engine.log.LogConfig;
import io.loglab.replication.controller.TopicSettings;
import io.loglab.replication.node.ControllerClient;
import io.loglab.replication.node.ReplicaNode;
import io.loglab.replication.node.TopicRequests;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's session with the controller quorum, as an Agrona {@link Agent} on a thread of its own: it owns the
 * {@link AeronCluster} client (not thread-safe), connects and reconnects to whichever member leads, polls its egress
 * (which is how it follows a new controller leader), and carries the decisions to the node. What the node's thread
 * and others send (heartbeats, in-sync set proposals, log reports, topic creations and deletions) goes through a
 * many-to-one ring buffer, and is offered in order; a message that meets back pressure waits in the buffer, and a
 * full buffer drops a heartbeat, proposal or report (each is sent again) rather than block the node.
 * <p>
 * Threading: {@link #heartbeat}, {@link #proposeIsr}, {@link #reportLog}, {@link #createTopic} and
 * {@link #deleteTopic} from any thread; everything else on the agent's thread. {@link #applied} is written by the
 * agent (volatile) and read by the node's thread.
 */
public final class QuorumControllerClient implements ControllerClient, TopicRequests, Agent, EgressListener
{
    private static final int RING_BYTES = 256 * 1024;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final AeronCluster.Context template;
    private final ErrorHandler errorHandler;
    private final ManyToOneRingBuffer outbound = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    /** Encoding thread-local to each sender, so senders on several threads never share a buffer. */
    private final ThreadLocal<ExpandableDirectByteBuffer> encoding =
        ThreadLocal.withInitial(() -> new ExpandableDirectByteBuffer(256));
    /** Topic creations and deletions waiting for their answers, by correlation id. */
    private final Map<Long, CompletableFuture<String>> requests = new ConcurrentHashMap<>();
    private final AtomicLong correlationIds = new AtomicLong();
    private final ControlledMessageHandler offerer = this::offer;
    /** Agent thread: volatile store of the newest decision taken. Node thread: volatile load for heartbeats. */
    private volatile long applied;
    /** Agent thread: messages of a resync taken since its start, and the topics among them. */
    private int resent;
    private final Set<String> resentTopics = new HashSet<>();
    private ReplicaNode node;
    private AeronCluster.AsyncConnect connecting;
    private AeronCluster cluster;

    /**
     * @param ingressEndpoints the quorum's members ({@link ControllerMember#ingressEndpoints}).
     * @param aeronDirectory   the media driver this client uses: the node's own.
     */
    public QuorumControllerClient(final String ingressEndpoints, final String aeronDirectory,
        final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        this.template = new AeronCluster.Context()
            .ingressChannel("aeron:udp?term-length=64k")
            .ingressEndpoints(ingressEndpoints)
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0|term-length=256k")
            .messageTimeoutNs(CONNECT_TIMEOUT_NS)
            .aeronDirectoryName(aeronDirectory)
            .egressListener(this);
    }

    /**
     * Run this session on a thread of its own, idling as the quorum's threads do; closing the runner closes it.
     */
    public AgentRunner start()
    {
        final AgentRunner runner = new AgentRunner(ControllerMember.idleStrategy(), errorHandler, null, this);
        AgentRunner.startOnThread(runner);
        return runner;
    }

    /**
     * The node the decisions go to; set before the agent runs.
     */
    public void bind(final ReplicaNode node)
    {
        this.node = node;
    }

    @Override
    public void heartbeat(final int nodeId, final long incarnation)
    {
        final ExpandableDirectByteBuffer buffer = encoding.get();
        send(buffer, ControllerMessages.heartbeat(buffer, nodeId, incarnation, applied));
    }

    @Override
    public void proposeIsr(final int leaderId, final String topic, final int partition, final int leaderEpoch,
        final int partitionEpoch, final int[] isr)
    {
        final ExpandableDirectByteBuffer buffer = encoding.get();
        send(buffer, ControllerMessages.proposeIsr(buffer, leaderId, topic, partition, leaderEpoch, partitionEpoch,
            isr));
    }

    @Override
    public void reportLog(final int nodeId, final long incarnation, final String topic, final int partition,
        final int leaderEpoch, final int latestEpoch, final long logEndOffset)
    {
        final ExpandableDirectByteBuffer buffer = encoding.get();
        send(buffer, ControllerMessages.logReport(buffer, nodeId, incarnation, topic, partition, leaderEpoch,
            latestEpoch, logEndOffset));
    }

    @Override
    public CompletableFuture<String> createTopic(final String name, final int partitions,
        final TopicSettings settings, final LogConfig logConfig)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final ExpandableDirectByteBuffer buffer = encoding.get();
        return request(correlationId, buffer, ControllerMessages.createTopic(buffer, correlationId, name, partitions,
            settings, LogSettingsText.of(logConfig)));
    }

    @Override
    public CompletableFuture<String> deleteTopic(final String name)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final ExpandableDirectByteBuffer buffer = encoding.get();
        return request(correlationId, buffer, ControllerMessages.deleteTopic(buffer, correlationId, name));
    }

    private CompletableFuture<String> request(final long correlationId, final DirectBuffer buffer, final int length)
    {
        final CompletableFuture<String> result = new CompletableFuture<>();
        requests.put(correlationId, result);
        if (!send(buffer, length))
        {
            requests.remove(correlationId);
            result.complete("the controller client's send buffer is full: try again");
        }
        return result;
    }

    private boolean send(final DirectBuffer buffer, final int length)
    {
        return outbound.write(ControllerMessages.type(buffer, 0), buffer, 0, length);
    }

    @Override
    public String roleName()
    {
        return "controller-client";
    }

    @Override
    public int doWork()
    {
        if (cluster == null || cluster.isClosed())
        {
            return connect();
        }
        return cluster.pollEgress() + outbound.controlledRead(offerer);
    }

    private int connect()
    {
        if (cluster != null)
        {
            // A creation's answer on the lost session will not come: its caller asks again.
            failRequests("the controller session was lost before it answered: try again");
        }
        CloseHelper.quietClose(cluster);
        cluster = null;
        resent = 0;
        resentTopics.clear();
        try
        {
            if (connecting == null)
            {
                connecting = AeronCluster.asyncConnect(template.clone());
            }
            cluster = connecting.poll();
            if (cluster != null)
            {
                connecting = null;
                return 1;
            }
        }
        catch (final AeronException ex)
        {
            // No quorum yet, or the leader moved while connecting: start again.
            CloseHelper.quietClose(connecting);
            connecting = null;
        }
        return 0;
    }

    private ControlledMessageHandler.Action offer(final int type, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        return cluster.offer(buffer, offset, length) > 0 ? ControlledMessageHandler.Action.CONTINUE :
            ControlledMessageHandler.Action.ABORT;
    }

    @Override
    public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
        final int offset, final int length, final Header header)
    {
        if (ControllerMessages.check(buffer, offset, length) != null)
        {
            return;
        }
        try
        {
            switch (ControllerMessages.type(buffer, offset))
            {
                case ControllerMessages.TOPIC ->
                {
                    node.createTopic(ControllerMessages.topicName(buffer, offset),
                        ControllerMessages.topicId(buffer, offset), ControllerMessages.int4(buffer, offset),
                        ControllerMessages.topicSettings(buffer, offset),
                        LogSettingsText.parse(ControllerMessages.topicLogSettings(buffer, offset)));
                    if (ControllerMessages.long8(buffer, offset) == ControllerMessages.RESENT)
                    {
                        resentTopics.add(ControllerMessages.topicName(buffer, offset));
                    }
                    taken(ControllerMessages.long8(buffer, offset));
                }
                case ControllerMessages.PARTITION ->
                {
                    node.apply(ControllerMessages.partitionTopic(buffer, offset),
                        ControllerMessages.int4(buffer, offset), ControllerMessages.partitionState(buffer, offset));
                    taken(ControllerMessages.long8(buffer, offset));
                }
                case ControllerMessages.RESYNC_END ->
                    resyncEnded(ControllerMessages.long8(buffer, offset), ControllerMessages.int4(buffer, offset));
                case ControllerMessages.TOPIC_DELETED ->
                {
                    node.deleteTopic(ControllerMessages.deletedName(buffer, offset),
                        ControllerMessages.topicId(buffer, offset));
                    taken(ControllerMessages.long8(buffer, offset));
                }
                case ControllerMessages.RESULT ->
                {
                    final CompletableFuture<String> result =
                        requests.remove(ControllerMessages.long8(buffer, offset));
                    if (result != null)
                    {
                        final String error = ControllerMessages.resultError(buffer, offset);
                        result.complete(error.isEmpty() ? null : error);
                    }
                }
                default ->
                {
                    // An ingress type: not for a node.
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * A decision was carried out. Numbers taken in an unbroken run move {@link #applied}, which the next heartbeat
     * reports; after a gap it stays, the quorum sees the node behind and sends everything again.
     */
    private void taken(final long decision)
    {
        if (decision == ControllerMessages.RESENT)
        {
            resent++;
        }
        else
        {
            // A decision of its own ends any resync whose end was lost: its count starts again.
            resent = 0;
            resentTopics.clear();
            if (decision == applied + 1)
            {
                applied = decision;
            }
        }
    }

    /**
     * A resync is complete if every message of it arrived: the node then has every decision up to its number.
     */
    private void resyncEnded(final long decision, final int messages)
    {
        if (resent == messages)
        {
            // Every topic the controller has came again: any other the node holds was deleted meanwhile.
            node.retainTopics(Set.copyOf(resentTopics));
            if (decision > applied)
            {
                applied = decision;
            }
        }
        resent = 0;
        resentTopics.clear();
    }

    @Override
    public void onClose()
    {
        failRequests("the node's controller session closed: try again at another broker");
        CloseHelper.closeAll(connecting, cluster);
    }

    private void failRequests(final String why)
    {
        for (final Long correlationId : requests.keySet())
        {
            final CompletableFuture<String> request = requests.remove(correlationId);
            if (request != null)
            {
                request.complete(why);
            }
        }
    }
}
