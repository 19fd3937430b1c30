package io.loglab.latency.vskafka;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code loglab-bench vs-kafka}: the same workloads against two running Kafka-protocol brokers, loglab's and Apache
 * Kafka's, in one run (scripts/bench.sh vs-kafka starts both).
 */
@Command(name = "vs-kafka", mixinStandardHelpOptions = true,
    description = "Run the comparison workloads with Kafka's Java client against a loglab broker and an Apache " +
        "Kafka broker, interleaved, and write OUT/vs-kafka-<timestamp>/ (report.html, summary.md, summary.json).")
public final class VsKafkaCommand implements Callable<Integer>
{
    @Option(names = "--loglab", required = true, description = "The loglab broker(s), HOST:PORT[,HOST:PORT...].")
    String loglab;

    @Option(names = "--kafka", required = true, description = "The Apache Kafka broker(s), HOST:PORT[,HOST:PORT...].")
    String kafka;

    @Option(names = "--suite", description = "single (one broker each: produce and consume at full speed, " +
        "fixed-rate latency) or cluster (three brokers each: replication factor 1 and 3, acks 1 and all) " +
        "(default: ${DEFAULT-VALUE}).")
    String suite = "single";

    @Option(names = "--loglab-setup", description = "How the loglab broker runs, for the report.")
    String loglabSetup = "as started by the caller";

    @Option(names = "--kafka-setup", description = "How Kafka runs, for the report.")
    String kafkaSetup = "as started by the caller";

    @Option(names = "--repeat", description = "Runs of each workload on each system (default: ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Option(names = "--quick", description = "A few seconds per workload, for a first look.")
    boolean quick;

    @Option(names = "--only", split = ",", description = "Run only these workloads (names, comma-separated).")
    List<String> only;

    @Option(names = "--kafka-libs", description = "An Apache Kafka installation's jars: run its " +
        "ProducerPerformance, ConsumerPerformance and EndToEndLatency against both too.")
    Path kafkaLibs;

    @Option(names = "--kafka-log4j", description = "log4j2 configuration for those tools.")
    Path kafkaLog4j;

    @Option(names = "--tool-records", description = "Records ProducerPerformance sends (default: ${DEFAULT-VALUE}).")
    long toolRecords = 500_000;

    @Option(names = "--out", description = "Parent directory of the report (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("latency-reports", "out");

    @Override
    public Integer call() throws Exception
    {
        if (repeat < 1)
        {
            throw new IllegalArgumentException("--repeat must be at least 1, was " + repeat);
        }
        if (kafkaLibs != null && !Files.isDirectory(kafkaLibs))
        {
            throw new IllegalArgumentException("--kafka-libs " + kafkaLibs + " is not a directory");
        }
        if (!suite.equals("single") && !suite.equals("cluster"))
        {
            throw new IllegalArgumentException("--suite " + suite + " is not single or cluster");
        }
        final List<Workload> workloads = Workload.suite(suite, quick).stream()
            .filter(workload -> only == null || only.contains(workload.name())).toList();
        if (only != null && workloads.size() != only.size())
        {
            throw new IllegalArgumentException("--only " + String.join(",", only) + ": the workloads are " +
                String.join(", ", Workload.suite(suite, quick).stream().map(Workload::name).toList()));
        }
        final VsKafkaRunner.KafkaToolsSpec tools = kafkaLibs == null ? null :
            new VsKafkaRunner.KafkaToolsSpec(kafkaLibs, kafkaLog4j, toolRecords, 100);
        final VsKafkaResult result = new VsKafkaRunner(System.err).run(List.of(
            new VsKafkaRunner.Target(VsKafkaReport.LOGLAB, loglab, loglabSetup),
            new VsKafkaRunner.Target(VsKafkaReport.KAFKA, kafka, kafkaSetup)), suite, workloads, repeat, tools);
        final Path dir = out.resolve((suite.equals("single") ? "vs-kafka-" : "vs-kafka-cluster-") +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        final Path html = VsKafkaReport.write(result, dir);
        System.out.println("report: " + html);
        return 0;
    }
}
