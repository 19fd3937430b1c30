package io.loglab.broker;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer group's life under the consumer protocol (KIP-848) from a raw client, good and bad heartbeats, each
 * answer as a line: run against loglab and against Kafka, the lines must be the same (error codes, member epochs,
 * heartbeat intervals, how many partitions each member holds as it reconciles, committed offsets, states). Member ids
 * are the client's (v1), fresh each run; which partition a member gets is left out, as it may follow the ids.
 */
final class ConsumerGroupScenario
{
    private static final short HEARTBEAT_VERSION = 1;
    private static final short OFFSETS_VERSION = 9;

    private final RawKafkaClient client;
    private final String group;
    private final String topic;
    private final List<String> answers = new ArrayList<>();
    private Uuid topicId = Uuid.ZERO_UUID;

    private ConsumerGroupScenario(final RawKafkaClient client, final String topic)
    {
        this.client = client;
        this.topic = topic;
        this.group = topic + "-group";
    }

    static List<String> run(final RawKafkaClient client, final String topic) throws IOException
    {
        final ConsumerGroupScenario scenario = new ConsumerGroupScenario(client, topic);
        scenario.steps();
        return scenario.answers;
    }

    private void steps() throws IOException
    {
        answers.add("create: " + GroupScenario.createTopic(client, topic));
        answers.add("find coordinator: " + GroupScenario.findCoordinator(client, group));
        final String a = Uuid.randomUuid().toString();
        final String b = Uuid.randomUuid().toString();
        answers.add("join without a subscription: " + answer(heartbeat(a, 0).setSubscribedTopicNames(null)));
        answers.add("join with an unknown assignor: " + answer(join(a).setServerAssignor("nope")));
        answers.add("join with a bad regular expression: " +
            answer(join(a).setSubscribedTopicNames(null).setSubscribedTopicRegex("[")));
        answers.add("join with an empty group id: " + answer(join(a).setGroupId("")));

        final ConsumerGroupHeartbeatResponseData joined = send(join(a));
        answers.add("join: " + answer(joined));
        final int epoch = joined.memberEpoch();
        answers.add("heartbeat from an unknown member: " + answer(heartbeat(b, epoch)));
        answers.add("heartbeat at a later epoch: " + answer(heartbeat(a, epoch + 5)));
        answers.add("heartbeat with what it holds: " + answer(heartbeat(a, epoch).setTopicPartitions(held(joined))));
        answers.add("commit at its epoch: " + commit(a, epoch, 5));
        answers.add("commit at an older epoch: " + commit(a, epoch - 1, 6));
        answers.add("commit at a later epoch: " + commit(a, epoch + 1, 6));
        answers.add("fetch offsets at its epoch: " + fetchOffsets(a, epoch));
        answers.add("fetch offsets at a later epoch: " + fetchOffsets(a, epoch + 1));
        answers.add("list: " + list());

        final ConsumerGroupHeartbeatResponseData second = send(join(b));
        answers.add("a second member joins: " + answer(second));
        final ConsumerGroupHeartbeatResponseData revoking = send(heartbeat(a, epoch).setTopicPartitions(held(joined)));
        answers.add("the first hears of the new epoch: " + answer(revoking));
        final ConsumerGroupHeartbeatResponseData released =
            send(heartbeat(a, revoking.memberEpoch()).setTopicPartitions(held(revoking)));
        answers.add("the first gives up what it lost: " + answer(released));
        answers.add("the second is given it: " +
            answer(heartbeat(b, second.memberEpoch()).setTopicPartitions(held(second))));
        answers.add("list with two members: " + list());

        answers.add("the first leaves: " + answer(heartbeat(a, -1)));
        answers.add("the second leaves: " + answer(heartbeat(b, -1)));
        answers.add("list when empty: " + list());
        answers.add("fetch offsets of the empty group: " + fetchOffsets("", -1));
        answers.add("delete the empty group: " + delete());
        answers.add("list after deleting: " + list());
    }

    /** Only a new member's first heartbeat carries what it subscribes to, and an empty list of what it holds. */
    private ConsumerGroupHeartbeatRequestData join(final String memberId)
    {
        return heartbeat(memberId, 0).setRebalanceTimeoutMs(10_000).setSubscribedTopicNames(List.of(topic))
            .setTopicPartitions(List.of());
    }

