package io.loglab.latency.vskafka;

import io.loglab.latency.harness.FixedRateSchedule;
import io.loglab.latency.result.LatencySummary;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The Kafka-protocol driver: runs a {@link Workload} against any broker that speaks Kafka's protocol with Kafka's own
 * Java client, so loglab and Apache Kafka meet exactly the same client, settings and schedule. Each run gets a fresh
 * topic. The producer sends on a fixed schedule (or as fast as it takes records) and each acknowledgement is timed
 * from when its record was due; a consumer in the same JVM reads as records arrive and times each from when it was
 * due (its value starts with that nanoTime); afterwards a fresh consumer reads the whole topic for the consume rate.
 * <p>
 * The only class of the harness that imports Kafka's client.
 */
final class KafkaDriver
{
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final double MISSED_RATE = 0.95;

    /**
     * The version of Kafka's client on the classpath, for the report.
     */
    static String clientVersion()
    {
        return org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();
    }

    Measurement run(final String system, final String bootstrap, final Workload workload, final int repetition)
        throws Exception
    {
        return run(system, bootstrap, workload, repetition, true);
    }

    /**
     * @param deleteTopic false when the caller discards the brokers' data after the run anyway.
     */
    Measurement run(final String system, final String bootstrap, final Workload workload, final int repetition,
        final boolean deleteTopic) throws Exception
    {
        final String topic = "vs-" + workload.name() + "-" + repetition + "-" + System.currentTimeMillis();
        final List<TopicPartition> partitions = createTopic(bootstrap, topic, workload);
        final Measurement measured;
        try
        {
            measured = measure(system, bootstrap, topic, partitions, workload, repetition, new ArrayList<>());
        }
        catch (final Exception ex)
        {
            deleteTopic(bootstrap, topic);
            throw ex;
        }
        final String notDeleted = deleteTopic ? deleteTopic(bootstrap, topic) : null;
        return notDeleted == null ? measured : measured.withProblem(notDeleted);
    }

