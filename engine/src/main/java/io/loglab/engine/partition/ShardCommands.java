package io.loglab.engine.partition;

import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.concurrent.CompletableFuture;

/**
 * A writer shard's command queue: what other threads ask of its partitions (a first open, roll, flush, truncation, a
 * repair, a close), run on the shard thread between drains as Aeron's conductor runs the commands it is sent, each
 * answered through its own future with the action's result or exception. At most {@link #MAX_PER_CYCLE} run per
 * duty cycle, so a flood of commands cannot hold appends up.
 * <p>
 * Threading: any thread {@link #submit}s; the shard thread {@link #run}s; once the shard's thread has exited, the
 * thread that stopped it fails what is left ({@link #onStopped()}).
 */
final class ShardCommands
{
    static final int MAX_PER_CYCLE = 64;
    private static final int QUEUE_CHUNK = 64;

    /**
     * What the shard thread does for one command; its result completes the command's future.
     *
     * @param <T> the result: Void for none.
     */
    @FunctionalInterface
    interface Action<T>
    {
        /**
         * @param nowMs the shard clock's time at the start of this duty cycle.
         */
        T run(long nowMs) throws Exception;
    }

    private record Command<T>(Partition partition, Action<T> action, CompletableFuture<T> done)
    {
        void run(final long nowMs)
        {
            final T result;
            try
            {
                result = action.run(nowMs);
            }
            catch (final Throwable ex)
            {
                done.completeExceptionally(ex);
                return;
            }
            done.complete(result);
        }
    }

    private final Runnable wake;
    /** Any thread offers; the shard thread polls, or, once {@link #stopped}, {@link #failLeftovers}. */
    private final MpscUnboundedArrayQueue<Command<?>> commands = new MpscUnboundedArrayQueue<>(QUEUE_CHUNK);
    /**
     * Set (volatile store) by the thread that stopped the shard, once its thread has exited: from then on
     * {@link #failLeftovers} is the command queue's only consumer. Senders load it after enqueueing, so either the
     * stopping thread's poll sees a command or its sender sees the flag and fails it.
     */
    private volatile boolean stopped;

    /**
     * @param wake run after each command is queued, to wake the shard if it is parked.
     */
    ShardCommands(final Runnable wake)
    {
        this.wake = wake;
    }

    /**
     * Any thread: have the shard thread run {@code action} on behalf of {@code partition} (named if the shard has
     * stopped).
     *
     * @return the action's result, or its exception; completed on the shard thread.
     */
    <T> CompletableFuture<T> submit(final Partition partition, final Action<T> action)
    {
        final CompletableFuture<T> done = new CompletableFuture<>();
        submit(partition, action, done);
        return done;
    }

    /**
     * As {@link #submit(Partition, Action)}, completing a future the caller made.
     */
    <T> void submit(final Partition partition, final Action<T> action, final CompletableFuture<T> done)
    {
        commands.offer(new Command<>(partition, action, done));
        wake.run();
        if (stopped)
        {
            failLeftovers();
        }
    }

    /**
     * Shard thread: run the commands queued, {@link #MAX_PER_CYCLE} at most.
     *
     * @return how many ran.
     */
    int run(final long nowMs)
    {
        int count = 0;
        Command<?> command;
        while (count < MAX_PER_CYCLE && (command = commands.relaxedPoll()) != null)
        {
            command.run(nowMs);
            count++;
        }
        return count;
    }

    /**
     * Any thread: whether commands wait (by the queue's indexes).
     */
    boolean isEmpty()
    {
        return commands.isEmpty();
    }

    /**
     * The thread that stopped the shard, once its thread has exited: fail the commands sent after its last cycle.
     */
    void onStopped()
    {
        stopped = true;
        failLeftovers();
    }

    /**
     * Serialised, so the command queue keeps a single consumer at a time.
     */
    private synchronized void failLeftovers()
    {
        Command<?> command;
        while ((command = commands.poll()) != null)
        {
            command.done().completeExceptionally(new IllegalStateException(
                command.partition() + ": its writer thread has stopped"));
        }
    }
}
