package io.loglab.latency.harness;

/**
 * A duty cycle run by an {@link AgentThread}, in the style of Agrona's Agent but handed the time, so tests can drive
 * it with a simulated clock.
 */
interface LoadAgent
{
    /**
     * Do what is due at {@code nowNanos} ({@link System#nanoTime()} in a run).
     *
     * @return how much work was done; 0 lets the thread idle.
     */
    int doWork(long nowNanos) throws Exception;

    /**
     * Told once, on the agent's thread, after the last {@link #doWork}: finish what is in progress by
     * {@code deadlineNanos}, never later.
     */
    void onStop(long deadlineNanos) throws Exception;

    String name();
}
