package io.loglab.replication.controller;

/**
 * The controller's settings.
 *
 * @param nodeTimeoutMs   how long a node may go without a heartbeat before it is dead and loses its leaderships
 *                        (Kafka's {@code broker.session.timeout.ms}); a failover takes at least this long.
 * @param newTermGraceMs  after the controller's own failover, how long a node that was alive has to reach the new
 *                        controller with a heartbeat before it is dead: its sessions reconnect within a few of its
 *                        heartbeat intervals, and one that died with the old controller's node should not wait out a
 *                        whole node timeout more. At most the node timeout.
 */
public record ControllerConfig(long nodeTimeoutMs, long newTermGraceMs)
{
    /** The grace a new term gives by default, if the node timeout is longer: seven heartbeat intervals of 100 ms. */
    public static final long NEW_TERM_GRACE_MS_DEFAULT = 700;

    public ControllerConfig
    {
        if (nodeTimeoutMs < 1)
        {
            throw new IllegalArgumentException("node timeout " + nodeTimeoutMs + " ms must be at least 1");
        }
        if (newTermGraceMs < 1 || newTermGraceMs > nodeTimeoutMs)
        {
            throw new IllegalArgumentException("new term grace " + newTermGraceMs + " ms must be 1 to the node " +
                "timeout " + nodeTimeoutMs + " ms");
        }
    }

    /**
     * With the default grace after a new term, or the node timeout if that is shorter.
     */
    public ControllerConfig(final long nodeTimeoutMs)
    {
        this(nodeTimeoutMs, Math.min(Math.max(1, nodeTimeoutMs), NEW_TERM_GRACE_MS_DEFAULT));
    }
}
