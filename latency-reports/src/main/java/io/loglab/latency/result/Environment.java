package io.loglab.latency.result;

import java.util.Map;

/**
 * Where a suite ran: enough to tell two reports' machines and builds apart.
 */
public record Environment(
    String cpuModel,
    int cores,
    long memoryBytes,
    String os,
    String jvm,
    String jvmFlags,
    String gitCommit,
    String date,
    Map<String, String> settings)
{
}
