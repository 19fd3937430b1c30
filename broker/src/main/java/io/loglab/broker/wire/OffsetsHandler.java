package io.loglab.broker.wire;

import io.loglab.broker.group.CommittedOffset;
import io.loglab.broker.group.GroupCoordinator;
import io.loglab.broker.group.GroupError;
import io.loglab.broker.group.TopicPartitionId;
import io.loglab.broker.network.Response;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OffsetCommit and OffsetFetch. A commit is checked against the group (member, generation, state), written to the
 * offsets topic, and answered once stored; OffsetFetch answers from what is stored, -1 where nothing is.
 */
final class OffsetsHandler
{
    private static final long NO_OFFSET = -1;
    private static final int NO_LEADER_EPOCH = -1;

    private final GroupCoordinator coordinator;
    private final OffsetsLog offsetsLog;
    private final SocketTransferChannel channel;

    OffsetsHandler(final GroupCoordinator coordinator, final OffsetsLog offsetsLog,
        final SocketTransferChannel channel)
    {
        this.coordinator = coordinator;
        this.offsetsLog = offsetsLog;
        this.channel = channel;
    }

    Response commit(final RequestContext context, final OffsetCommitRequestData request, final long nowMs)
    {
        GroupError valid = coordinator.validateCommit(request.groupId(), request.memberId(),
            request.groupInstanceId(), request.generationIdOrMemberEpoch(), context.version(), nowMs);
        if (valid == GroupError.GROUP_ID_NOT_FOUND && context.version() < 9)
        {
            // Kafka answers a generation's commit to an unknown group this way before v9.
            valid = GroupError.ILLEGAL_GENERATION;
        }
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        final Map<TopicPartitionId, CommittedOffset> commits = new LinkedHashMap<>();
        final long wallClockMs = System.currentTimeMillis();
        for (final OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics())
        {
            final OffsetCommitResponseData.OffsetCommitResponseTopic answered =
                new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(answered);
            for (final OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions())
            {
                final String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                final GroupError partitionValid = valid != GroupError.NONE ? valid :
                    coordinator.validateCommittedPartition(request.groupId(), request.memberId(),
                        request.generationIdOrMemberEpoch(), topic.name(), partition.partitionIndex());
                final Errors error = partitionValid != GroupError.NONE ? GroupMembershipHandler.error(partitionValid) :
                    metadata.getBytes(StandardCharsets.UTF_8).length > coordinator.config().maxMetadataBytes() ?
                    Errors.OFFSET_METADATA_TOO_LARGE : Errors.NONE;
                answered.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code()));
                if (error == Errors.NONE)
                {
                    commits.put(new TopicPartitionId(topic.name(), partition.partitionIndex()), new CommittedOffset(
                        partition.committedOffset(), partition.committedLeaderEpoch(), metadata, wallClockMs));
                }
            }
        }
        if (commits.isEmpty())
        {
            return KafkaResponse.of(channel, context, response);
        }
        final OffsetsLog.Write write = offsetsLog.write(request.groupId(), commits, false, nowMs, wallClockMs);
        return KafkaResponse.when(channel, context, write::isFinished, () ->
        {
            if (write.failure() != null)
            {
                failStored(response, commits);
            }
            return response;
        });
    }

    /**
     * The commits that were to be stored and were not: COORDINATOR_NOT_AVAILABLE, which clients retry.
     */
    private static void failStored(
        final OffsetCommitResponseData response, final Map<TopicPartitionId, CommittedOffset> commits)
    {
        for (final OffsetCommitResponseData.OffsetCommitResponseTopic topic : response.topics())
        {
            for (final OffsetCommitResponseData.OffsetCommitResponsePartition partition : topic.partitions())
            {
                if (commits.containsKey(new TopicPartitionId(topic.name(), partition.partitionIndex())))
                {
                    partition.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
            }
        }
    }

    /**
     * v0 to v7 ask for one group, v8 and later for several; a null topic list asks for every committed offset.
     */
    OffsetFetchResponseData fetch(final OffsetFetchRequestData request, final short version)
    {
        final OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version < 8)
        {
            final Map<String, List<Integer>> asked = new LinkedHashMap<>();
            if (request.topics() != null)
            {
                request.topics().forEach(topic -> asked.put(topic.name(), topic.partitionIndexes()));
            }
            fetch(request.groupId(), request.topics() == null ? null : asked, (topic, partition, offset) ->
            {
                OffsetFetchResponseData.OffsetFetchResponseTopic answered = null;
                for (final OffsetFetchResponseData.OffsetFetchResponseTopic existing : response.topics())
                {
                    answered = existing.name().equals(topic) ? existing : answered;
                }
                if (answered == null)
                {
                    answered = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic);
                    response.topics().add(answered);
                }
                answered.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(offset == null ? NO_OFFSET : offset.offset())
                    .setCommittedLeaderEpoch(offset == null ? NO_LEADER_EPOCH : offset.leaderEpoch())
                    .setMetadata(offset == null ? "" : offset.metadata()));
            });
            return response;
        }
        for (final OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups())
        {
            final OffsetFetchResponseData.OffsetFetchResponseGroup answeredGroup =
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(group.groupId());
            response.groups().add(answeredGroup);
            // v9 names the member of a consumer-protocol group, which must be at its current epoch.
            final GroupError valid = coordinator.validateFetch(group.groupId(), group.memberId(), group.memberEpoch());
            if (valid != GroupError.NONE)
            {
                answeredGroup.setErrorCode(GroupMembershipHandler.error(valid).code());
                continue;
            }
            final Map<String, List<Integer>> asked = new LinkedHashMap<>();
            if (group.topics() != null)
            {
                group.topics().forEach(topic -> asked.put(topic.name(), topic.partitionIndexes()));
            }
            fetch(group.groupId(), group.topics() == null ? null : asked, (topic, partition, offset) ->
            {
                OffsetFetchResponseData.OffsetFetchResponseTopics answered = null;
                for (final OffsetFetchResponseData.OffsetFetchResponseTopics existing : answeredGroup.topics())
                {
                    answered = existing.name().equals(topic) ? existing : answered;
                }
                if (answered == null)
                {
                    answered = new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic);
                    answeredGroup.topics().add(answered);
                }
                answered.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(offset == null ? NO_OFFSET : offset.offset())
                    .setCommittedLeaderEpoch(offset == null ? NO_LEADER_EPOCH : offset.leaderEpoch())
                    .setMetadata(offset == null ? "" : offset.metadata()));
            });
        }
        return response;
    }

    /** One partition's answer: its committed offset, or null for none. */
    @FunctionalInterface
    private interface Answer
    {
        void add(String topic, int partition, CommittedOffset offset);
    }

    /**
     * @param asked topics to their partitions, or null for every partition the group committed.
     */
    private void fetch(final String groupId, final Map<String, List<Integer>> asked, final Answer answer)
    {
        if (asked == null)
        {
            coordinator.committed(groupId).forEach((id, offset) -> answer.add(id.topic(), id.partition(), offset));
            return;
        }
        asked.forEach((topic, partitions) -> partitions.forEach(partition ->
            answer.add(topic, partition, coordinator.committed(groupId, new TopicPartitionId(topic, partition)))));
    }
}
