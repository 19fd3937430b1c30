package io.loglab.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A group member in its own JVM, for tests that SIGKILL it: it prints "assigned N" when it holds partitions, then
 * for each poll the values it processed ("processed VALUE") before committing them, and "committed" once the commit
 * is acknowledged, so the parent knows what the group had recorded as done when the kill landed.
 * <p>
 * Usage: GroupMemberChild BOOTSTRAP GROUP TOPIC SESSION_TIMEOUT_MS
 */
public final class GroupMemberChild
{
    private GroupMemberChild()
    {
    }

    public static void main(final String[] args)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, args[3]);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(List.of(args[2]));
            boolean announced = false;
            while (true)
            {
                final var records = consumer.poll(Duration.ofMillis(100));
                if (!announced && !consumer.assignment().isEmpty())
                {
                    System.out.println("assigned " + consumer.assignment().size());
                    announced = true;
                }
                if (records.isEmpty())
                {
                    continue;
                }
                final StringBuilder lines = new StringBuilder();
                for (final ConsumerRecord<String, String> record : records)
                {
                    lines.append("processed ").append(record.value()).append('\n');
                }
                System.out.print(lines);
                System.out.flush();
                consumer.commitSync();
                System.out.println("committed");
                System.out.flush();
            }
        }
    }
}
