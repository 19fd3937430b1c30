package io.loglab.broker.wire;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Who asked what: the API, its version and the correlation id the response must carry, and the client's id and host
 * (a group shows them for each member).
 */
record RequestContext(ApiKeys api, short version, int correlationId, String clientId, String clientHost)
{
}
