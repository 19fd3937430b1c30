package io.loglab.cli;

import io.loglab.engine.topic.Partitioner;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Where {@code loglab produce} sends records: a data directory through the engine's producer ({@link EngineSender}),
 * or a running broker through Kafka's ({@link BrokerSender}). Both report every record's outcome to their
 * {@link AckReporter} on the producing thread, from {@link #poll} and {@link #awaitIdle}, so the generator and
 * {@link StdinImport} run the same way over either.
 * <p>
 * Threading: the producing thread calls everything.
 */
interface RecordSender extends AutoCloseable
{
    /** How often to collect completions while records are in flight: they are polled, not signalled. */
    long IN_FLIGHT_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * How records are batched and spread, the same for both senders.
     *
     * @param batchBytes  null for the default.
     * @param inFlight    batches (Kafka: requests) in flight, for generated records.
     * @param ordered     standard input, whose order is kept.
     * @param partitioner the engine's, for both senders, so records land on the same partitions either way.
     */
    record Batching(String topic, Integer batchBytes, long lingerMs, int inFlight, boolean ordered,
        Partitioner partitioner)
    {
        static final int BATCH_BYTES_DEFAULT = 64 * 1024;

        /**
         * @return {@link #batchBytes}, or the default: 64 KiB, or {@code max.message.bytes} if smaller.
         * @throws IllegalArgumentException if {@link #batchBytes} is larger than {@code max.message.bytes}.
         */
        int batchBytes(final int maxMessageBytes)
        {
            if (batchBytes == null)
            {
                return Math.min(BATCH_BYTES_DEFAULT, maxMessageBytes);
            }
            if (batchBytes > maxMessageBytes)
            {
                throw new IllegalArgumentException("--batch-bytes " + batchBytes + " is larger than " + topic +
                    "'s max.message.bytes=" + maxMessageBytes);
            }
            return batchBytes;
        }
    }

    AckReporter reporter();

    /**
     * The largest batch one record may take: the topic's {@code max.message.bytes}.
     */
    int maxRecordBytes();

    /**
     * Send a record, to the partition the partitioner chooses.
     *
     * @param key   null for a null key.
     * @param value null for a null value (a tombstone).
     * @throws IllegalArgumentException with nothing sent, if the record is larger than {@link #maxRecordBytes}
     *                                  allows.
     */
    void send(long timestampMs, DirectBuffer key, int keyOffset, int keyLength, DirectBuffer value, int valueOffset,
        int valueLength);

    /**
     * Report the completions that arrived, and send what is due by {@code nowNs}.
     */
    void poll(long nowNs);

    /**
     * When {@link #poll} next has something to do; {@link Long#MAX_VALUE} when every record sent is answered.
     */
    long pollDeadlineNs(long nowNs);

    /**
     * Send everything and wait until every record sent is answered, reporting each. The wait is bounded by the
     * sender: only a wedged writer or an unreachable broker takes that long.
     *
     * @return false if records are still unanswered when the wait ends.
     */
    boolean awaitIdle();

    /**
     * The first failure the reporter holds, told as what is and is not stored.
     *
     * @param inputFormat the format of standard input, or null for generated records.
     */
    IllegalStateException failure(RecordFormat inputFormat);

    /**
     * Release what the sender holds, report what is left, and print the reporter's final lines.
     */
    @Override
    void close();
}
