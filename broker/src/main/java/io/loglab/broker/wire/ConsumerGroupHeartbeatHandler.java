package io.loglab.broker.wire;

import io.loglab.broker.group.Assignment;
import io.loglab.broker.group.ConsumerHeartbeat;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.GroupError;
import io.loglab.broker.group.HeartbeatResult;
import io.loglab.broker.group.TopicLookup;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * ConsumerGroupHeartbeat, the consumer group protocol's one membership API (KIP-848; Kafka's Java client with
 * {@code group.protocol=consumer}), translated to and from the coordinator. Partitions travel by topic id, which the
 * client resolves through Metadata v10 and later. Internal topics are not matched by a subscription's regular
 * expression, as in Kafka.
 */
final class ConsumerGroupHeartbeatHandler implements TopicLookup
{
    private final LogManager logs;
    private final GroupCoordinator coordinator;

    ConsumerGroupHeartbeatHandler(final LogManager logs, final GroupCoordinator coordinator)
    {
        this.logs = logs;
        this.coordinator = coordinator;
    }

    ConsumerGroupHeartbeatResponseData heartbeat(
        final RequestContext context, final ConsumerGroupHeartbeatRequestData request, final long nowMs)
    {
        String memberId = request.memberId();
        if (context.version() == 0 && memberId.isEmpty() && request.memberEpoch() == ConsumerHeartbeat.JOIN_EPOCH)
        {
            // v0 lets the coordinator name a joining member; from v1 the client does.
            memberId = Uuid.randomUuid().toString();
        }
        final HeartbeatResult result = coordinator.consumerHeartbeat(new ConsumerHeartbeat(
            request.groupId(),
            memberId,
            request.memberEpoch(),
            request.instanceId(),
            request.rackId(),
            request.rebalanceTimeoutMs(),
            request.subscribedTopicNames(),
            request.subscribedTopicRegex(),
            request.serverAssignor(),
            request.topicPartitions() == null ? null : owned(request.topicPartitions()),
            context.clientId(),
            context.clientHost()), this, nowMs);
        final ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
            .setErrorCode(GroupMembershipHandler.error(result.error()).code())
            .setErrorMessage(result.message());
        if (result.error() != GroupError.NONE)
        {
            return response;
        }
        response.setMemberId(result.memberId())
            .setMemberEpoch(result.memberEpoch())
            .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
        if (result.assignment() != null)
        {
            final List<ConsumerGroupHeartbeatResponseData.TopicPartitions> partitions = new ArrayList<>();
            result.assignment().partitions().forEach((topicId, numbers) ->
                partitions.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                    .setTopicId(Partitions.kafkaId(topicId))
                    .setPartitions(new ArrayList<>(numbers))));
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(partitions));
        }
        return response;
    }

    private static Assignment owned(final List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned)
    {
        final Map<UUID, Set<Integer>> partitions = new HashMap<>();
        owned.forEach(topic -> partitions.computeIfAbsent(Partitions.engineId(topic.topicId()),
            id -> new TreeSet<>()).addAll(topic.partitions()));
        return Assignment.of(partitions);
    }

    @Override
    public TopicInfo topic(final String name)
    {
        final Topic topic = Partitions.topic(logs, name);
        return topic == null ? null : new TopicInfo(name, topic.topicId(), topic.partitionCount());
    }

    @Override
    public Collection<String> topicNames()
    {
        final List<String> names = new ArrayList<>();
        logs.topics().forEach(topic ->
        {
            if (!OffsetsTopic.isInternal(topic.name()))
            {
                names.add(topic.name());
            }
        });
        return names;
    }
}
