package io.loglab.replication.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Which nodes the controller counts alive, and in which incarnation: a node is alive from its first heartbeat until
 * {@link ControllerConfig#nodeTimeoutMs} passes without one; a heartbeat of a newer incarnation is a restart, the old
 * incarnation dead before the new one joins; one of an older incarnation is ignored. Ordered by node id, so every
 * member of a replicated controller visits nodes in the same order.
 * <p>
 * Threading: the controller state machine's.
 */
final class NodeLiveness
{
    private final ControllerConfig config;
    private final Map<Integer, NodeRecord> nodes = new TreeMap<>();

    private static final class NodeRecord
    {
        long incarnation;
        long lastHeartbeatMs;
        boolean alive;
    }

    NodeLiveness(final ControllerConfig config)
    {
        this.config = config;
    }

    /**
     * A heartbeat: {@code died} hears of the node's old incarnation if this one restarted it, then {@code joined} of
     * the node if it was not alive in this incarnation.
     */
    void onHeartbeat(final int nodeId, final long incarnation, final long nowMs, final IntConsumer died,
        final IntConsumer joined)
    {
        NodeRecord node = nodes.get(nodeId);
        if (node != null && incarnation < node.incarnation)
        {
            return;
        }
        if (node != null && incarnation > node.incarnation && node.alive)
        {
            node.alive = false;
            died.accept(nodeId);
        }
        if (node == null)
        {
            node = new NodeRecord();
            nodes.put(nodeId, node);
        }
        node.lastHeartbeatMs = nowMs;
        if (incarnation > node.incarnation || !node.alive)
        {
            node.incarnation = incarnation;
            node.alive = true;
            joined.accept(nodeId);
        }
    }

    /**
     * The nodes silent for longer than the timeout at {@code nowMs}, now dead, in order.
     */
    List<Integer> expire(final long nowMs)
    {
        final List<Integer> died = new ArrayList<>();
        for (final Map.Entry<Integer, NodeRecord> entry : nodes.entrySet())
        {
            final NodeRecord node = entry.getValue();
            if (node.alive && nowMs - node.lastHeartbeatMs > config.nodeTimeoutMs())
            {
                node.alive = false;
                died.add(entry.getKey());
            }
        }
        return died;
    }

    /**
     * Every live node has {@link ControllerConfig#newTermGraceMs} from {@code nowMs} to be heard before it is dead,
     * and not less than it had left.
     */
    void grace(final long nowMs)
    {
        final long heardBy = nowMs - config.nodeTimeoutMs() + config.newTermGraceMs();
        for (final NodeRecord node : nodes.values())
        {
            if (node.alive)
            {
                node.lastHeartbeatMs = Math.max(node.lastHeartbeatMs, heardBy);
            }
        }
    }

    boolean isAlive(final int nodeId)
    {
        final NodeRecord node = nodes.get(nodeId);
        return node != null && node.alive;
    }

    /**
     * Is {@code incarnation} the live one of the node?
     */
    boolean isCurrent(final int nodeId, final long incarnation)
    {
        final NodeRecord node = nodes.get(nodeId);
        return node != null && node.alive && node.incarnation == incarnation;
    }

    /**
     * The live nodes' ids, in order.
     */
    int[] liveNodes()
    {
        return nodes.entrySet().stream().filter(entry -> entry.getValue().alive).mapToInt(Map.Entry::getKey)
            .toArray();
    }
}
