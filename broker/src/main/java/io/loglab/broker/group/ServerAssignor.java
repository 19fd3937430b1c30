package io.loglab.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The consumer group protocol's server-side assignors ({@code group.remote.assignor} on the client): the wire layer
 * provides Kafka's own, so a group gets the same assignment from this node as from Kafka.
 */
public interface ServerAssignor
{
    /** What an assignor knows of one member. */
    record MemberSpec(String instanceId, String rackId, Set<UUID> subscribedTopicIds, Assignment currentTarget)
    {
    }

    /**
     * The assignor used when no member names one: Kafka's default, {@code uniform}.
     */
    String defaultName();

    boolean supports(String name);

    /**
     * Every assignor's name, for the error that names an unknown one.
     */
    Set<String> names();

    /**
     * @param members         by member id.
     * @param partitionCounts every subscribed topic's partition count, by topic id.
     * @return each member's target assignment, by member id.
     */
    Map<String, Assignment> assign(String name, Map<String, MemberSpec> members, Map<UUID, Integer> partitionCounts);
}