    /** A heartbeat that repeats nothing: null for each field unchanged since the last. */
    private ConsumerGroupHeartbeatRequestData heartbeat(final String memberId, final int memberEpoch)
    {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(memberId)
            .setMemberEpoch(memberEpoch).setRebalanceTimeoutMs(-1).setSubscribedTopicNames(null)
            .setTopicPartitions(null).setServerAssignor(null).setSubscribedTopicRegex(null).setInstanceId(null)
            .setRackId(null);
    }

    private ConsumerGroupHeartbeatResponseData send(final ConsumerGroupHeartbeatRequestData request)
        throws IOException
    {
        final ConsumerGroupHeartbeatResponseData response =
            client.exchange(ApiKeys.CONSUMER_GROUP_HEARTBEAT, HEARTBEAT_VERSION, request);
        if (response.assignment() != null && !response.assignment().topicPartitions().isEmpty())
        {
            topicId = response.assignment().topicPartitions().get(0).topicId();
        }
        return response;
    }

    private String answer(final ConsumerGroupHeartbeatRequestData request) throws IOException
    {
        return answer(send(request));
    }

    private static String answer(final ConsumerGroupHeartbeatResponseData response)
    {
        final Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE)
        {
            return error.name();
        }
        return "NONE epoch " + response.memberEpoch() + " interval " + response.heartbeatIntervalMs() +
            (response.assignment() == null ? " assignment unchanged" : " partitions " + count(response));
    }

    private static int count(final ConsumerGroupHeartbeatResponseData response)
    {
        return response.assignment().topicPartitions().stream().mapToInt(owned -> owned.partitions().size()).sum();
    }

    /** What the member holds once it has taken the answer's assignment (or kept its last, if none came). */
    private List<ConsumerGroupHeartbeatRequestData.TopicPartitions> held(
        final ConsumerGroupHeartbeatResponseData response)
    {
        final List<ConsumerGroupHeartbeatRequestData.TopicPartitions> held = new ArrayList<>();
        if (response.assignment() != null)
        {
            response.assignment().topicPartitions().forEach(owned -> held.add(
                new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topicId)
                    .setPartitions(owned.partitions())));
        }
        return held;
    }

    private String commit(final String memberId, final int memberEpoch, final long offset) throws IOException
    {
        final OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
            .setGenerationIdOrMemberEpoch(memberEpoch).setMemberId(memberId);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                .setCommittedOffset(offset).setCommittedMetadata(""))));
        final OffsetCommitResponseData committed = client.exchange(ApiKeys.OFFSET_COMMIT, OFFSETS_VERSION, request);
        return Errors.forCode(committed.topics().get(0).partitions().get(0).errorCode()).name();
    }

    private String fetchOffsets(final String memberId, final int memberEpoch) throws IOException
    {
        final OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(true);
        request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
            .setMemberId(memberId.isEmpty() ? null : memberId).setMemberEpoch(memberEpoch)
            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic)
                .setPartitionIndexes(List.of(1)))));
        final OffsetFetchResponseData.OffsetFetchResponseGroup fetched =
            client.<OffsetFetchResponseData>exchange(ApiKeys.OFFSET_FETCH, OFFSETS_VERSION, request).groups().get(0);
        final StringBuilder line = new StringBuilder(Errors.forCode(fetched.errorCode()).name());
        fetched.topics().forEach(answered -> answered.partitions().forEach(partition -> line.append(" p")
            .append(partition.partitionIndex()).append('=').append(partition.committedOffset())));
        return line.toString();
    }

    private String list() throws IOException
    {
        final ListGroupsResponseData listed = client.exchange(ApiKeys.LIST_GROUPS, (short)5,
            new ListGroupsRequestData().setTypesFilter(List.of("consumer")));
        return listed.groups().stream().filter(listedGroup -> listedGroup.groupId().equals(group))
            .map(listedGroup -> listedGroup.groupType() + " " + listedGroup.groupState()).findFirst()
            .orElse("not listed");
    }

    private String delete() throws IOException
    {
        final DeleteGroupsResponseData deleted = client.exchange(ApiKeys.DELETE_GROUPS, (short)2,
            new DeleteGroupsRequestData().setGroupsNames(List.of(group)));
        return Errors.forCode(deleted.results().iterator().next().errorCode()).name();
    }
}
