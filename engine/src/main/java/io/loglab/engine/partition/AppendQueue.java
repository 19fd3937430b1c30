package io.loglab.engine.partition;

import org.jctools.queues.MpscArrayQueue;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A partition's bounded queue of append requests, and the two handshakes that hand it from thread to thread: with
 * the shard that drains it (the scheduled flag: a partition with requests is on its shard's ready queue), and with
 * the thread that closes the partition (after the shard's last drain, the closing thread fails what still arrives).
 * The bound is the partition's back pressure. Neither handshake strands a request: each is a Dekker-style pairing in
 * which both sides store and then load, all sequentially consistent, as the fields' comments say.
 * <p>
 * The closed flag is the partition's: commands check it too ({@link Partition}).
 */
final class AppendQueue
{
    private final Partition partition;
    private final WriterShard shard;
    /** Producers offer (a CAS on the producer index); the shard polls, then, after its last drain, the closer. */
    private final MpscArrayQueue<AppendRequest> requests;
    /**
     * True while the partition is on its shard's ready queue or about to be. Producers: after enqueueing (a CAS on the
     * request queue's producer index) load it, and CAS false to true; only the winner puts the partition on the ready
     * queue. Shard: volatile store of false after taking the partition off the ready queue and before draining, and
     * after the drain a load of the request queue's producer index. Each side stores and then loads, all sequentially
     * consistent, so either the shard's check sees a new request or its producer sees false and schedules the
     * partition: no request is stranded.
     */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** CAS false to true by the first close; producers and commands check it (volatile load) before enqueueing. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Set (volatile store) by the closing thread once the shard has drained this partition for the last time; from
     * then on the request queue's only consumer is {@link #failLeftovers}. Producers load it after enqueueing.
     */
    private volatile boolean writerStopped;

    AppendQueue(final Partition partition, final WriterShard shard, final int capacity)
    {
        this.partition = partition;
        this.shard = shard;
        this.requests = new MpscArrayQueue<>(capacity);
    }

    /**
     * Any thread: queue a request the partition has validated, and schedule the partition on its shard.
     *
     * @return {@link Partition#OFFERED}, {@link Partition#BACK_PRESSURED} or {@link Partition#CLOSED}.
     */
    int offer(final AppendRequest request)
    {
        if (closed.get())
        {
            return Partition.CLOSED;
        }
        request.reset();
        if (!requests.offer(request))
        {
            return Partition.BACK_PRESSURED;
        }
        shard.schedule(partition);
        if (writerStopped)
        {
            // close() raced this offer: the shard may have drained for the last time before the request arrived.
            failLeftovers();
        }
        return Partition.OFFERED;
    }

    boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Any thread: stop taking requests.
     *
     * @return true if this call closed the queue, false if it was closed already.
     */
    boolean close()
    {
        return closed.compareAndSet(false, true);
    }

    /**
     * Any thread: mark the partition scheduled.
     *
     * @return true if this call did, and so must put it on the ready queue.
     */
    boolean trySchedule()
    {
        return !scheduled.get() && scheduled.compareAndSet(false, true);
    }

    /**
     * Shard thread, after taking the partition off the ready queue and before draining it (a volatile store, ordered
     * before the drain's loads).
     */
    void unschedule()
    {
        scheduled.set(false);
    }

    /**
     * Shard thread: the next request, or null if none is visible yet.
     */
    AppendRequest poll()
    {
        return requests.relaxedPoll();
    }

    /**
     * Shard thread: the next request without taking it, or null if none is visible yet.
     */
    AppendRequest peek()
    {
        return requests.relaxedPeek();
    }

    /**
     * By index, not by polling: a request whose slot is not yet visible still counts.
     */
    boolean isEmpty()
    {
        return requests.isEmpty();
    }

    /**
     * The closing thread, once the shard has drained the partition for the last time: fail what was queued after
     * that drain, and from now on whatever a racing offer still queues.
     */
    void onWriterStopped()
    {
        writerStopped = true;
        failLeftovers();
    }

    /**
     * Fail requests queued after the shard's last drain. Called only once the shard has stopped draining this
     * partition, and serialised, so the queue keeps a single consumer at a time.
     */
    private synchronized void failLeftovers()
    {
        AppendRequest leftover;
        while ((leftover = requests.poll()) != null)
        {
            leftover.fail(partition.closedException(), shard.errorHandler());
        }
    }
}
