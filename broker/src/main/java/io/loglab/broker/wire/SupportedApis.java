package io.loglab.broker.wire;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.EnumMap;
import java.util.Map;

/**
 * The APIs and versions the broker implements, and so advertises: exactly these, nothing more. Produce is advertised
 * from v0, as Kafka 4.x does, because librdkafka turns compression off unless it sees v0; v0 to v2 are then refused
 * as Kafka refuses them (the connection is closed). Produce and Fetch stop at v12, and OffsetCommit and OffsetFetch
 * at v9: above, requests name topics by id only, which Metadata (from v10) gives clients but these paths do not
 * look up yet.
 */
final class SupportedApis
{
    private record Range(short advertisedMin, short acceptedMin, short max)
    {
    }

    private static final Map<ApiKeys, Range> RANGES = new EnumMap<>(ApiKeys.class);

    static
    {
        RANGES.put(ApiKeys.PRODUCE, new Range((short)0, (short)3, (short)12));
        RANGES.put(ApiKeys.FETCH, new Range((short)4, (short)4, (short)12));
        RANGES.put(ApiKeys.LIST_OFFSETS, new Range((short)1, (short)1, (short)7));
        RANGES.put(ApiKeys.METADATA, new Range((short)0, (short)0, (short)12));
        RANGES.put(ApiKeys.API_VERSIONS, new Range((short)0, (short)0, (short)4));
        RANGES.put(ApiKeys.CREATE_TOPICS, new Range((short)2, (short)2, (short)7));
        RANGES.put(ApiKeys.INIT_PRODUCER_ID, new Range((short)0, (short)0, (short)5));
        RANGES.put(ApiKeys.CREATE_PARTITIONS, new Range((short)0, (short)0, (short)3));
        // v6 may name topics by id only; names are all this broker has.
        RANGES.put(ApiKeys.DELETE_TOPICS, new Range((short)1, (short)1, (short)5));
        RANGES.put(ApiKeys.DESCRIBE_CONFIGS, new Range((short)1, (short)1, (short)4));
        RANGES.put(ApiKeys.FIND_COORDINATOR, new Range((short)0, (short)0, (short)6));
        RANGES.put(ApiKeys.JOIN_GROUP, new Range((short)0, (short)0, (short)9));
        RANGES.put(ApiKeys.SYNC_GROUP, new Range((short)0, (short)0, (short)5));
        RANGES.put(ApiKeys.HEARTBEAT, new Range((short)0, (short)0, (short)4));
        RANGES.put(ApiKeys.LEAVE_GROUP, new Range((short)0, (short)0, (short)5));
        // v10 names topics by id.
        RANGES.put(ApiKeys.OFFSET_COMMIT, new Range((short)2, (short)2, (short)9));
        RANGES.put(ApiKeys.OFFSET_FETCH, new Range((short)1, (short)1, (short)9));
        RANGES.put(ApiKeys.LIST_GROUPS, new Range((short)0, (short)0, (short)5));
        // v6 answers an unknown group GROUP_ID_NOT_FOUND instead of describing it as Dead.
        RANGES.put(ApiKeys.DESCRIBE_GROUPS, new Range((short)0, (short)0, (short)5));
        RANGES.put(ApiKeys.DELETE_GROUPS, new Range((short)0, (short)0, (short)2));
        RANGES.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new Range((short)0, (short)0, (short)1));
    }

    private SupportedApis()
    {
    }

    /**
     * Whether a request of this API and version is served; anything else closes the connection.
     */
    static boolean accepts(final ApiKeys api, final short version)
    {
        final Range range = RANGES.get(api);
        return range != null && version >= range.acceptedMin() && version <= range.max();
    }

    /**
     * Every API served, at some version.
     */
    static java.util.Set<ApiKeys> served()
    {
        return java.util.Collections.unmodifiableSet(RANGES.keySet());
    }

    /**
     * The highest ApiVersions version served, for the answer to an ApiVersions request of a newer one.
     */
    static short maxApiVersionsVersion()
    {
        return RANGES.get(ApiKeys.API_VERSIONS).max();
    }

    static ApiVersionsResponseData.ApiVersionCollection advertised()
    {
        final ApiVersionsResponseData.ApiVersionCollection versions =
            new ApiVersionsResponseData.ApiVersionCollection();
        RANGES.forEach((api, range) -> versions.add(new ApiVersionsResponseData.ApiVersion()
            .setApiKey(api.id)
            .setMinVersion(range.advertisedMin())
            .setMaxVersion(range.max())));
        return versions;
    }
}
