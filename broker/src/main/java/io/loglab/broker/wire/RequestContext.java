package io.loglab.broker.wire;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Who asked what: the API, its version and the correlation id the response must carry.
 */
record RequestContext(ApiKeys api, short version, int correlationId)
{
}
