package io.loglab.broker.group;

/**
 * An offset a group committed for one partition: the next record it will consume there.
 *
 * @param leaderEpoch the epoch of the last record consumed, or -1 when the client did not say.
 * @param metadata    the client's string, "" for none.
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs)
{
}
