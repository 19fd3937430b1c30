package io.loglab.latency.vskafka;

import io.loglab.latency.report.EnvironmentProbe;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every workload against every system through the same {@link KafkaDriver}, interleaved (workload A on loglab,
 * A on Kafka, B on loglab, ...; then the next repetition, with the systems' order reversed, so neither always runs
 * right after the other's heavy run), so drift in a noisy machine falls on both alike; then Kafka's own tools
 * against each, when their jars are given. Before each run it waits for the page cache's dirty bytes to be written
 * back ({@link Writeback}): a max-throughput run leaves gigabytes behind, and the write-back would otherwise stall
 * whichever run comes next.
 */
public final class VsKafkaRunner
{
    /** A system under test: its name, bootstrap address, and how it runs (for the report). */
    public record Target(String name, String bootstrap, String description)
    {
    }

    private final PrintStream progress;
    private final KafkaDriver driver = new KafkaDriver();

    public VsKafkaRunner(final PrintStream progress)
    {
        this.progress = progress;
    }

    /**
     * @param suite the workloads' suite, for the report.
     * @param tools Kafka's tools to run as a second opinion, or null to skip them.
     */
    public VsKafkaResult run(final List<Target> systems, final String suite, final List<Workload> workloads,
        final int repeat, final KafkaToolsSpec tools) throws Exception
    {
        final List<Measurement> measurements = new ArrayList<>();
        final int total = systems.size() * workloads.size() * repeat;
        int done = 0;
        for (int repetition = 1; repetition <= repeat; repetition++)
        {
            final List<Target> order = new ArrayList<>(systems);
            if (repetition % 2 == 0)
            {
                Collections.reverse(order);
            }
            for (final Workload workload : workloads)
            {
                for (final Target system : order)
                {
                    Writeback.await(progress);
                    progress.printf("vs-kafka [%d/%d] %s on %s, repetition %d (%d s)...%n", ++done, total,
                        workload.name(), system.name(), repetition,
                        workload.warmupSeconds() + workload.durationSeconds());
                    final Measurement measured = driver.run(system.name(), system.bootstrap(), workload, repetition);
                    progress.printf("  %.0f records/s, ack p99 %.0f us, end-to-end p99 %.0f us, consume %.0f " +
                        "records/s%s%n", measured.recordsPerSecond(), measured.ack().p99(), measured.endToEnd().p99(),
                        measured.consumeRecordsPerSecond(),
                        measured.problems().isEmpty() ? "" : "; " + String.join("; ", measured.problems()));
                    measurements.add(measured);
                }
            }
        }
        final List<KafkaTools.ToolRun> toolRuns = new ArrayList<>();
        if (tools != null)
        {
            final KafkaTools kafkaTools = new KafkaTools(tools.libs(), tools.log4jConfig());
            for (final Target system : systems)
            {
                progress.printf("vs-kafka: Kafka's ProducerPerformance, ConsumerPerformance and EndToEndLatency on " +
                    "%s...%n", system.name());
                toolRuns.addAll(kafkaTools.run(system.name(), system.bootstrap(), tools.records(),
                    tools.recordSize()));
            }
        }
        final Map<String, String> described = new LinkedHashMap<>();
        systems.forEach(system -> described.put(system.name(), system.bootstrap() + ": " + system.description()));
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("suite", suite.equals("single") ? "vs-kafka" : "vs-kafka-" + suite);
        settings.put("repeat", Integer.toString(repeat));
        return new VsKafkaResult(EnvironmentProbe.probe(settings), described, workloads, repeat, measurements,
            toolRuns);
    }

    /**
     * Where Kafka's tools are and what they run: {@code records} records of {@code recordSize} bytes, acks=all.
     */
    public record KafkaToolsSpec(Path libs, Path log4jConfig, long records,
        int recordSize)
    {
    }
}
