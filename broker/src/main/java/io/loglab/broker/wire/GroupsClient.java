package io.loglab.broker.wire;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * What {@code kafka-consumer-groups --list/--describe} shows, asked of any Kafka-protocol broker (loglab's or
 * Kafka's) with Kafka's admin client: the groups, and for one group each partition's committed offset, log end
 * offset and lag, and the member that holds it. The answers are plain values, so callers need no Kafka types.
 */
public final class GroupsClient implements AutoCloseable
{
    /** A group as listed: its id, state ("Stable", "Empty", ...) and type ("classic", "consumer"). */
    public record GroupSummary(String groupId, String state, String type)
    {
    }

    /**
     * One partition of a described group.
     *
     * @param committed   the committed offset, or -1 for none.
     * @param logEndOffset the partition's log end offset (high watermark), or -1 if it could not be read.
     * @param lag          log end offset minus committed offset, or -1 if either is unknown.
     * @param memberId     the member holding it, or "-" for none.
     */
    public record PartitionLag(String topic, int partition, long committed, long logEndOffset, long lag,
        String memberId, String host, String clientId)
    {
    }

    /** A described group: state, and one line per partition it commits to or holds, by topic and partition. */
    public record GroupDetail(String groupId, String state, int members, List<PartitionLag> partitions)
    {
    }

    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private final Admin admin;

    /**
     * @throws IllegalArgumentException if {@code bootstrap} is not HOST:PORT.
     */
    public GroupsClient(final String bootstrap)
    {
        checkBootstrap(bootstrap);
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        this.admin = Admin.create(props);
    }

    /**
     * @return {@code bootstrap}, checked to be HOST:PORT, or several of them separated by commas.
     * @throws IllegalArgumentException naming it if it is not.
     */
    static String checkBootstrap(final String bootstrap)
    {
        for (final String server : bootstrap.split(",", -1))
        {
            final int colon = server.lastIndexOf(':');
            if (colon <= 0 || colon == server.length() - 1 || !server.substring(colon + 1).chars()
                .allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("--bootstrap " + bootstrap + " is not HOST:PORT[,HOST:PORT...]");
            }
        }
        return bootstrap;
    }

    /**
     * Every group, by id.
     */
    public List<GroupSummary> list() throws ExecutionException, InterruptedException
    {
        final List<GroupSummary> groups = new ArrayList<>();
        for (final GroupListing listing : admin.listGroups().all().get())
        {
            groups.add(new GroupSummary(listing.groupId(),
                listing.groupState().map(GroupState::toString).orElse("Unknown"),
                listing.type().map(Object::toString).orElse("Unknown")));
        }
        groups.sort(Comparator.comparing(GroupSummary::groupId));
        return groups;
    }

    /**
     * One group's partitions; null if the group does not exist.
     */
    public GroupDetail describe(final String groupId) throws ExecutionException, InterruptedException
    {
        final ConsumerGroupDescription description =
            admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        if (description == null || description.groupState() == GroupState.DEAD)
        {
            return null;
        }
        final Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        final Map<TopicPartition, MemberDescription> holders = new HashMap<>();
        for (final MemberDescription member : description.members())
        {
            member.assignment().topicPartitions().forEach(partition -> holders.put(partition, member));
        }
        final Map<TopicPartition, Long> partitions = new TreeMap<>(
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        committed.forEach((partition, offset) -> partitions.put(partition, offset == null ? -1 : offset.offset()));
        holders.keySet().forEach(partition -> partitions.putIfAbsent(partition, -1L));
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
            latest.isEmpty() ? Map.of() : admin.listOffsets(latest).all().get();
        final List<PartitionLag> lines = new ArrayList<>();
        partitions.forEach((partition, offset) ->
        {
            final ListOffsetsResult.ListOffsetsResultInfo end = ends.get(partition);
            final long logEnd = end == null ? -1 : end.offset();
            final MemberDescription holder = holders.get(partition);
            lines.add(new PartitionLag(partition.topic(), partition.partition(), offset, logEnd,
                offset < 0 || logEnd < 0 ? -1 : Math.max(0, logEnd - offset),
                holder == null ? "-" : holder.consumerId(), holder == null ? "-" : holder.host(),
                holder == null ? "-" : holder.clientId()));
        });
        return new GroupDetail(groupId, description.groupState().toString(), description.members().size(), lines);
    }

    @Override
    public void close()
    {
        admin.close();
    }
}
