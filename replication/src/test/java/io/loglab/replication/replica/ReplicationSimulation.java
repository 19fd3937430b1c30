package io.loglab.replication.replica;

import io.loglab.engine.log.LeaderEpochCache;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Three replicas of one partition and a controller, driven by one seeded random source: a clock that advances a
 * millisecond per step, a network that drops, duplicates, delays and so reorders messages, leaders that refuse to
 * send now and then (back pressure), crashes that keep the page cache or (a power loss) lose what was not fsynced,
 * restarts with a new incarnation, and elections by the controller. Producers append acks=all records at the
 * leader. After every event the invariants hold or the run fails with the seed and the last events:
 * <ul>
 *     <li>every acknowledged record is on every new leader, at its offset, and on every replica at the end;</li>
 *     <li>no offset below a replica's high watermark ever holds a value other than the one committed there;</li>
 *     <li>at most one leader per epoch; a leader's high watermark never goes back;</li>
 *     <li>once faults stop and every node is back, the replicas' logs become identical and fully committed.</li>
 * </ul>
 * The controller here is a plain model (instant elections, in-sync set compare-and-set on the partition epoch);
 * only its messages to and from the leader cross the faulty network.
 */
final class ReplicationSimulation
{
    private static final int[] REPLICAS = {0, 1, 2};
    private static final int TRACE_EVENTS = 40;

    private record Event(long atMs, long seq, int node, String what, Runnable action)
    {
    }

    private final long seed;
    private final Random random;
    private final ReplicaConfig config;
    private final SimNode[] nodes = new SimNode[REPLICAS.length];
    private final PriorityQueue<Event> events =
        new PriorityQueue<>(Comparator.comparingLong(Event::atMs).thenComparingLong(Event::seq));
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final Map<Long, Long> committedValues = new HashMap<>();
    private final Map<Long, Long> pendingOffsets = new HashMap<>();
    private final Map<Long, Long> ackedOffsets = new HashMap<>();
    private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    private long nowMs;
    private long seq;
    private boolean faults = true;
    private boolean producing = true;
    private long nextValue = 1;
    private int leaderId = -1;
    private int leaderEpoch;
    private int partitionEpoch;
    private int[] isr = REPLICAS.clone();

    ReplicationSimulation(final long seed, final ReplicaConfig config)
    {
        this.seed = seed;
        this.random = new Random(seed);
        this.config = config;
        for (final int id : REPLICAS)
        {
            nodes[id] = new SimNode(this, id);
        }
    }

    /**
     * Run {@code faultySteps} milliseconds with faults, then heal and check the replicas converge.
     *
     * @return how many records were acknowledged as committed.
     */
    int run(final int faultySteps)
    {
        elect();
        for (int step = 0; step < faultySteps; step++)
        {
            tick();
        }
        faults = false;
        for (final SimNode node : nodes)
        {
            if (!node.alive)
            {
                restart(node);
            }
        }
        // Healed: a while with appends, so the last leader commits in its own epoch, then a while without.
        for (int step = 0; step < 20 * config.replicaLagTimeMaxMs(); step++)
        {
            producing = step < 10 * config.replicaLagTimeMaxMs();
            tick();
        }
        checkConverged();
        return ackedOffsets.size();
    }

    long nowMs()
    {
        return nowMs;
    }

    boolean backPressured()
    {
        return faults && random.nextInt(20) == 0;
    }

