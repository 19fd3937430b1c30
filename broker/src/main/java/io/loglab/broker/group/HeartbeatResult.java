package io.loglab.broker.group;

/**
 * The coordinator's answer to a ConsumerGroupHeartbeat.
 *
 * @param message    why, when {@code error} is not NONE; else null.
 * @param assignment the member's partitions, or null when the member already knows them.
 */
public record HeartbeatResult(
    GroupError error,
    String message,
    String memberId,
    int memberEpoch,
    int heartbeatIntervalMs,
    Assignment assignment)
{
    static HeartbeatResult failed(final GroupError error, final String message)
    {
        return new HeartbeatResult(error, message, null, 0, 0, null);
    }
}
