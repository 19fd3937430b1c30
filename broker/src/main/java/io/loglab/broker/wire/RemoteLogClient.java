package io.loglab.broker.wire;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

/**
 * What {@code loglab topic} and {@code loglab consume} do with {@code --bootstrap}, asked of any Kafka-protocol
 * broker (loglab's or Kafka's) with Kafka's own admin client and consumer: create, grow and describe topics, and read
 * a partition from an offset to the end it had when the read began. Plain values in and out, so callers need no
 * Kafka types.
 */
public final class RemoteLogClient implements AutoCloseable
{
    /** One partition's offsets: the first still held, and the one the next record gets. */
    public record PartitionOffsets(int partition, long logStartOffset, long logEndOffset)
    {
    }

    /** A topic as the broker describes it: its settings by Kafka's names, and each partition's offsets. */
    public record TopicDetail(String name, Map<String, String> settings, List<PartitionOffsets> partitions)
    {
    }

    /** Where each record read goes. */
    @FunctionalInterface
    public interface RecordSink
    {
        /**
         * @return false to stop reading.
         */
        boolean accept(int partition, long offset, byte[] key, byte[] value) throws IOException;
    }

    private static final int REQUEST_TIMEOUT_MS = 10_000;
    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrap;
    private final Admin admin;

    /**
     * @throws IllegalArgumentException if {@code bootstrap} is not HOST:PORT.
     */
    public RemoteLogClient(final String bootstrap)
    {
        this.bootstrap = GroupsClient.checkBootstrap(bootstrap);
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        this.admin = Admin.create(props);
    }

    /**
     * @param replicationFactor 0 for the broker's default.
     */
    public void create(final String topic, final int partitions, final int replicationFactor,
        final Map<String, String> settings) throws ExecutionException, InterruptedException
    {
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replicationFactor == 0 ?
            Optional.empty() : Optional.of((short)replicationFactor)).configs(settings))).all().get();
    }

    public void grow(final String topic, final int partitions) throws ExecutionException, InterruptedException
    {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
    }

    /**
     * Every topic but the broker's internal ones, by name.
     */
    public List<String> topics() throws ExecutionException, InterruptedException
    {
        return new ArrayList<>(new TreeSet<>(admin.listTopics().names().get()));
    }

    public TopicDetail describe(final String topic) throws ExecutionException, InterruptedException
    {
        final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        final Map<String, String> settings = new TreeMap<>();
        for (final ConfigEntry entry : config.entries())
        {
            settings.put(entry.name(), entry.value());
        }
        final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(info ->
        {
            earliest.put(new TopicPartition(topic, info.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
        });
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
            admin.listOffsets(earliest).all().get();
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        final List<PartitionOffsets> partitions = new ArrayList<>();
        description.partitions().forEach(info ->
        {
            final TopicPartition tp = new TopicPartition(topic, info.partition());
            partitions.add(new PartitionOffsets(info.partition(), starts.get(tp).offset(), ends.get(tp).offset()));
        });
        return new TopicDetail(topic, settings, partitions);
    }

    /**
     * Read {@code partition} of {@code topic} from {@code from} (earliest, latest, an offset, or time:EPOCH_MS) to the
     * end it had when the read began, or until {@code sink} says stop.
     *
     * @throws IllegalArgumentException for an offset outside the partition, naming its range.
     */
    public void read(final String topic, final int partition, final String from, final RecordSink sink)
        throws IOException
    {
        final TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer())
        {
            consumer.assign(List.of(tp));
            final long start = consumer.beginningOffsets(List.of(tp)).get(tp);
            final long end = consumer.endOffsets(List.of(tp)).get(tp);
            final long first = startOffset(consumer, tp, from, start, end);
            consumer.seek(tp, first);
            while (consumer.position(tp) < end)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
                {
                    if (record.offset() >= end)
                    {
                        return;
                    }
                    if (!sink.accept(record.partition(), record.offset(), record.key(), record.value()))
                    {
                        return;
                    }
                }
            }
        }
    }

    private static long startOffset(final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition tp,
        final String from, final long start, final long end)
    {
        switch (from)
        {
            case "earliest":
                return start;
            case "latest":
                return end;
            default:
                break;
        }
        if (from.startsWith("time:"))
        {
            final OffsetAndTimestamp found =
                consumer.offsetsForTimes(Map.of(tp, parse(from.substring("time:".length()), from))).get(tp);
            return found == null ? end : found.offset();
        }
        final long offset = parse(from, from);
        if (offset < start || offset > end)
        {
            throw new IllegalArgumentException("--from " + offset + " is out of range for " + tp +
                ": it holds offsets " + start + " to " + (end - 1));
        }
        return offset;
    }

    private static long parse(final String number, final String from)
    {
        try
        {
            return Long.parseLong(number);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                "--from must be earliest, latest, an offset or time:EPOCH_MS, was " + from);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer()
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close()
    {
        admin.close();
    }
}
