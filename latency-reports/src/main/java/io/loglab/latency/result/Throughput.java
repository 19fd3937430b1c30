package io.loglab.latency.result;

/**
 * What a run moved during its measured period (warm-up excluded).
 *
 * @param targetRate         records/s asked for; 0 for closed loop.
 * @param achievedRate       records/s acknowledged over the measured period.
 * @param records            acknowledged during the measured period.
 * @param bytes              record bytes (values and keys) acknowledged during the measured period.
 * @param measuredSeconds    length of the measured period.
 * @param warmupSeconds      length of the warm-up excluded before it.
 * @param mebibytesPerSecond record bytes acknowledged per second, in MiB.
 * @param logBytesPerSecond  bytes acknowledged into the log per second: batches as stored, headers included.
 */
public record Throughput(
    double targetRate,
    double achievedRate,
    long records,
    long bytes,
    double measuredSeconds,
    double warmupSeconds,
    double mebibytesPerSecond,
    double logBytesPerSecond)
{
}
