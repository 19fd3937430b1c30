package io.loglab.engine.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a thread waits for a future a writer shard completes (an open, a close): bounded, so a wedged writer is
 * reported rather than waited on forever, and with the shard's exception rethrown unchecked, since the getters that
 * wait declare none.
 */
final class BoundedWait
{
    private BoundedWait()
    {
    }

    /**
     * @param partition named in the message of an interrupt.
     * @return true once done, false if {@code timeoutMs} passed first.
     * @throws UncheckedIOException  if the future failed with an I/O error (a refusal, say).
     * @throws IllegalStateException if interrupted, or the future failed otherwise (closed, say).
     */
    static boolean await(final CompletableFuture<?> done, final long timeoutMs, final Partition partition)
    {
        try
        {
            done.get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception cause ? unchecked(cause) : new IllegalStateException(ex);
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the writer thread of " + partition);
        }
    }

    static IllegalStateException timedOut(final Partition partition, final String what, final long timeoutMs)
    {
        return new IllegalStateException(
            "the writer thread of " + partition + " did not " + what + " within " + timeoutMs + " ms");
    }

    static RuntimeException unchecked(final Exception ex)
    {
        if (ex instanceof RuntimeException runtime)
        {
            return runtime;
        }
        return ex instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) :
            new IllegalStateException(ex);
    }
}
