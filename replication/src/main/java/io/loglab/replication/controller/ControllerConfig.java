package io.loglab.replication.controller;

/**
 * The controller's settings.
 *
 * @param nodeTimeoutMs how long a node may go without a heartbeat before it is dead and loses its leaderships (Kafka's
 *                      {@code broker.session.timeout.ms}); a failover takes at least this long.
 */
public record ControllerConfig(long nodeTimeoutMs)
{
    public ControllerConfig
    {
        if (nodeTimeoutMs < 1)
        {
            throw new IllegalArgumentException("node timeout " + nodeTimeoutMs + " ms must be at least 1");
        }
    }
}
