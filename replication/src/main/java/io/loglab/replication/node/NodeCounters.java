package io.loglab.replication.node;

import io.loglab.engine.stat.CountersFile;
import io.loglab.transport.aeron.OfferOutcome;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A replication node's counters, in its data directory's counters file beside the engine's, so {@code loglab stat}
 * prints them live: replica messages and bytes sent, each offer outcome that left a message unsent, messages taken
 * and refused.
 * <p>
 * Threading: the node's thread is the one writer of each counter (ordered stores); readers load them volatile.
 */
final class NodeCounters implements AutoCloseable
{
    private final AtomicCounter messagesSent;
    private final AtomicCounter bytesSent;
    private final AtomicCounter backPressured;
    private final AtomicCounter notConnected;
    private final AtomicCounter messagesReceived;
    private final AtomicCounter messagesRefused;
    private final AtomicCounter batchesTooLong;

    NodeCounters(final CountersManager counters, final int nodeId)
    {
        final String prefix = "replication node " + nodeId + ": ";
        messagesSent = counters.newCounter(prefix + "messages sent", CountersFile.REPLICATION_TYPE_ID);
        bytesSent = counters.newCounter(prefix + "bytes sent", CountersFile.REPLICATION_TYPE_ID);
        backPressured = counters.newCounter(prefix + "offers back pressured", CountersFile.REPLICATION_TYPE_ID);
        notConnected = counters.newCounter(prefix + "offers to a peer not connected",
            CountersFile.REPLICATION_TYPE_ID);
        messagesReceived = counters.newCounter(prefix + "messages received", CountersFile.REPLICATION_TYPE_ID);
        messagesRefused = counters.newCounter(prefix + "messages refused (bad bytes, unknown partition)",
            CountersFile.REPLICATION_TYPE_ID);
        batchesTooLong = counters.newCounter(prefix + "batches longer than a message",
            CountersFile.REPLICATION_TYPE_ID);
    }

    void offered(final OfferOutcome outcome, final int length)
    {
        switch (outcome)
        {
            case SENT ->
            {
                messagesSent.incrementOrdered();
                bytesSent.getAndAddOrdered(length);
            }
            case BACK_PRESSURED -> backPressured.incrementOrdered();
            case NOT_CONNECTED -> notConnected.incrementOrdered();
            default ->
            {
                // Offered twice and rotated or replaced both times: counted with back pressure, sent again later.
                backPressured.incrementOrdered();
            }
        }
    }

    void received()
    {
        messagesReceived.incrementOrdered();
    }

    void refused()
    {
        messagesRefused.incrementOrdered();
    }

    void batchTooLong()
    {
        batchesTooLong.incrementOrdered();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(messagesSent, bytesSent, backPressured, notConnected, messagesReceived, messagesRefused,
            batchesTooLong);
    }
}
