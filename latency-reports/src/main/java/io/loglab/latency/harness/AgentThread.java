package io.loglab.latency.harness;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link LoadAgent} on its own daemon thread until asked to stop, then lets it finish within a grace period.
 * Whatever the agent throws ends it and is kept for the run's report; a daemon thread that will not stop (a wedged
 * engine) cannot keep the JVM alive, and {@link #join} is always bounded.
 */
final class AgentThread
{
    private final LoadAgent agent;
    private final IdleStrategy idleStrategy;
    private final long stopGraceNanos;
    private final Thread thread;
    /** Coordinator: volatile store. Agent thread: volatile load each duty cycle. */
    private volatile boolean running = true;
    /** Agent thread: volatile store, once, when the agent throws. Coordinator: volatile load. */
    private volatile Throwable failure;

    /**
     * @param stopGraceMs time the agent gets, after {@link #requestStop()}, to finish what is in flight.
     */
    AgentThread(final LoadAgent agent, final IdleStrategy idleStrategy, final long stopGraceMs)
    {
        this.agent = agent;
        this.idleStrategy = idleStrategy;
        this.stopGraceNanos = TimeUnit.MILLISECONDS.toNanos(stopGraceMs);
        this.thread = new Thread(this::run, agent.name());
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                idleStrategy.idle(agent.doWork(System.nanoTime()));
            }
            agent.onStop(System.nanoTime() + stopGraceNanos);
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    void requestStop()
    {
        running = false;
    }

    /**
     * @return true if the thread ended within {@code timeoutMs}.
     */
    boolean join(final long timeoutMs) throws InterruptedException
    {
        thread.join(timeoutMs);
        return !thread.isAlive();
    }

    boolean isAlive()
    {
        return thread.isAlive();
    }

    /**
     * @return what ended the agent, or null.
     */
    Throwable failure()
    {
        return failure;
    }

    String name()
    {
        return agent.name();
    }
}
