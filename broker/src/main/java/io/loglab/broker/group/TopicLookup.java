package io.loglab.broker.group;

import java.util.Collection;
import java.util.UUID;

/**
 * The topics a consumer group may subscribe to, as the node holds them now.
 */
public interface TopicLookup
{
    /** A topic's id and partition count. */
    record TopicInfo(String name, UUID topicId, int partitionCount)
    {
    }

    /**
     * @return the topic, or null if there is none by that name.
     */
    TopicInfo topic(String name);

    /**
     * Every topic's name, for subscriptions by regular expression.
     */
    Collection<String> topicNames();
}
