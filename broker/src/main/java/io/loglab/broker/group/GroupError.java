package io.loglab.broker.group;

/**
 * What the coordinator answers, named as Kafka's error codes are (the wire layer maps each by name).
 */
public enum GroupError
{
    NONE,
    INVALID_GROUP_ID,
    UNKNOWN_MEMBER_ID,
    ILLEGAL_GENERATION,
    REBALANCE_IN_PROGRESS,
    MEMBER_ID_REQUIRED,
    FENCED_INSTANCE_ID,
    INCONSISTENT_GROUP_PROTOCOL,
    INVALID_SESSION_TIMEOUT,
    GROUP_ID_NOT_FOUND,
    NON_EMPTY_GROUP,
    COORDINATOR_NOT_AVAILABLE
}
