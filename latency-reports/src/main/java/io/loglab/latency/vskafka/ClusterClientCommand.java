package io.loglab.latency.vskafka;

import io.loglab.broker.cluster.EmbeddedBrokers;
import io.loglab.latency.result.LatencySummary;
import io.loglab.latency.result.Spread;
import io.loglab.replication.cluster.ClusterContext;
import io.loglab.replication.cluster.LocalController;
import io.loglab.replication.controller.ControllerConfig;
import io.loglab.replication.replica.CommitRule;
import io.loglab.replication.replica.ReplicaConfig;
import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code loglab-bench replication-client}: replication through Kafka's own Java client, the way an application meets
 * it: three loglab brokers on an embedded cluster in this JVM (Aeron UDP between the nodes on loopback, Kafka's
 * protocol to the client), a fresh cluster for each run, and the vs-kafka driver's workloads at replication factor
 * 1 and 3. Writes OUT/replication-client-&lt;timestamp&gt;/summary.md with each figure's median and range.
 */
@Command(name = "replication-client", mixinStandardHelpOptions = true,
    description = "Measure replication factor 1 and 3 through Kafka's Java client against three loglab brokers on " +
        "an embedded cluster (fixed-rate acks=all latency, corrected for coordinated omission, and max throughput).")
public final class ClusterClientCommand implements Callable<Integer>
{
    private static final int NODES = 3;

    @Option(names = "--repeat", description = "Runs of each workload, interleaved (default: ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Option(names = "--quick", description = "A few seconds per workload, for a first look.")
    boolean quick;

    @Option(names = "--out", description = "Parent directory of the report (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("latency-reports", "out");

    @Option(names = "--bootstrap", description = "Run against these running brokers (HOST:PORT,...; three or more, " +
        "such as `loglab cluster start` gives) instead of a fresh embedded cluster per run.")
    String bootstrap;

    @Override
    public Integer call() throws Exception
    {
        if (repeat < 1)
        {
            throw new IllegalArgumentException("--repeat must be at least 1, was " + repeat);
        }
        final List<Workload> workloads = Workload.clusterSuite(quick);
        final KafkaDriver driver = new KafkaDriver();
        final Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        final int total = workloads.size() * repeat;
        int done = 0;
        for (int repetition = 1; repetition <= repeat; repetition++)
        {
            for (final Workload workload : workloads)
            {
                System.err.printf("replication-client [%d/%d] %s, repetition %d (%d s)...%n", ++done, total,
                    workload.name(), repetition, workload.warmupSeconds() + workload.durationSeconds());
                final Measurement run = bootstrap != null ?
                    driver.run("loglab", bootstrap, workload, repetition, false) :
                    runOnFreshCluster(driver, workload, repetition);
                System.err.printf("  %.0f records/s, ack p50 %.0f us p99 %.0f us, end-to-end p99 %.0f us%s%n",
                    run.recordsPerSecond(), run.ack().p50(), run.ack().p99(), run.endToEnd().p99(),
                    run.problems().isEmpty() ? "" : "; " + String.join("; ", run.problems()));
                measured.computeIfAbsent(workload.name(), name -> new ArrayList<>()).add(run);
            }
        }
        final Path dir = out.resolve("replication-client-" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        final Path summary = dir.resolve("summary.md");
        Files.writeString(summary, markdown(workloads, measured, bootstrap));
        System.out.println("report: " + summary);
        return 0;
    }

    private static Measurement runOnFreshCluster(final KafkaDriver driver, final Workload workload,
        final int repetition) throws Exception
    {
        final Path dir = Files.createTempDirectory("loglab-replication-client");
        try (EmbeddedBrokers brokers = new EmbeddedBrokers(new ClusterContext().dir(dir).nodeCount(NODES)
            .controller(new LocalController(new ControllerConfig(5_000), SystemEpochClock.INSTANCE,
                Throwable::printStackTrace))
            .replicaConfig(new ReplicaConfig(CommitRule.ISR, 1, 10_000, 1024 * 1024, 50, 300))))
        {
            return driver.run("loglab", brokers.bootstrapServers(), workload, repetition, false);
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static String markdown(final List<Workload> workloads, final Map<String, List<Measurement>> measured,
        final String bootstrap) throws IOException
    {
        final StringBuilder text = new StringBuilder("# Replication through Kafka's Java client\n\n");
        text.append(bootstrap == null ? "Three loglab brokers on an embedded cluster in one JVM (Aeron UDP between " +
            "nodes on loopback, SHARED media driver, ISR commit, flush left to the OS), Kafka's Java client " +
            KafkaDriver.clientVersion() + " in the same JVM, a fresh cluster for each run" : "The running brokers " +
            bootstrap + ", Kafka's Java client " + KafkaDriver.clientVersion() + " in a JVM of its own, the topics " +
            "of earlier runs left in place")
            .append("; topics of ")
            .append("3 partitions, min.insync.replicas 2 at replication factor 3. Latency is from each record's ")
            .append("intended send time on a fixed schedule (corrected for coordinated omission). Medians ")
            .append("(min–max) of the repetitions, in microseconds.\n\n");
        text.append("| workload | records/s | ack p50 | ack p99 | ack p99.9 | ack max | end-to-end p99 | runs | " +
            "problems |\n|---|---|---|---|---|---|---|---|---|\n");
        for (final Workload workload : workloads)
        {
            final List<Measurement> runs = measured.get(workload.name());
            text.append("| ").append(workload.name())
                .append(" | ").append(spread(runs, Measurement::recordsPerSecond))
                .append(" | ").append(spread(runs, run -> run.ack().p50()))
                .append(" | ").append(spread(runs, run -> run.ack().p99()))
                .append(" | ").append(spread(runs, run -> run.ack().p999()))
                .append(" | ").append(spread(runs, run -> run.ack().max()))
                .append(" | ").append(spread(runs, run -> run.endToEnd().p99()))
                .append(" | ").append(runs.size())
                .append(" | ").append(String.join("; ", runs.stream().flatMap(run -> run.problems().stream())
                    .distinct().toList()))
                .append(" |\n");
        }
        text.append("\nEach run: ").append(workloads.get(0).warmupSeconds()).append(" s warm-up, ")
            .append(workloads.get(0).durationSeconds()).append(" s measured; producer settings as vs-kafka's ")
            .append("(batch.size, linger.ms in the workload; idempotence with acks=all). Latency unit: ")
            .append(LatencySummary.UNIT).append(".\n");
        return text.toString();
    }

    private static String spread(final List<Measurement> runs, final ToDoubleFunction<Measurement> figure)
    {
        return Spread.of(runs.stream().mapToDouble(figure).toArray()).text(v -> String.format("%,.0f", v));
    }
}
