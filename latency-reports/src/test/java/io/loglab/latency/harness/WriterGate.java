package io.loglab.latency.harness;

import io.loglab.engine.topic.LogManagerContext;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The idle strategy of a test engine's one writer thread ({@code LogManagerContext#writerIdleStrategy}), which the
 * writer's runner calls after every duty cycle. Between two duty cycles it can {@link #hold} the writer, so whatever
 * is offered meanwhile stays queued and unanswered: a log that stalls, without touching the engine. And it counts the
 * duty cycles that found no work, so a test on a simulated clock can wait ({@link #awaitAnswered}) until the engine
 * has answered everything offered so far before it moves the clock on.
 * <p>
 * Threading: the test thread calls the public methods; the writer thread calls {@link #idle(int)}.
 */
final class WriterGate implements IdleStrategy
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** Test thread: volatile store. Writer: volatile load after each duty cycle. */
    private volatile boolean closed;
    /** Writer: volatile store, true while it waits at the closed gate. Test thread: volatile load. */
    private volatile boolean holding;
    /** Writer: volatile store (one writer, so get and set) after each duty cycle that did nothing. Test: get. */
    private final AtomicLong idleCycles = new AtomicLong();

    /**
     * For {@code LogManagerContext#writerIdleStrategy}: this gate, for an engine with one writer thread.
     */
    Supplier<IdleStrategy> supplier()
    {
        return () -> this;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount == 0)
        {
            idleCycles.set(idleCycles.get() + 1);
        }
        while (closed)
        {
            holding = true;
            Thread.onSpinWait();
        }
        holding = false;
        if (workCount == 0)
        {
            // Two cores: leave one to the test thread.
            Thread.yield();
        }
    }

    @Override
    public void idle()
    {
        idle(0);
    }

    @Override
    public void reset()
    {
    }

    /**
     * Hold the writer from its next duty cycle on, and wait until it is held: nothing offered from now on is
     * answered until {@link #release}. Does nothing if the gate is closed already.
     */
    void hold()
    {
        if (!closed)
        {
            closed = true;
            await(() -> holding, "the writer to reach the closed gate");
        }
    }

    /**
     * Let the writer run again.
     */
    void release()
    {
        closed = false;
    }

    /**
     * Wait until the writer has answered every request offered before this call. The second duty cycle that finds no
     * work after this call began after the first one ended, so after this call read the count: it found every request
     * offered before, and a writer cycle that finds no work leaves no request unanswered (each cycle answers what it
     * drains, and a partition with requests left stays on the shard's ready queue).
     */
    void awaitAnswered()
    {
        if (closed)
        {
            throw new IllegalStateException("the writer is held: nothing offered is answered until released");
        }
        final long idleCyclesNow = idleCycles.get();
        await(() -> idleCycles.get() >= idleCyclesNow + 2, "the writer to answer what was offered");
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
