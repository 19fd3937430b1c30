package io.loglab.engine.partition;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a writer shard waits for work on a machine with few cores: spin briefly, yield a little, then park until a
 * producer {@link #wake()}s it, its next timer is due ({@link #parkNoLongerThan(long)}: interval flush, retention),
 * or {@code maxParkNs} passes. A thread that must also poll what cannot wake it (a replica node polls its Aeron
 * subscriptions) first parks {@code shortParks} times for {@code shortParkNs}, so work that comes soon after other
 * work waits little, and only a thread idle for longer parks up to {@code maxParkNs}, so an idle one costs little. A plain backoff strategy would leave a request waiting out the writer's park, about
 * 50 µs of Linux timer slack at the least; waking on demand costs a producer one volatile load while the writer is
 * busy and one unpark while it sleeps.
 * <p>
 * Threading: the writer thread calls {@link #idle(int)} and {@link #parkNoLongerThan(long)}; any thread calls
 * {@link #wake()} after handing the writer work. No wake-up is lost, by a Dekker-style pairing of sequentially
 * consistent accesses: the writer stores itself in {@link #parkedThread} (a volatile store) and then checks for work
 * one last time ({@code hasWork}: volatile loads of its queues' producer indexes); a producer publishes the work first
 * (a CAS on a queue's producer index, a full fence) and then loads {@link #parkedThread} (a volatile load). Either
 * the writer's check sees the work, or the producer sees the writer and unparks it; an unpark that comes before the
 * park leaves a permit that makes the park return at once.
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    public static final int SPINS_DEFAULT = 20;
    public static final int YIELDS_DEFAULT = 100;
    public static final long MAX_PARK_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(1);

    private final BooleanSupplier hasWork;
    private final int spins;
    private final int yields;
    private final long shortParkNs;
    private final int shortParks;
    private final long maxParkNs;
    /** Written by the writer thread (volatile) around each park; read by producers in {@link #wake()}. */
    private volatile Thread parkedThread;
    // Writer thread only.
    private int idleCount;
    private long parkLimitNs = Long.MAX_VALUE;

    /**
     * @param hasWork tells the writer, just before it parks, whether work arrived after all.
     */
    public WakeableIdleStrategy(final BooleanSupplier hasWork, final int spins, final int yields, final long maxParkNs)
    {
        this(hasWork, spins, yields, maxParkNs, 0, maxParkNs);
    }

    /**
     * @param hasWork tells the thread, just before it parks, whether work arrived after all.
     */
    public WakeableIdleStrategy(final BooleanSupplier hasWork, final int spins, final int yields,
        final long shortParkNs, final int shortParks, final long maxParkNs)
    {
        if (spins < 0 || yields < 0 || shortParks < 0 || shortParkNs <= 0 || maxParkNs < shortParkNs)
        {
            throw new IllegalArgumentException("spins " + spins + ", yields " + yields + ", short parks " +
                shortParks + " of " + shortParkNs + " ns, longest park " + maxParkNs + " ns");
        }
        this.hasWork = hasWork;
        this.spins = spins;
        this.yields = yields;
        this.shortParkNs = shortParkNs;
        this.shortParks = shortParks;
        this.maxParkNs = maxParkNs;
    }

    /**
     * Writer thread, each duty cycle: the time until its next timer is due, the longest the next park may last.
     */
    public void parkNoLongerThan(final long ns)
    {
        parkLimitNs = ns;
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
            final boolean shortPark = idleCount < spins + yields + shortParks;
            if (shortPark)
            {
                idleCount++;
            }
            final long parkNs = Math.min(shortPark ? shortParkNs : maxParkNs, parkLimitNs);
            if (parkNs <= 0)
            {
                // A timer is due: the next duty cycle runs it.
                return;
            }
            parkedThread = Thread.currentThread();
            if (!hasWork.getAsBoolean())
            {
                LockSupport.parkNanos(this, parkNs);
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
