package io.loglab.broker.wire;

/**
 * The broker as Metadata describes it to clients: its node id and the address they should connect to.
 */
public record BrokerAddress(int nodeId, String host, int port)
{
}
