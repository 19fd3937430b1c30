package io.loglab.broker.wire;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Properties;

/**
 * What {@code loglab produce} does with {@code --bootstrap}: records sent to one topic of any Kafka-protocol broker
 * (loglab's or Kafka's) with Kafka's own producer, each to the partition the caller chose, its outcome told as plain
 * values, so callers need no Kafka types.
 * <p>
 * With {@code acks=all} the producer is idempotent, which keeps each partition's records in the order sent with up
 * to 5 requests in flight and stores a retried batch once; Kafka allows idempotence only with {@code acks=all}, so
 * with 0 or 1 it is off. Every wait is bounded: {@code max.block.ms} for metadata and buffer space in {@link #send},
 * {@code delivery.timeout.ms} for each record's answer, so an unreachable broker fails records rather than hanging.
 * <p>
 * Threading: one thread sends and closes; completions run on Kafka's network thread.
 */
public final class RemoteProducer
{
    /**
     * Told each record's outcome once: on Kafka's network thread, or on the sending thread during {@link #send} for
     * a record Kafka refuses before queueing it. A partition's outcomes are told in the order its records were sent.
     */
    @FunctionalInterface
    public interface Completion
    {
        /**
         * @param offset  the offset the broker gave the record; -1 if it failed, or with acks=0, which gets no answer.
         * @param failure null if the record was acknowledged (with acks=0: written to the connection).
         */
        void completed(long offset, Exception failure);
    }

    /**
     * @param acks           "all", "1" or "0".
     * @param inFlight       requests in flight per connection; at most 5 with acks=all (Kafka's idempotence).
     * @param maxRecordBytes the topic's {@code max.message.bytes}, which the caller checks each record against.
     */
    public record Settings(String acks, int batchBytes, long lingerMs, int inFlight, int maxRecordBytes)
    {
    }

    /** The deadline for an answer to each request, and for metadata and buffer space in {@link #send}. */
    private static final int REQUEST_TIMEOUT_MS = 10_000;
    /** Retries of one record, before it is failed, stop after this (Kafka's {@code delivery.timeout.ms}). */
    private static final int DELIVERY_TIMEOUT_MS = 30_000;
    /** Kafka's own default {@code max.request.size}. */
    private static final int MAX_REQUEST_BYTES_DEFAULT = 1024 * 1024;
    /**
     * Kafka refuses a record whose size it over-estimates (by maximal varints) beyond {@code max.request.size}; the
     * caller has checked its exact size against {@code max.message.bytes}, so the request may be this much more.
     */
    private static final int RECORD_ESTIMATE_SLACK_BYTES = 64;

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * @throws IllegalArgumentException if {@code bootstrap} is not HOST:PORT.
     */
    public RemoteProducer(final String bootstrap, final String topic, final Settings settings)
    {
        GroupsClient.checkBootstrap(bootstrap);
        this.topic = topic;
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, settings.acks());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, settings.acks().equals("all"));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchBytes());
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int)Math.min(settings.lingerMs(), Integer.MAX_VALUE));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, settings.inFlight());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Math.max(MAX_REQUEST_BYTES_DEFAULT, settings.maxRecordBytes() + RECORD_ESTIMATE_SLACK_BYTES));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        // Kafka requires at least linger plus a request's timeout.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            (int)Math.min(Integer.MAX_VALUE, Math.max(DELIVERY_TIMEOUT_MS, settings.lingerMs() + REQUEST_TIMEOUT_MS)));
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Queue a record; {@code completion} is told its outcome. Blocks only while Kafka waits for metadata or buffer
     * space, at most 10 s, after which the record fails.
     *
     * @param key   null for a null key.
     * @param value null for a null value (a tombstone).
     */
    public void send(final int partition, final long timestampMs, final byte[] key, final byte[] value,
        final Completion completion)
    {
        producer.send(new ProducerRecord<>(topic, partition, timestampMs, key, value),
            (metadata, failure) -> completion.completed(failure == null ? metadata.offset() : -1, failure));
    }

    /**
     * Send what lingers and wait until every record queued is answered: bounded, since Kafka fails a record it could
     * not deliver within {@code delivery.timeout.ms}. Every completion has been told when this returns.
     */
    public void flush()
    {
        producer.flush();
    }

    /**
     * Wait up to {@code timeoutMs} for the records queued to be answered, then fail those that are not, telling
     * their completions, and release the producer.
     */
    public void close(final long timeoutMs)
    {
        producer.close(Duration.ofMillis(timeoutMs));
    }
}
