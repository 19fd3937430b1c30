package io.loglab.broker.group;

/**
 * One assignment protocol a member can use ("range", "cooperative-sticky", ...) with its opaque subscription.
 */
public record Protocol(String name, byte[] metadata)
{
}
