package io.loglab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads an input stream on a thread of its own and hands what it reads, chunk by chunk, to the producing thread,
 * which so never blocks on a quiet input: it keeps sending lingering batches and printing acknowledgements while
 * {@code tail -f} has nothing new. A chunk is whatever one read returned, so a line that arrives alone is handed on
 * at once.
 * <p>
 * Threading: the pump thread reads and puts; the producing thread {@link #poll}s. The queue publishes each chunk.
 * The pump thread is a daemon: when the producing thread stops early (on an error), a read blocked on a quiet
 * input does not keep the process alive.
 */
final class InputPump
{
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int QUEUED_CHUNKS = 16;

    /**
     * What one read returned: {@code length} bytes, or the end of the input ({@code length} -1), or a failure.
     */
    record Chunk(byte[] bytes, int length, IOException failure)
    {
        boolean isEnd()
        {
            return length < 0;
        }
    }

    private final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private final InputStream in;
    private final Thread thread;

    InputPump(final InputStream in)
    {
        this.in = in;
        this.thread = new Thread(this::run, "loglab-stdin");
        thread.setDaemon(true);
    }

    InputPump start()
    {
        thread.start();
        return this;
    }

    private void run()
    {
        try
        {
            pump();
        }
        catch (final InterruptedException ex)
        {
            // Nothing interrupts the pump but a JVM going down: nobody waits for the input any more.
        }
    }

    private void pump() throws InterruptedException
    {
        int length;
        do
        {
            final byte[] bytes = new byte[CHUNK_BYTES];
            try
            {
                length = in.read(bytes);
            }
            catch (final IOException ex)
            {
                chunks.put(new Chunk(null, 0, ex));
                return;
            }
            chunks.put(new Chunk(bytes, length, null));
        }
        while (length >= 0);
    }

    /**
     * The next chunk, waiting up to {@code timeoutNs}.
     *
     * @return null if none arrived in time.
     * @throws IOException if reading the input failed.
     */
    Chunk poll(final long timeoutNs) throws IOException, InterruptedException
    {
        final Chunk chunk = chunks.poll(timeoutNs, TimeUnit.NANOSECONDS);
        if (chunk != null && chunk.failure() != null)
        {
            throw chunk.failure();
        }
        return chunk;
    }
}
