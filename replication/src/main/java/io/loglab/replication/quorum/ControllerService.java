package io.loglab.replication.quorum;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.controller.ControllerEffects;
import io.loglab.replication.controller.ControllerState;
import io.loglab.replication.controller.PartitionState;
import io.loglab.replication.controller.TopicSettings;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The controller state machine ({@link ControllerState}) as an Aeron Cluster service: every member applies the same
 * log (nodes' heartbeats, proposals and log reports, topic creations and deletions, timer events) in the same order
 * and so decides the same; decisions go to the nodes' sessions, which only the leader member really sends on. Cluster
 * time only, sorted maps only, topic ids derived from the log: nothing here differs between members.
 * <p>
 * Each decision is numbered. A node's heartbeat says the last number it applied in an unbroken run; one that is behind
 * (a decision lost to back pressure, a new session, a new controller leader) is sent every topic and partition again,
 * then a resync end with the count sent and the newest number, at most once a {@link #RESYNC_INTERVAL_MS}; nodes
 * apply decisions idempotently.
 * <p>
 * No snapshots yet: a restarted member replays the whole log ({@link #onTakeSnapshot} refuses, so a snapshot is
 * never taken silently empty).
 * <p>
 * Threading: the service container's thread only.
 */
public final class ControllerService implements ClusteredService, ControllerEffects
{
    static final long TIMER_INTERVAL_MS = 20;
    static final long RESYNC_INTERVAL_MS = 1_000;
    private static final long TIMER_ID = 1;

    private final ControllerConfig config;
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(1024);
    private ControllerState state;
    private Cluster cluster;
    /** Node id to its latest session's id. */
    private final Map<Integer, Long> sessions = new TreeMap<>();
    private final Map<Integer, Long> lastResyncMs = new TreeMap<>();
    /** Each topic's log settings, as text, for topics sent again. */
    private final Map<String, String> logSettings = new TreeMap<>();
    private final Map<String, UUID> topicIds = new TreeMap<>();
    private long decisions;
    /** Service thread: volatile store on each role change. Any thread: volatile load. */
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private String creating;
    private boolean timerScheduled;

    public ControllerService(final ControllerConfig config)
    {
        this.config = config;
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        if (snapshotImage != null)
        {
            throw new IllegalStateException("this controller takes no snapshots, yet the cluster has one: start it " +
                "on a cluster directory of its own");
        }
        this.cluster = cluster;
        this.state = new ControllerState(config, this);
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        // A node's session is known by its first heartbeat, which names the node.
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        sessions.values().removeIf(id -> id == session.id());
    }

    @Override
    public void onSessionMessage(final ClientSession session, final long timestamp, final DirectBuffer buffer,
        final int offset, final int length, final Header header)
    {
        if (!timerScheduled)
        {
            // Not from onStart, where Aeron Cluster allows no timers: the first message starts the clock, on every
            // member alike.
            timerScheduled = cluster.scheduleTimer(TIMER_ID, timestamp + TIMER_INTERVAL_MS);
        }
        if (session == null || ControllerMessages.check(buffer, offset, length) != null)
        {
            return;
        }
        try
        {
            switch (ControllerMessages.type(buffer, offset))
            {
                case ControllerMessages.HEARTBEAT -> onHeartbeat(session, timestamp, buffer, offset);
                case ControllerMessages.PROPOSE_ISR -> state.onIsrProposal(ControllerMessages.int4(buffer, offset),
                    ControllerMessages.proposedTopic(buffer, offset), ControllerMessages.proposedPartition(buffer,
                        offset), ControllerMessages.proposedLeaderEpoch(buffer, offset),
                    ControllerMessages.proposedPartitionEpoch(buffer, offset),
                    ControllerMessages.proposedIsr(buffer, offset));
                case ControllerMessages.CREATE_TOPIC -> onCreateTopic(session, timestamp, buffer, offset);
                case ControllerMessages.DELETE_TOPIC -> onDeleteTopic(session, buffer, offset);
                case ControllerMessages.LOG_REPORT -> state.onLogReport(ControllerMessages.int4(buffer, offset),
                    ControllerMessages.long8(buffer, offset), ControllerMessages.reportTopic(buffer, offset),
                    ControllerMessages.reportPartition(buffer, offset),
                    ControllerMessages.reportLeaderEpoch(buffer, offset),
                    ControllerMessages.reportLatestEpoch(buffer, offset),
                    ControllerMessages.reportLogEnd(buffer, offset));
                default ->
                {
                    // An egress type sent as ingress: not for the controller.
                }
            }
        }
        catch (final RuntimeException malformed)
        {
            // The same bytes are malformed on every member (a string or array past the end, a bad value): each
            // drops them alike, and the service goes on.
        }
    }

    private void onHeartbeat(final ClientSession session, final long timestamp, final DirectBuffer buffer,
        final int offset)
    {
        final int nodeId = ControllerMessages.int4(buffer, offset);
        sessions.put(nodeId, session.id());
        state.onHeartbeat(nodeId, ControllerMessages.long8(buffer, offset), timestamp);
        if (ControllerMessages.heartbeatApplied(buffer, offset) < decisions &&
            timestamp - lastResyncMs.getOrDefault(nodeId, Long.MIN_VALUE / 2) >= RESYNC_INTERVAL_MS)
        {
            lastResyncMs.put(nodeId, timestamp);
            int messages = 0;
            for (final String topic : state.topics())
            {
                send(nodeId, ControllerMessages.topic(out, ControllerMessages.RESENT, topic, topicIds.get(topic),
                    state.partitionCount(topic), state.settings(topic), logSettings.get(topic)));
                messages++;
                for (int p = 0; p < state.partitionCount(topic); p++)
                {
                    send(nodeId, ControllerMessages.partition(out, ControllerMessages.RESENT, topic,
                        topicIds.get(topic), p, state.partition(topic, p)));
                    messages++;
                }
            }
            send(nodeId, ControllerMessages.resyncEnd(out, decisions, messages));
        }
    }

    private void onCreateTopic(final ClientSession session, final long timestamp, final DirectBuffer buffer,
        final int offset)
    {
        final long correlationId = ControllerMessages.long8(buffer, offset);
        final String name = ControllerMessages.createName(buffer, offset);
        final String settingsText = ControllerMessages.createLogSettings(buffer, offset);
        String error;
        try
        {
            LogSettingsText.parse(settingsText);
            final TopicSettings settings = ControllerMessages.createSettings(buffer, offset);
            final UUID topicId = UUID.nameUUIDFromBytes((name + "@" + timestamp + "#" + decisions)
                .getBytes(StandardCharsets.UTF_8));
            creating = settingsText;
            error = state.createTopic(name, topicId, ControllerMessages.int4(buffer, offset), settings);
        }
        catch (final IllegalArgumentException refused)
        {
            error = refused.getMessage();
        }
        finally
        {
            creating = null;
        }
        final int length = ControllerMessages.result(out, correlationId, error);
        session.offer(out, 0, length);
    }

    private void onDeleteTopic(final ClientSession session, final DirectBuffer buffer, final int offset)
    {
        // The decision goes to every node (through the same buffer) before the answer is written.
        final String error = state.deleteTopic(ControllerMessages.deleteName(buffer, offset));
        final int length = ControllerMessages.result(out, ControllerMessages.long8(buffer, offset), error);
        session.offer(out, 0, length);
    }

    @Override
    public void topicCreated(final String name, final UUID topicId, final int partitionCount,
        final TopicSettings settings, final int[][] replicas)
    {
        logSettings.put(name, creating);
        topicIds.put(name, topicId);
        decisions++;
        final int length = ControllerMessages.topic(out, decisions, name, topicId, partitionCount, settings,
            creating);
        sessions.keySet().forEach(node -> send(node, length));
    }

    @Override
    public void partitionChanged(final String topic, final UUID topicId, final int partition,
        final PartitionState decided)
    {
        decisions++;
        final int length = ControllerMessages.partition(out, decisions, topic, topicId, partition, decided);
        sessions.keySet().forEach(node -> send(node, length));
    }

    @Override
    public void topicDeleted(final String name, final UUID topicId)
    {
        logSettings.remove(name);
        topicIds.remove(name);
        decisions++;
        final int length = ControllerMessages.topicDeleted(out, decisions, name, topicId);
        sessions.keySet().forEach(node -> send(node, length));
    }

    private void send(final int nodeId, final int length)
    {
        final Long sessionId = sessions.get(nodeId);
        final ClientSession session = sessionId == null ? null : cluster.getClientSession(sessionId);
        if (session != null)
        {
            // Back pressure loses the decision for now: the node's next heartbeats show it behind, and it is sent
            // everything again.
            session.offer(out, 0, length);
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        state.onTime(timestamp);
        // A refused schedule (back pressure) is tried again with the next message.
        timerScheduled = cluster.scheduleTimer(TIMER_ID, timestamp + TIMER_INTERVAL_MS);
    }

    /**
     * A new controller leader: the nodes' sessions reconnect to it, and their heartbeats stopped while it was
     * elected; without a fresh start every node would look silent for the length of the election and lose its
     * leaderships. The event is in the log, so every member starts the count alike.
     */
    @Override
    public void onNewLeadershipTermEvent(final long leadershipTermId, final long logPosition, final long timestamp,
        final long termBaseLogPosition, final int leaderMemberId, final int logSessionId, final TimeUnit timeUnit,
        final int appVersion)
    {
        if (state != null)
        {
            state.onNewTerm(timestamp);
        }
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        throw new UnsupportedOperationException("the controller takes no snapshots yet: its log is replayed whole");
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        // Every member decides alike whatever its role; only the leader's session offers leave the cluster.
        role = newRole;
    }

    /**
     * This member's role, as the consensus module last told the service.
     */
    Cluster.Role role()
    {
        return role;
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        // Nothing of the controller's own to release: its state is the log.
    }
}
