package io.loglab.engine.partition;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a partition's writer waits for work on a machine with few cores: spin briefly, yield a little, then park until
 * a producer {@link #wake()}s it (or {@code maxParkNs} passes, for the writer's timers: interval flush, retention).
 * A plain backoff strategy would leave a request waiting out the writer's park, about 50 µs of Linux timer slack
 * at the least; waking on offer costs a producer one volatile load while the writer is busy and one unpark while it
 * sleeps.
 * <p>
 * Threading: the writer thread calls {@link #idle(int)}; any producer thread calls {@link #wake()}. The writer
 * publishes itself in {@link #parkedThread} (volatile store) before checking for work one last time, and a producer
 * enqueues (a full fence) before loading it, so either the writer sees the new request or the producer sees the
 * writer and unparks it: a wake-up is never lost.
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    public static final int SPINS_DEFAULT = 20;
    public static final int YIELDS_DEFAULT = 100;
    public static final long MAX_PARK_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(1);

    private final BooleanSupplier hasWork;
    private final int spins;
    private final int yields;
    private final long maxParkNs;
    /** Written by the writer thread (volatile) around each park; read by producers in {@link #wake()}. */
    private volatile Thread parkedThread;
    // Writer thread only.
    private int idleCount;

    /**
     * @param hasWork tells the writer, just before it parks, whether a request arrived after all.
     */
    public WakeableIdleStrategy(final BooleanSupplier hasWork, final int spins, final int yields, final long maxParkNs)
    {
        this.hasWork = hasWork;
        this.spins = spins;
        this.yields = yields;
        this.maxParkNs = maxParkNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCount = 0;
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (idleCount < spins)
        {
            idleCount++;
            Thread.onSpinWait();
        }
        else if (idleCount < spins + yields)
        {
            idleCount++;
            Thread.yield();
        }
        else
        {
            parkedThread = Thread.currentThread();
            if (!hasWork.getAsBoolean())
            {
                LockSupport.parkNanos(this, maxParkNs);
            }
            parkedThread = null;
        }
    }

    @Override
    public void reset()
    {
        idleCount = 0;
    }

    /**
     * Any thread, after handing the writer work: unpark the writer if it is parked or about to park.
     */
    public void wake()
    {
        final Thread thread = parkedThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public String alias()
    {
        return "wakeable";
    }
}
