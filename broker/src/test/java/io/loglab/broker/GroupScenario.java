package io.loglab.broker;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic group's life from a raw client, good and bad requests, each answer as a line: run against loglab and
 * against Kafka, the lines must be the same (error codes, generations, committed offsets, states).
 */
final class GroupScenario
{
    private static final byte[] SUBSCRIPTION = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] ASSIGNMENT = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};

    private final RawKafkaClient client;
    private final String group;
    private final String topic;
    private final List<String> answers = new ArrayList<>();

    private GroupScenario(final RawKafkaClient client, final String topic)
    {
        this.client = client;
        this.topic = topic;
        this.group = topic + "-group";
    }

    static List<String> run(final RawKafkaClient client, final String topic) throws IOException
    {
        final GroupScenario scenario = new GroupScenario(client, topic);
        scenario.steps();
        return scenario.answers;
    }

    private void steps() throws IOException
    {
        answers.add("create: " + createTopic(client, topic));
        answers.add("find coordinator: " + findCoordinator(client, group));
        answers.add("fetch offsets of an unknown group: " + fetchOffsets());
        answers.add("heartbeat to an unknown group: " + heartbeat("nobody", 1));

        final JoinGroupResponseData first = join("", 10_000, "consumer");
        answers.add("join without a member id: " + Errors.forCode(first.errorCode()) + ", id given " +
            !first.memberId().isEmpty());
        final String member = first.memberId();
        final JoinGroupResponseData joined = join(member, 10_000, "consumer");
        answers.add("join with it: " + Errors.forCode(joined.errorCode()) + " generation " + joined.generationId() +
            " protocol " + joined.protocolName() + " leader " + joined.leader().equals(member) + " members " +
            joined.members().size());
        answers.add("join with a session timeout too short: " + Errors.forCode(join("", 1_000, "consumer")
            .errorCode()));
        answers.add("join with another protocol type: " + Errors.forCode(join("", 10_000, "other").errorCode()));
        answers.add("commit before the assignment: " + commit(member, 1, 5, ""));
        answers.add("sync with a wrong generation: " + sync(member, 7));
        answers.add("sync as the leader: " + sync(member, 1));
        answers.add("heartbeat: " + heartbeat(member, 1));
        answers.add("heartbeat with a wrong generation: " + heartbeat(member, 2));
        answers.add("heartbeat from an unknown member: " + heartbeat("stranger", 1));
        answers.add("commit: " + commit(member, 1, 5, "meta"));
        answers.add("commit with a wrong generation: " + commit(member, 2, 6, ""));
        answers.add("commit outside the generation to a group with members: " + commit("", -1, 6, ""));
        answers.add("commit with metadata too large: " + commit(member, 1, 6, "x".repeat(5000)));
        answers.add("fetch offsets: " + fetchOffsets());
        answers.add("describe: " + describe());
        answers.add("delete a group with members: " + delete(group));
        answers.add("delete an unknown group: " + delete(group + "-unknown"));
        answers.add("leave as an unknown member: " + leave("stranger"));
        answers.add("leave: " + leave(member));
        answers.add("describe after leaving: " + describe());
        answers.add("rejoin with the old member id: " + Errors.forCode(join(member, 10_000, "consumer")
            .errorCode()));
        answers.add("commit outside any generation to the empty group: " + commit("", -1, 9, ""));
        answers.add("fetch offsets of the empty group: " + fetchOffsets());
        answers.add("delete the empty group: " + delete(group));
        answers.add("fetch offsets after deleting: " + fetchOffsets());
        answers.add("describe after deleting: " + describe());

        final JoinGroupResponseData staticJoin = join("", "instance-1");
        answers.add("static join: " + Errors.forCode(staticJoin.errorCode()) + " generation " +
            staticJoin.generationId());
        answers.add("its sync: " + sync(staticJoin.memberId(), staticJoin.generationId()));
        final JoinGroupResponseData restarted = join("", "instance-1");
        answers.add("the instance rejoins under a new member id: " + Errors.forCode(restarted.errorCode()) +
            " generation " + restarted.generationId() + " new id " +
            !restarted.memberId().equals(staticJoin.memberId()) + " skip assignment " + restarted.skipAssignment());
        answers.add("the old member id heartbeats: " + heartbeat(staticJoin.memberId(), staticJoin.generationId(),
            "instance-1"));
        answers.add("the new one heartbeats: " + heartbeat(restarted.memberId(), restarted.generationId(),
            "instance-1"));
        answers.add("create the offsets topic: " + createTopic(client, "__consumer_offsets"));
        answers.add("produce to the offsets topic: " + client.produce("__consumer_offsets",
            org.apache.kafka.common.record.internal.MemoryRecords.withRecords(
                org.apache.kafka.common.compress.Compression.NONE,
                new org.apache.kafka.common.record.internal.SimpleRecord(new byte[] {1}, new byte[] {2})).buffer(),
            (short)1).errorCode());
    }

    /** CreateTopics v7 of two partitions: its error's name. */
    static String createTopic(final RawKafkaClient client, final String name) throws IOException
    {
        final CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(10_000);
        create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(2)
            .setReplicationFactor((short)1));
        return Errors.forCode(client.<CreateTopicsResponseData>exchange(ApiKeys.CREATE_TOPICS, (short)7, create)
            .topics().iterator().next().errorCode()).name();
    }

    /** FindCoordinator v3 for {@code group}, once the coordinator answers (a fresh Kafka loads it first). */
    static String findCoordinator(final RawKafkaClient client, final String group) throws IOException
    {
        FindCoordinatorResponseData found;
        final long deadline = System.currentTimeMillis() + 20_000;
        do
        {
            // A fresh Kafka creates its offsets topic first.
            found = client.exchange(ApiKeys.FIND_COORDINATOR, (short)3,
                new FindCoordinatorRequestData().setKey(group).setKeyType((byte)0));
        }
        while (Errors.forCode(found.errorCode()).exception() instanceof RetriableException &&
            System.currentTimeMillis() < deadline);
        // A fresh Kafka names its coordinator before the coordinator has loaded: NOT_COORDINATOR until then.
        OffsetFetchResponseData probe;
        do
        {
            probe = client.exchange(ApiKeys.OFFSET_FETCH, (short)7,
                new OffsetFetchRequestData().setGroupId(group).setTopics(null));
        }
        while (Errors.forCode(probe.errorCode()).exception() instanceof RetriableException &&
            System.currentTimeMillis() < deadline);
        return Errors.forCode(found.errorCode()).name();
    }

    private JoinGroupResponseData join(final String memberId, final int sessionTimeoutMs, final String protocolType)
        throws IOException
    {
        return join(memberId, null, sessionTimeoutMs, protocolType);
    }

    private JoinGroupResponseData join(final String memberId, final String instanceId) throws IOException
    {
        return join(memberId, instanceId, 10_000, "consumer");
    }

    /** JoinGroup v9, the version Kafka's 4.x client sends. */
    private JoinGroupResponseData join(final String memberId, final String instanceId, final int sessionTimeoutMs,
        final String protocolType) throws IOException
    {
        final JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group)
            .setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(10_000).setMemberId(memberId)
            .setGroupInstanceId(instanceId).setProtocolType(protocolType);
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
            .setMetadata(SUBSCRIPTION));
        return client.exchange(ApiKeys.JOIN_GROUP, (short)9, request);
    }

    private String sync(final String memberId, final int generation) throws IOException
    {
        final SyncGroupResponseData synced = client.exchange(ApiKeys.SYNC_GROUP, (short)5,
            new SyncGroupRequestData().setGroupId(group).setGenerationId(generation).setMemberId(memberId)
                .setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                    .setAssignment(ASSIGNMENT))));
        return Errors.forCode(synced.errorCode()) + " assignment bytes " + synced.assignment().length;
    }

    private String heartbeat(final String memberId, final int generation) throws IOException
    {
        return heartbeat(memberId, generation, null);
    }

    private String heartbeat(final String memberId, final int generation, final String instanceId)
        throws IOException
    {
        return Errors.forCode(client.<HeartbeatResponseData>exchange(ApiKeys.HEARTBEAT, (short)4,
            new HeartbeatRequestData().setGroupId(group).setMemberId(memberId).setGenerationId(generation)
                .setGroupInstanceId(instanceId)).errorCode()).name();
    }

    private String commit(final String memberId, final int generation, final long offset, final String metadata)
        throws IOException
    {
        final OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
            .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                .setCommittedOffset(offset).setCommittedMetadata(metadata))));
        final OffsetCommitResponseData committed = client.exchange(ApiKeys.OFFSET_COMMIT, (short)8, request);
        return Errors.forCode(committed.topics().get(0).partitions().get(0).errorCode()).name();
    }

    private String fetchOffsets() throws IOException
    {
        final OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(group)
            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic)
                .setPartitionIndexes(List.of(0, 1))));
        final OffsetFetchResponseData fetched = client.exchange(ApiKeys.OFFSET_FETCH, (short)7, request);
        final StringBuilder line = new StringBuilder(Errors.forCode(fetched.errorCode()).name());
        fetched.topics().forEach(answered -> answered.partitions().forEach(partition -> line.append(" p")
            .append(partition.partitionIndex()).append('=').append(partition.committedOffset()).append('/')
            .append(partition.metadata()).append('/').append(Errors.forCode(partition.errorCode()))));
        return line.toString();
    }

    private String describe() throws IOException
    {
        final DescribeGroupsResponseData described = client.exchange(ApiKeys.DESCRIBE_GROUPS, (short)5,
            new DescribeGroupsRequestData().setGroups(List.of(group)));
        final DescribeGroupsResponseData.DescribedGroup answer = described.groups().get(0);
        return Errors.forCode(answer.errorCode()) + " " + answer.groupState() + " type '" + answer.protocolType() +
            "' protocol '" + answer.protocolData() + "' members " + answer.members().size();
    }

    private String delete(final String groupId) throws IOException
    {
        final DeleteGroupsResponseData deleted = client.exchange(ApiKeys.DELETE_GROUPS, (short)2,
            new DeleteGroupsRequestData().setGroupsNames(List.of(groupId)));
        return Errors.forCode(deleted.results().iterator().next().errorCode()).name();
    }

    private String leave(final String memberId) throws IOException
    {
        final LeaveGroupResponseData left = client.exchange(ApiKeys.LEAVE_GROUP, (short)4,
            new LeaveGroupRequestData().setGroupId(group)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId))));
        return Errors.forCode(left.errorCode()) + (left.members().isEmpty() ? " no member answered" :
            " member " + Errors.forCode(left.members().get(0).errorCode()));
    }
}
