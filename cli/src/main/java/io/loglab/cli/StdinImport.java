package io.loglab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab produce} from standard input: records in input order through a {@link RecordSender} that keeps it
 * (the engine's ordered producer across partitions, Kafka's producer within each), stopping at the first malformed
 * record, before which everything is stored, or at the first failed send, which the sender's
 * {@link RecordSender#failure} tells as what is known. Input is read by an {@link InputPump}, so while it is quiet
 * this thread still sends batches whose linger has passed and prints acknowledgements:
 * {@code tail -f app.log | loglab produce ...} shows each line acknowledged as it arrives.
 * <p>
 * Ordering costs throughput when consecutive records go to different partitions (keyed input, or round-robin null
 * keys) through the engine: each run of records to one partition is a batch of its own, and only one batch is in
 * flight, so input whose keys alternate between partitions is stored at about one append round trip per record (a
 * write, and with {@code flush=every} an fsync, each). Null keys with the default sticky partitioner fill whole
 * batches.
 * <p>
 * Threading: the producing thread runs everything but the pump.
 */
final class StdinImport
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long IDLE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);

    private final RecordSender sender;
    private final AckReporter reporter;
    private final RecordInput input;
    private final InputPump pump;
    private final PrintStream err;
    private long bytes;

    StdinImport(
        final RecordSender sender,
        final RecordInput input,
        final InputPump pump,
        final PrintStream err)
    {
        this.sender = sender;
        this.reporter = sender.reporter();
        this.input = input;
        this.pump = pump;
        this.err = err;
    }

    /**
     * Send every record of the input, until its end or until a send fails (which the reporter then holds).
     * Records sent may still be in flight on return.
     *
     * @throws IllegalArgumentException naming the record, at the first malformed one or one too large for the
     *                                  topic; the records before it are sent.
     */
    void run() throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        long progressReported = 0;
        while (true)
        {
            while (reporter.firstFailure() == null && input.next())
            {
                send();
            }
            if (input.finished() || reporter.firstFailure() != null)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            sender.poll(nowNs);
            reporter.tick(nowNs);
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (input.number() != progressReported)
                {
                    progressReported = input.number();
                    err.printf("progress: %d records read, %d acknowledged in %.1f s%n",
                        input.number(), reporter.acknowledgedRecords(), (nowNs - startNs) / 1e9);
                }
            }
            final InputPump.Chunk chunk;
            try
            {
                chunk = pump.poll(waitNs(nowNs, nextProgressNs));
            }
            catch (final IOException ex)
            {
                throw new IOException("reading standard input after " + input.number() + " records: " +
                    ex.getMessage(), ex);
            }
            if (chunk != null && chunk.isEnd())
            {
                input.end();
            }
            else if (chunk != null)
            {
                input.append(chunk.bytes(), chunk.length());
            }
        }
    }

    private void send()
    {
        try
        {
            sender.send(System.currentTimeMillis(),
                input.keyBuffer(), input.keyOffset(), input.keyLength(),
                input.valueBuffer(), input.valueOffset(), input.valueLength());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(input.where() + ": " + ex.getMessage(), ex);
        }
        bytes += input.keyLength() + input.valueLength();
    }

    /**
     * Until the next thing to do without input: a batch's linger, a completion to poll, a held-back
     * acknowledgement line or progress.
     */
    private long waitNs(final long nowNs, final long nextProgressNs)
    {
        long dueNs = Math.min(sender.pollDeadlineNs(nowNs), reporter.nextPrintNs());
        dueNs = Math.min(dueNs, Math.min(nextProgressNs, nowNs + IDLE_WAIT_NS));
        return Math.max(0, dueNs - nowNs);
    }

    /**
     * Key and value bytes of the records sent.
     */
    long bytes()
    {
        return bytes;
    }
}
