package io.loglab.engine.producer;

import io.loglab.engine.record.RecordBatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One partition's batch in a {@link BatchingProducer}: open (being filled in the buffer claimed from the partition's
 * window), sealed (built, waiting to be offered), or neither.
 * <p>
 * Threading: the producer thread only.
 */
final class PartitionBatch
{
    final AppendWindow window;
    final RecordBatchBuilder builder = new RecordBatchBuilder();
    private boolean open;
    private int sealedLength;
    private long openedNs;

    PartitionBatch(final AppendWindow window)
    {
        this.window = window;
    }

    int index()
    {
        return window.index();
    }

    /**
     * Start a batch of at most {@code capacity} bytes in the window's next buffer.
     *
     * @return false, with nothing changed, when every request of the window is in flight.
     */
    boolean open(final int capacity, final long nowNs)
    {
        final UnsafeBuffer buffer = window.claim(capacity);
        if (buffer == null)
        {
            return false;
        }
        builder.wrap(buffer, 0, capacity);
        open = true;
        openedNs = nowNs;
        return true;
    }

    /**
     * Write the batch's header: it takes no more records and waits to be offered.
     */
    void seal()
    {
        sealedLength = builder.build();
        open = false;
    }

    /**
     * The batch left: offered, or reported failed unsent.
     */
    void sent()
    {
        sealedLength = 0;
    }

    boolean isOpen()
    {
        return open;
    }

    boolean isSealed()
    {
        return sealedLength > 0;
    }

    int sealedLength()
    {
        return sealedLength;
    }

    /**
     * Open or sealed: holds records not yet offered.
     */
    boolean isUnsent()
    {
        return open || sealedLength > 0;
    }

    long openedNs()
    {
        return openedNs;
    }
}