    private static Measurement measure(final String system, final String bootstrap, final String topic,
        final List<TopicPartition> partitions, final Workload workload, final int repetition,
        final List<String> problems) throws InterruptedException
    {
        final Histogram ack = new Histogram(3);
        final Histogram endToEnd = new Histogram(3);
        final long startNs = System.nanoTime() + START_DELAY_NS;
        final long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(workload.warmupSeconds());
        final long endNs = measureFromNs + TimeUnit.SECONDS.toNanos(workload.durationSeconds());
        final Follower follower = new Follower(bootstrap, partitions, endToEnd, measureFromNs, endNs);
        follower.start();
        final Sent sent = produce(bootstrap, topic, workload, ack, startNs, measureFromNs, endNs);
        if (sent.failed.get() > 0)
        {
            problems.add(sent.failed.get() + " sends failed, the first with: " + sent.firstError.get());
        }
        final long followed = follower.finish(sent.total.get() - sent.failed.get());
        if (followed < sent.total.get() - sent.failed.get())
        {
            problems.add("the consumer read " + followed + " of " + (sent.total.get() - sent.failed.get()) +
                " acknowledged records within " + TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NS) + " s");
        }
        final double seconds = workload.durationSeconds();
        final long acked = sent.ackedInWindow.get();
        if (workload.rate() > 0 && acked < MISSED_RATE * workload.rate() * seconds)
        {
            problems.add(String.format("achieved %.0f of the %d records/s asked for", acked / seconds,
                workload.rate()));
        }
        final double consumeRate = consumeAll(bootstrap, partitions, sent.total.get() - sent.failed.get(), problems);
        return new Measurement(system, workload.name(), repetition, acked, acked / seconds,
            acked * (double)workload.recordSize() / seconds / (1024 * 1024), LatencySummary.of(ack),
            LatencySummary.of(endToEnd), consumeRate, sent.requests, problems);
    }

    private static List<TopicPartition> createTopic(final String bootstrap, final String topic,
        final Workload workload) throws Exception
    {
        final int count = workload.partitions();
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props))
        {
            admin.createTopics(List.of(new NewTopic(topic, count, (short)workload.replicationFactor())
                .configs(workload.topicSettings()))).all().get(30, TimeUnit.SECONDS);
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++)
        {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    /**
     * Each run writes gigabytes at full speed: its topic goes once measured, on both systems alike.
     *
     * @return null, or why the topic is still there.
     */
    private static String deleteTopic(final String bootstrap, final String topic)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props))
        {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            return null;
        }
        catch (final Exception ex)
        {
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            return "the topic " + topic + " could not be deleted: " + ex;
        }
    }

    /**
     * What the producer sent: counted by its callbacks on the client's I/O thread, and its request figures taken by
     * the sending thread before close; read after close.
     */
    private static final class Sent
    {
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong ackedInWindow = new AtomicLong();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private Measurement.ProduceRequests requests;
    }

    private static Sent produce(final String bootstrap, final String topic, final Workload workload,
        final Histogram ack, final long startNs, final long measureFromNs, final long endNs)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putAll(workload.producerSettings());
        final Sent sent = new Sent();
        // The client copies a value into its batch within send(), so one array serves every record.
        final byte[] value = new byte[workload.recordSize()];
        final ByteBuffer stamp = ByteBuffer.wrap(value);
        final FixedRateSchedule schedule = workload.rate() > 0 ? new FixedRateSchedule(startNs, workload.rate()) : null;
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            long next = 0;
            while (true)
            {
                final long nowNs = System.nanoTime();
                final long nextDueNs = schedule == null ? startNs : schedule.intendedNanos(next);
                if (nextDueNs - nowNs > 0)
                {
                    // Sleep, never spin, until the next record is due: on two cores the brokers need both.
                    LockSupport.parkNanos(nextDueNs - nowNs);
                    continue;
                }
                // Everything due by now, each timed from its own due time: a late wake-up is measured, not hidden.
                final long dueBy = schedule == null ? next + 1 : schedule.dueBy(nowNs);
                for (; next < dueBy; next++)
                {
                    final long dueNs = schedule == null ? nowNs : schedule.intendedNanos(next);
                    if (dueNs - endNs >= 0)
                    {
                        producer.flush();
                        sent.requests = requests(producer);
                        return sent;
                    }
                    send(producer, topic, value, stamp, dueNs, sent, ack, measureFromNs);
                }
            }
        }
    }

    private static Measurement.ProduceRequests requests(final KafkaProducer<byte[], byte[]> producer)
    {
        final Map<String, Double> metrics = new HashMap<>();
        producer.metrics().forEach((name, metric) ->
        {
            if (name.group().equals("producer-metrics") && metric.metricValue() instanceof Double value)
            {
                metrics.put(name.name(), value);
            }
        });
        final double millisToMicros = 1000;
        return new Measurement.ProduceRequests(metrics.getOrDefault("records-per-request-avg", Double.NaN),
            metrics.getOrDefault("request-latency-avg", Double.NaN) * millisToMicros,
            metrics.getOrDefault("record-queue-time-avg", Double.NaN) * millisToMicros);
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final String topic, final byte[] value,
        final ByteBuffer stamp, final long dueNs, final Sent sent, final Histogram ack, final long measureFromNs)
    {
        stamp.putLong(0, dueNs);
        sent.total.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, null, value), (metadata, exception) ->
        {
            if (exception != null)
            {
                sent.failed.incrementAndGet();
                sent.firstError.compareAndSet(null, exception.toString());
            }
            else if (dueNs - measureFromNs >= 0)
            {
                ack.recordValue(System.nanoTime() - dueNs);
                sent.ackedInWindow.incrementAndGet();
            }
        });
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The consumer that reads while the producer sends, timing each record from when it was due.
     */
    private static final class Follower extends Thread
    {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final Histogram endToEnd;
        private final long measureFromNs;
        private final long endNs;
        /** Written by the caller of {@link #finish}, read by this thread on each poll. */
        private volatile long expected = Long.MAX_VALUE;
        /** Written by this thread, read by the caller of {@link #finish} after join. */
        private long read;
        private RuntimeException failure;

        Follower(final String bootstrap, final List<TopicPartition> partitions, final Histogram endToEnd,
            final long measureFromNs, final long endNs)
        {
            super("vs-kafka-follower");
            this.consumer = consumer(bootstrap);
            this.partitions = partitions;
            this.endToEnd = endToEnd;
            this.measureFromNs = measureFromNs;
            this.endNs = endNs;
        }

        @Override
        public void run()
        {
            try
            {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                final long giveUpNs = endNs + DRAIN_TIMEOUT_NS;
                while (read < expected && System.nanoTime() - giveUpNs < 0)
                {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(10)))
                    {
                        final long nowNs = System.nanoTime();
                        final long dueNs = ByteBuffer.wrap(record.value()).getLong(0);
                        if (dueNs - measureFromNs >= 0 && dueNs - endNs < 0)
                        {
                            endToEnd.recordValue(Math.max(0, nowNs - dueNs));
                        }
                        read++;
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            finally
            {
                consumer.close();
            }
        }

        /**
         * @return how many records it read before it had all {@code acknowledged} or gave up.
         */
        long finish(final long acknowledged) throws InterruptedException
        {
            expected = acknowledged;
            join();
            if (failure != null)
            {
                throw failure;
            }
            return read;
        }
    }

    /**
     * A fresh consumer reads the topic from the start: records per second until it has them all.
     */
    private static double consumeAll(final String bootstrap, final List<TopicPartition> partitions,
        final long records, final List<String> problems)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap))
        {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long startNs = System.nanoTime();
            long read = 0;
            long lastNs = startNs;
            while (read < records && System.nanoTime() - startNs < DRAIN_TIMEOUT_NS)
            {
                final int count = consumer.poll(Duration.ofMillis(100)).count();
                if (count > 0)
                {
                    read += count;
                    lastNs = System.nanoTime();
                }
            }
            if (read < records)
            {
                problems.add("the reading consumer got " + read + " of " + records + " records");
            }
            return read == 0 ? 0 : read / ((lastNs - startNs) / 1e9);
        }
    }
}
