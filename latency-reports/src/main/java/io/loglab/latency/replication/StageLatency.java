package io.loglab.latency.replication;

/**
 * One stage of the path an acks=all batch takes, over the measured batches, in microseconds.
 *
 * @param samples batches (times followers, for a follower's stages) the stage was matched for.
 */
public record StageLatency(String stage, long samples, double p50Micros, double p99Micros, double p999Micros)
{
}
