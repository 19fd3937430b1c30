package io.loglab.replication.replica;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replica state machines under {@link ReplicationSimulation}'s faults, seed after seed, under both commit rules.
 * {@code -Dloglab.simulation.seed=S} replays one seed; {@code -Dloglab.simulation.seeds=N} sets how many run.
 */
class ReplicationSimulationTest
{
    private static final int FAULTY_STEPS = 4_000;

    private static ReplicaConfig config(final CommitRule rule)
    {
        return new ReplicaConfig(rule, 2, 100, 1_000, 20, 50);
    }

    @Test
    void shouldLoseNoAcknowledgedRecordUnderIsrCommit()
    {
        runSeeds(CommitRule.ISR);
    }

    @Test
    void shouldLoseNoAcknowledgedRecordUnderMajorityCommit()
    {
        runSeeds(CommitRule.MAJORITY);
    }

    private static void runSeeds(final CommitRule rule)
    {
        final String one = System.getProperty("loglab.simulation.seed");
        final long first = one == null ? 0 : Long.parseLong(one);
        final long count = one == null ? Long.getLong("loglab.simulation.seeds", 1_000) : 1;
        long acknowledged = 0;
        for (long seed = first; seed < first + count; seed++)
        {
            acknowledged += new ReplicationSimulation(seed, config(rule)).run(FAULTY_STEPS);
        }
        // Faults must not stop progress altogether: most seeds acknowledge most of what was produced.
        assertTrue(acknowledged > count * 500, acknowledged + " records acknowledged over " + count + " seeds");
    }
}
