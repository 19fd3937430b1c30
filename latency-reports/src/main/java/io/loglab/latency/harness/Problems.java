package io.loglab.latency.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong in a run, and what a reader must know about it: the wiring, the coordinator and the result
 * assembly all add to one list, in the order found.
 * <p>
 * Threading: the coordinating thread only.
 */
final class Problems
{
    private final List<String> problems = new ArrayList<>();
    private boolean failed;

    /**
     * A problem that makes the run FAIL.
     */
    void fail(final String problem)
    {
        problems.add(problem);
        failed = true;
    }

    /**
     * Something a reader must know that leaves the run's figures valid.
     */
    void note(final String problem)
    {
        problems.add(problem);
    }

    boolean failed()
    {
        return failed;
    }

    List<String> list()
    {
        return List.copyOf(problems);
    }
}
