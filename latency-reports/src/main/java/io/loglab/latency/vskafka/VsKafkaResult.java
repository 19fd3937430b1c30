package io.loglab.latency.vskafka;

import io.loglab.latency.result.Environment;

import java.util.List;
import java.util.Map;

/**
 * A side-by-side run: where it ran, what each system is and how it was set up, every workload, every measurement
 * (each workload against each system, repetitions interleaved), and Kafka's own tools' figures.
 *
 * @param systems system name to its bootstrap address and a description of how it ran (version, heap, flush).
 */
public record VsKafkaResult(
    Environment environment,
    Map<String, String> systems,
    List<Workload> workloads,
    int repeat,
    List<Measurement> measurements,
    List<KafkaTools.ToolRun> tools)
{
    public VsKafkaResult
    {
        systems = Map.copyOf(systems);
        workloads = List.copyOf(workloads);
        measurements = List.copyOf(measurements);
        tools = List.copyOf(tools);
    }
}
