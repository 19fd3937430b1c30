package io.loglab.broker.group;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The topics a consumer group's members subscribe to, by name or by regular expression, as they exist now: what the
 * assignor divides, and what names each topic id of an assignment. A change (a topic made, deleted or grown, or a
 * subscription that now names another) starts a new group epoch.
 * <p>
 * Threading: the network thread only (the coordinator runs there).
 */
final class SubscribedTopics
{
    private Map<String, TopicLookup.TopicInfo> topics = Map.of();

    /**
     * Resolve every member's subscription against the topics there are now.
     *
     * @return whether the subscribed topics changed.
     */
    boolean refresh(final Collection<ConsumerGroupMember> members, final TopicLookup lookup)
    {
        final Set<String> names = new HashSet<>();
        final Collection<String> all = lookup.topicNames();
        for (final ConsumerGroupMember member : members)
        {
            names.addAll(member.subscribedTopicNames());
            if (member.subscribedTopicPattern() != null)
            {
                all.stream().filter(member::subscribesTo).forEach(names::add);
            }
        }
        final Map<String, TopicLookup.TopicInfo> found = new TreeMap<>();
        for (final String name : names)
        {
            final TopicLookup.TopicInfo topic = lookup.topic(name);
            if (topic != null)
            {
                found.put(name, topic);
            }
        }
        if (found.equals(topics))
        {
            return false;
        }
        topics = Collections.unmodifiableMap(found);
        return true;
    }

    /**
     * The ids of the existing topics {@code member} subscribes to.
     */
    Set<UUID> topicIdsOf(final ConsumerGroupMember member)
    {
        final Set<UUID> ids = new HashSet<>();
        topics.forEach((name, topic) ->
        {
            if (member.subscribesTo(name))
            {
                ids.add(topic.topicId());
            }
        });
        return ids;
    }

    /**
     * A subscribed topic's id, or null if no member subscribes to it.
     */
    UUID topicId(final String name)
    {
        final TopicLookup.TopicInfo topic = topics.get(name);
        return topic == null ? null : topic.topicId();
    }

    /**
     * Every subscribed topic's partition count, by topic id.
     */
    Map<UUID, Integer> partitionCounts()
    {
        return topics.values().stream().collect(Collectors.toMap(
            TopicLookup.TopicInfo::topicId, TopicLookup.TopicInfo::partitionCount));
    }

    /**
     * Every subscribed topic's name, by topic id.
     */
    Map<UUID, String> names()
    {
        return topics.values().stream().collect(Collectors.toMap(
            TopicLookup.TopicInfo::topicId, TopicLookup.TopicInfo::name));
    }
}