    /**
     * Put a message on the network: maybe lost, maybe twice, after a random delay.
     */
    void send(final int from, final int to, final String what, final Consumer<SimNode> onDelivery)
    {
        final String described = from + "->" + to + " " + what;
        if (faults && random.nextInt(20) == 0)
        {
            note("lost " + described);
            return;
        }
        final int copies = faults && random.nextInt(30) == 0 ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            schedule(1 + random.nextInt(faults ? 10 : 2), to, described, () -> onDelivery.accept(nodes[to]));
        }
    }

    void toController(final int from, final Consumer<ReplicationSimulation> onDelivery)
    {
        if (faults && random.nextInt(20) == 0)
        {
            note("lost " + from + "->controller");
            return;
        }
        schedule(1 + random.nextInt(faults ? 10 : 2), -1, from + "->controller", () -> onDelivery.accept(this));
    }

    /**
     * Run {@code action} on {@code node} a millisecond from now, unless it has crashed by then.
     */
    void later(final SimNode node, final Runnable action)
    {
        final long incarnation = node.incarnation;
        schedule(1, node.id, "writer of " + node.id, () ->
        {
            if (node.incarnation == incarnation)
            {
                action.run();
            }
        });
    }

    /**
     * The controller gets a leader's in-sync set proposal.
     */
    void onProposal(final int from, final int epoch, final int expectedPartitionEpoch, final int[] proposed)
    {
        final boolean accepted = from == leaderId && epoch == leaderEpoch &&
            expectedPartitionEpoch == partitionEpoch && NodeSet.contains(proposed, leaderId) &&
            Arrays.stream(proposed).allMatch(node -> NodeSet.contains(isr, node) || nodes[node].alive);
        if (accepted)
        {
            isr = NodeSet.of(proposed);
            partitionEpoch++;
        }
        note("controller " + (accepted ? "takes" : "refuses") + " isr " + Arrays.toString(proposed) + " from " +
            from);
        tellLeader(from, epoch);
    }

    void committed(final SimNode node, final long fromOffset, final long toOffset)
    {
        for (long offset = fromOffset; offset < toOffset; offset++)
        {
            final SimLog.Entry entry = node.log.at(offset);
            check(entry != null || offset < node.log.logStartOffset(),
                "node " + node.id + " has a high watermark " + toOffset + " past its log end " +
                    node.log.logEndOffset());
            if (entry != null)
            {
                final Long before = committedValues.putIfAbsent(offset, entry.value());
                check(before == null || before == entry.value(), "offset " + offset + " committed as " + before +
                    " and as " + entry.value() + " on node " + node.id);
            }
        }
    }

    void acknowledged(final long value, final AckOutcome outcome)
    {
        final Long offset = pendingOffsets.remove(value);
        check(offset != null, "value " + value + " answered twice or never appended");
        if (outcome == AckOutcome.COMMITTED)
        {
            check(Long.valueOf(value).equals(committedValues.get(offset)),
                "value " + value + " acknowledged at offset " + offset + " but committed there: " +
                    committedValues.get(offset));
            ackedOffsets.put(value, offset);
        }
    }

    void truncating(final SimNode node, final long offset)
    {
        note("node " + node.id + " truncates to " + offset + " from " + node.log.logEndOffset());
    }

    private void tick()
    {
        nowMs++;
        while (!events.isEmpty() && events.peek().atMs() <= nowMs)
        {
            final Event event = events.poll();
            if (event.node() < 0 || nodes[event.node()].alive)
            {
                note(event.what());
                event.action().run();
            }
        }
        if (faults)
        {
            maybeCrashOrRestart();
        }
        if (producing && random.nextInt(3) == 0)
        {
            produce();
        }
        for (final SimNode node : nodes)
        {
            if (node.alive && random.nextInt(20) == 0)
            {
                fsync(node);
            }
        }
        for (final SimNode node : nodes)
        {
            if (node.leader != null)
            {
                node.leader.doWork(nowMs);
            }
            else if (node.follower != null)
            {
                node.follower.doWork(nowMs);
            }
        }
    }

    private void maybeCrashOrRestart()
    {
        for (final SimNode node : nodes)
        {
            if (!node.alive && random.nextInt(300) == 0)
            {
                restart(node);
            }
        }
        final boolean allAlive = Arrays.stream(nodes).allMatch(node -> node.alive);
        if (allAlive && random.nextInt(1500) == 0)
        {
            crash(nodes[random.nextInt(nodes.length)]);
        }
    }

    private void produce()
    {
        if (leaderId < 0 || !nodes[leaderId].alive || !nodes[leaderId].leader.acceptsAcksAll())
        {
            return;
        }
        final SimNode node = nodes[leaderId];
        final long value = nextValue++;
        final long offset = node.log.logEndOffset();
        node.log.append(new SimLog.Entry(leaderEpoch, value));
        pendingOffsets.put(value, offset);
        node.leader.onAppended();
        node.leader.awaitCommit(offset + 1, value);
    }

    private void fsync(final SimNode node)
    {
        node.log.fsync();
        if (node.leader != null)
        {
            node.leader.onAppended();
        }
        else if (node.follower != null)
        {
            node.follower.onAppended(nowMs);
        }
    }

    private void crash(final SimNode node)
    {
        // Under ISR commit, losing the unflushed tail is survivable only while another in-sync replica has it.
        final boolean powerLoss = random.nextBoolean() &&
            (config.commitRule() == CommitRule.MAJORITY || isr.length > 1 || isr[0] != node.id);
        note("node " + node.id + (powerLoss ? " loses power" : " is killed"));
        node.alive = false;
        if (node.leader != null)
        {
            node.leader.resign();
        }
        node.leader = null;
        node.follower = null;
        if (powerLoss)
        {
            node.log.loseUnflushedTail();
        }
        if (NodeSet.contains(isr, node.id) && isr.length > 1)
        {
            isr = Arrays.stream(isr).filter(member -> member != node.id).toArray();
            partitionEpoch++;
            if (leaderId != node.id)
            {
                tellLeader(leaderId, leaderEpoch);
            }
        }
        if (leaderId == node.id)
        {
            elect();
        }
    }

    private void restart(final SimNode node)
    {
        node.incarnation++;
        node.alive = true;
        note("node " + node.id + " restarts");
        if (leaderId >= 0)
        {
            follow(node);
        }
        else if (NodeSet.contains(isr, node.id))
        {
            elect();
        }
    }

    /**
     * Elect a leader: under ISR commit an in-sync replica that is alive; under majority commit the alive replica
     * with the most up-to-date log (latest epoch, then log end). None: the partition is offline.
     */
    private void elect()
    {
        final SimNode chosen;
        if (config.commitRule() == CommitRule.ISR)
        {
            final int[] candidates = Arrays.stream(isr).filter(id -> nodes[id].alive).toArray();
            chosen = candidates.length == 0 ? null : nodes[candidates[random.nextInt(candidates.length)]];
        }
        else
        {
            chosen = Arrays.stream(nodes).filter(node -> node.alive).max(Comparator
                .comparingInt((SimNode node) -> node.log.latestEpoch())
                .thenComparingLong(node -> node.log.logEndOffset())).orElse(null);
        }
        if (chosen == null)
        {
            leaderId = -1;
            note("no leader: partition offline");
            return;
        }
        leaderId = chosen.id;
        leaderEpoch++;
        partitionEpoch++;
        if (config.commitRule() == CommitRule.MAJORITY)
        {
            isr = NodeSet.with(isr, chosen.id);
        }
        check(leaderOfEpoch.put(leaderEpoch, leaderId) == null, "two leaders in epoch " + leaderEpoch);
        note("node " + leaderId + " leads epoch " + leaderEpoch + " isr " + Arrays.toString(isr));
        for (final Map.Entry<Long, Long> acked : ackedOffsets.entrySet())
        {
            final SimLog.Entry entry = chosen.log.at(acked.getValue());
            check(entry != null && entry.value() == acked.getKey(), "new leader " + leaderId + " lacks value " +
                acked.getKey() + " acknowledged at offset " + acked.getValue());
        }
        chosen.follower = null;
        chosen.leader = new LeaderReplica(chosen.id, leaderEpoch, partitionEpoch, REPLICAS, isr,
            chosen.log.highWatermark(), config, chosen.log, chosen, nowMs);
        for (final SimNode node : nodes)
        {
            if (node.alive && node != chosen)
            {
                follow(node);
            }
        }
    }

    private void follow(final SimNode node)
    {
        if (node.leader != null)
        {
            node.leader.resign();
            node.leader = null;
        }
        node.follower = new FollowerReplica(leaderId, leaderEpoch, node.log.highWatermark(), config, node.log, node,
            nowMs);
    }

    private void tellLeader(final int node, final int epoch)
    {
        final int answeredEpoch = partitionEpoch;
        final int[] answeredIsr = isr.clone();
        send(-1, node, "isr " + Arrays.toString(answeredIsr) + " at " + answeredEpoch, to ->
        {
            if (to.leader != null && to.leader.leaderEpoch() == epoch)
            {
                to.leader.onIsrChanged(answeredEpoch, answeredIsr);
            }
        });
    }

    private void checkConverged()
    {
        check(leaderId >= 0, "no leader after healing");
        final SimNode leader = nodes[leaderId];
        check(leader.log.highWatermark() == leader.log.logEndOffset(), "leader " + leaderId + " high watermark " +
            leader.log.highWatermark() + " short of its log end " + leader.log.logEndOffset());
        for (final SimNode node : nodes)
        {
            check(node.log.logEndOffset() == leader.log.logEndOffset(), "node " + node.id + " ends at " +
                node.log.logEndOffset() + ", the leader at " + leader.log.logEndOffset());
            for (long offset = Math.max(node.log.logStartOffset(), leader.log.logStartOffset());
                offset < leader.log.logEndOffset(); offset++)
            {
                check(node.log.at(offset).equals(leader.log.at(offset)), "node " + node.id + " offset " + offset +
                    " holds " + node.log.at(offset) + ", the leader " + leader.log.at(offset));
            }
            for (final Map.Entry<Long, Long> acked : ackedOffsets.entrySet())
            {
                final SimLog.Entry entry = node.log.at(acked.getValue());
                check(entry != null && entry.value() == acked.getKey(), "node " + node.id + " lacks value " +
                    acked.getKey() + " acknowledged at offset " + acked.getValue());
            }
        }
        check(leader.log.latestEpoch() == LeaderEpochCache.UNDEFINED_EPOCH || !ackedOffsets.isEmpty(),
            "nothing was acknowledged in " + nowMs + " ms");
    }

    private void schedule(final long delayMs, final int node, final String what, final Runnable action)
    {
        events.add(new Event(nowMs + delayMs, seq++, node, what, action));
    }

    private void note(final String event)
    {
        if (trace.size() == TRACE_EVENTS)
        {
            trace.removeFirst();
        }
        trace.addLast(nowMs + " ms: " + event);
    }

    private void check(final boolean holds, final String violation)
    {
        if (!holds)
        {
            throw new AssertionError("seed " + seed + " (" + config.commitRule() + "), at " + nowMs + " ms: " +
                violation + "\nreplay with -Dloglab.simulation.seed=" + seed + "\nlast events:\n  " +
                String.join("\n  ", trace));
        }
    }
}
