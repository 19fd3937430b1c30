package io.loglab.broker.wire;

import io.loglab.broker.group.Assignment;
import io.loglab.broker.group.ServerAssignor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberSubscription;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.assignor.RangeAssignor;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Kafka's own server-side assignors, {@code uniform} (its default: balanced and sticky) and {@code range}, run through
 * their public interface, so a group gets the partitions Kafka's coordinator would give it.
 */
public final class KafkaServerAssignors implements ServerAssignor
{
    private final Map<String, ConsumerGroupPartitionAssignor> assignors = new LinkedHashMap<>();

    public KafkaServerAssignors()
    {
        final UniformAssignor uniform = new UniformAssignor();
        final RangeAssignor range = new RangeAssignor();
        assignors.put(uniform.name(), uniform);
        assignors.put(range.name(), range);
    }

    @Override
    public String defaultName()
    {
        return UniformAssignor.NAME;
    }

    @Override
    public boolean supports(final String name)
    {
        return assignors.containsKey(name);
    }

    @Override
    public Set<String> names()
    {
        return assignors.keySet();
    }

    @Override
    public Map<String, Assignment> assign(
        final String name, final Map<String, MemberSpec> members, final Map<UUID, Integer> partitionCounts)
    {
        final Map<Uuid, Integer> counts = new HashMap<>();
        partitionCounts.forEach((topicId, count) -> counts.put(Partitions.kafkaId(topicId), count));
        final GroupAssignment assigned = assignors.get(name).assign(new Spec(members), new SubscribedTopicDescriber()
        {
            @Override
            public int numPartitions(final Uuid topicId)
            {
                return counts.getOrDefault(topicId, -1);
            }

            @Override
            public Set<String> racksForPartition(final Uuid topicId, final int partition)
            {
                return Set.of();
            }
        });
        final Map<String, Assignment> targets = new HashMap<>();
        members.keySet().forEach(memberId ->
        {
            final MemberAssignment member = assigned.members().get(memberId);
            targets.put(memberId, member == null ? Assignment.EMPTY : engineAssignment(member.partitions()));
        });
        return targets;
    }

    private static Assignment engineAssignment(final Map<Uuid, Set<Integer>> partitions)
    {
        final Map<UUID, Set<Integer>> converted = new HashMap<>();
        partitions.forEach((topicId, numbers) -> converted.put(Partitions.engineId(topicId), numbers));
        return Assignment.of(converted);
    }

    /**
     * Unmodifiable, as Kafka's assignors require of a current assignment: they check for
     * {@link Collections#unmodifiableMap}'s class.
     */
    private static Map<Uuid, Set<Integer>> kafkaAssignment(final Assignment assignment)
    {
        final Map<Uuid, Set<Integer>> converted = new HashMap<>();
        assignment.partitions().forEach((topicId, numbers) ->
            converted.put(Partitions.kafkaId(topicId), numbers));
        return Collections.unmodifiableMap(converted);
    }

    /**
     * The group as Kafka's assignors read it: each member's subscription and its current target, which the sticky
     * assignors keep as much of as they can.
     */
    private static final class Spec implements GroupSpec
    {
        private final Map<String, MemberSubscription> subscriptions = new HashMap<>();
        private final Map<String, Map<Uuid, Set<Integer>>> current = new HashMap<>();
        private final Map<Uuid, Set<Integer>> assigned = new HashMap<>();
        private final SubscriptionType type;

        Spec(final Map<String, MemberSpec> members)
        {
            members.forEach((memberId, member) ->
            {
                final Set<Uuid> topicIds = member.subscribedTopicIds().stream().map(Partitions::kafkaId)
                    .collect(Collectors.toUnmodifiableSet());
                subscriptions.put(memberId, new MemberSubscription()
                {
                    @Override
                    public Optional<String> rackId()
                    {
                        return Optional.ofNullable(member.rackId());
                    }

                    @Override
                    public Optional<String> instanceId()
                    {
                        return Optional.ofNullable(member.instanceId());
                    }

                    @Override
                    public Set<Uuid> subscribedTopicIds()
                    {
                        return topicIds;
                    }
                });
                final Map<Uuid, Set<Integer>> target = kafkaAssignment(member.currentTarget());
                current.put(memberId, target);
                target.forEach((topicId, numbers) -> assigned.computeIfAbsent(topicId, id -> new HashSet<>())
                    .addAll(numbers));
            });
            final long distinct = members.values().stream().map(MemberSpec::subscribedTopicIds).distinct().count();
            type = distinct <= 1 ? SubscriptionType.HOMOGENEOUS : SubscriptionType.HETEROGENEOUS;
        }

        @Override
        public Collection<String> memberIds()
        {
            return subscriptions.keySet();
        }

        @Override
        public SubscriptionType subscriptionType()
        {
            return type;
        }

        @Override
        public boolean isPartitionAssigned(final Uuid topicId, final int partition)
        {
            final Set<Integer> numbers = assigned.get(topicId);
            return numbers != null && numbers.contains(partition);
        }

        @Override
        public boolean isPartitionAssignable(final Uuid topicId, final int partition)
        {
            return true;
        }

        @Override
        public MemberSubscription memberSubscription(final String memberId)
        {
            return subscriptions.get(memberId);
        }

        @Override
        public MemberAssignment memberAssignment(final String memberId)
        {
            final Map<Uuid, Set<Integer>> target = current.getOrDefault(memberId, Collections.emptyMap());
            return () -> target;
        }
    }
}
