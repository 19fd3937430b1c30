package io.loglab.cli;

import io.loglab.broker.cluster.ClusterNode;
import io.loglab.broker.cluster.NodeConfig;
import io.loglab.engine.stat.CountersFile;
import io.loglab.replication.node.ReplicaCounters;
import io.loglab.replication.node.ReplicaStatus;
import io.loglab.replication.quorum.ControllerMember;
import io.loglab.replication.replica.CommitRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code loglab cluster start|status|kill|restart|stop}: a local cluster of nodes, each in a JVM of its own, talking
 * Aeron UDP and Kafka's protocol on loopback ({@link ClusterDirectory} lays out its directory).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "A local replicated cluster: each node (`loglab node`) in a JVM of its own on loopback.",
    subcommands = {
        ClusterCommand.Start.class,
        ClusterCommand.Status.class,
        ClusterCommand.Kill.class,
        ClusterCommand.Restart.class,
        ClusterCommand.Stop.class,
    })
final class ClusterCommand implements Runnable
{
    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a cluster command is required: start, status, kill, restart or stop");
    }

    /**
     * {@code --dir}: a cluster {@code cluster start} laid out.
     */
    static final class ExistingCluster
    {
        @Option(names = "--dir", required = true, description = "The cluster's directory.")
        Path dir;

        ClusterDirectory cluster()
        {
            final ClusterDirectory cluster = new ClusterDirectory(dir);
            if (!cluster.exists())
            {
                throw new IllegalArgumentException("no cluster in " + dir + ": `loglab cluster start --dir " + dir +
                    "` makes one");
            }
            return cluster;
        }
    }

    /**
     * {@code --dir} and a node of that cluster.
     */
    static final class ClusterNodeArgument
    {
        @Mixin
        ExistingCluster existing;

        @Parameters(index = "0", description = "The node's id.")
        int node;

        ClusterDirectory cluster()
        {
            final ClusterDirectory cluster = existing.cluster();
            if (!cluster.nodes().contains(node))
            {
                throw new IllegalArgumentException("node " + node + " is not one of the cluster's " +
                    cluster.nodes());
            }
            return cluster;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = {
        "Start a cluster of --nodes nodes under --dir, each in a JVM of its own, and wait until every one takes",
        "Kafka connections; then print the bootstrap servers. Node K's Kafka listener is on BASE+K-1, its replica",
        "UDP port BASE+100+K-1, and nodes 1 to 3 host the controller quorum (one member with fewer than three",
        "nodes) from BASE+200. A directory holding a stopped cluster starts it again as it was (--base-port and",
        "--commit-rule, if given, must be what it was laid out with); one holding anything else is refused. If a",
        "node does not start, the ones started are stopped again."})
    static final class Start implements Callable<Integer>
    {
        @picocli.CommandLine.Spec
        private picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", required = true, description = "The cluster's directory (made if missing).")
        Path dir;

        @Option(names = "--nodes", defaultValue = "3", description = "Nodes, 1 to 9 (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--base-port", defaultValue = "19092",
            description = "The first port (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--commit-rule", defaultValue = "isr", description = "Of a topic made without one: isr " +
            "(Kafka's) or majority (Raft's) (default: ${DEFAULT-VALUE}).")
        String commitRule;

        @Override
        public Integer call() throws Exception
        {
            if (nodes < 1 || nodes > 9)
            {
                throw new IllegalArgumentException("--nodes " + nodes + " must be 1 to 9");
            }
            if (basePort < 1024 || basePort > 65_000)
            {
                throw new IllegalArgumentException("--base-port " + basePort + " must be 1024 to 65000");
            }
            final CommitRule rule = switch (commitRule)
            {
                case "isr" -> CommitRule.ISR;
                case "majority" -> CommitRule.MAJORITY;
                default -> throw new IllegalArgumentException("--commit-rule " + commitRule + " must be isr or " +
                    "majority");
            };
            final ClusterDirectory cluster = new ClusterDirectory(dir);
            if (cluster.exists())
            {
                if (cluster.nodes().size() != nodes)
                {
                    throw new IllegalArgumentException(dir + " holds a cluster of " + cluster.nodes().size() +
                        " nodes, not " + nodes);
                }
                final NodeConfig first = cluster.config(1);
                if (given("--base-port") && first.self().kafkaPort() != basePort ||
                    given("--commit-rule") && first.commitRule() != rule)
                {
                    throw new IllegalArgumentException(dir + " holds a cluster laid out from base port " +
                        first.self().kafkaPort() + " with commit rule " + first.commitRule().name().toLowerCase() +
                        ": start it as it was (without --base-port and --commit-rule), or make another directory");
                }
                for (final int node : cluster.nodes())
                {
                    if (cluster.process(node).isPresent())
                    {
                        throw new IllegalArgumentException("node " + node + " of " + dir + " is running already");
                    }
                }
                System.err.println("starting the cluster in " + dir + " again");
            }
            else
            {
                try (var entries = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty())
                {
                    if (entries.findAny().isPresent())
                    {
                        throw new IllegalArgumentException(dir + " holds files that are not a loglab cluster's: " +
                            "give an empty or new directory");
                    }
                }
                cluster.layOut(nodes, basePort, rule);
            }
            final List<ProcessHandle> started = new ArrayList<>();
            try
            {
                for (final int node : cluster.nodes())
                {
                    final ProcessHandle process = cluster.launch(node);
                    started.add(process);
                    System.err.println("node " + node + ": started, pid " + process.pid() + ", Kafka on " +
                        ClusterDirectory.HOST + ":" + cluster.config(node).self().kafkaPort());
                }
            }
            catch (final Exception ex)
            {
                // No half-started cluster is left behind: the nodes started are stopped (their logs closed cleanly).
                ClusterDirectory.stop(started);
                throw ex;
            }
            System.out.println("bootstrap.servers=" + cluster.bootstrapServers());
            return 0;
        }

        private boolean given(final String option)
        {
            return spec.commandLine().getParseResult().hasMatchedOption(option);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
        "Print each node (running or down, and the role of the controller member it hosts) and one line per",
        "partition: the leader, its epoch, in-sync set and high watermark as the leader has them, and each replica's",
        "log end offset. Reads each node's counters files and changes nothing."})
    static final class Status implements Callable<Integer>
    {
        @Mixin
        ExistingCluster existing;

        @Override
        public Integer call() throws Exception
        {
            final ClusterDirectory cluster = existing.cluster();
            final Map<String, Map<Integer, ReplicaCounters.Row>> partitions = new TreeMap<>();
            final List<Integer> running = new ArrayList<>();
            for (final int node : cluster.nodes())
            {
                final NodeConfig config = cluster.config(node);
                final Optional<ProcessHandle> process = cluster.process(node);
                final String controller = process.isEmpty() ? "" : ControllerMember.role(
                    ClusterNode.controllerDir(config.dataDir())).map(role -> " controller=" +
                    role.name().toLowerCase()).orElse("");
                System.out.println("node " + node + " " + (process.isPresent() ? "running pid=" +
                    process.get().pid() : "down") + " kafka=" + config.self().host() + ":" +
                    config.self().kafkaPort() + controller);
                if (process.isEmpty())
                {
                    continue;
                }
                running.add(node);
                try
                {
                    for (final ReplicaCounters.Row row : CountersFile.read(ClusterNode.logsDir(config.dataDir()),
                        snapshot -> ReplicaCounters.read(snapshot.counters())))
                    {
                        partitions.computeIfAbsent(row.topic() + "-" + row.partition(), k -> new TreeMap<>())
                            .put(node, row);
                    }
                }
                catch (final NoSuchFileException notYet)
                {
                    // A node just started has no counters yet.
                }
            }
            partitions.forEach((partition, rows) -> System.out.println(line(partition, rows, cluster.nodes(),
                running)));
            return 0;
        }

        private static String line(final String partition, final Map<Integer, ReplicaCounters.Row> rows,
            final List<Integer> nodes, final List<Integer> running)
        {
            final ReplicaCounters.Row leader = rows.values().stream()
                .filter(row -> row.role() == ReplicaStatus.Role.LEADER)
                .max((a, b) -> Integer.compare(a.leaderEpoch(), b.leaderEpoch())).orElse(null);
            final String leo = nodes.stream().map(node -> node + "=" + (!running.contains(node) ? "down" :
                rows.containsKey(node) ? String.valueOf(rows.get(node).logEndOffset()) : "-"))
                .collect(Collectors.joining(" "));
            if (leader == null)
            {
                return partition + " leader=none leo: " + leo;
            }
            return partition + " leader=" + leader.leaderId() + " epoch=" + leader.leaderEpoch() + " isr=" +
                Arrays.toString(leader.isr()).replace(" ", "") + " hw=" + leader.highWatermark() + " leo: " + leo;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Kill a node's JVM with SIGKILL, as a crash: nothing is flushed or closed.")
    static final class Kill implements Callable<Integer>
    {
        @Mixin
        ClusterNodeArgument target;

        @Override
        public Integer call() throws Exception
        {
            final int node = target.node;
            final ProcessHandle process = target.cluster().process(node).orElseThrow(() ->
                new IllegalArgumentException("node " + node + " is not running"));
            process.destroyForcibly();
            process.onExit().get(30, TimeUnit.SECONDS);
            System.out.println("node " + node + ": killed (SIGKILL), pid " + process.pid());
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Start a node that is down again on its directory, and wait until it takes Kafka connections.")
    static final class Restart implements Callable<Integer>
    {
        @Mixin
        ClusterNodeArgument target;

        @Override
        public Integer call() throws Exception
        {
            final int node = target.node;
            final ClusterDirectory cluster = target.cluster();
            if (cluster.process(node).isPresent())
            {
                throw new IllegalArgumentException("node " + node + " is running: `cluster kill` or `cluster stop` " +
                    "it first");
            }
            System.out.println("node " + node + ": started again, pid " + cluster.launch(node).pid());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop every running node with SIGTERM (each closes its logs cleanly) and wait for them.")
    static final class Stop implements Callable<Integer>
    {
        @Mixin
        ExistingCluster existing;

        @Override
        public Integer call() throws Exception
        {
            final ClusterDirectory cluster = existing.cluster();
            final List<ProcessHandle> stopping = new ArrayList<>();
            for (final int node : cluster.nodes())
            {
                cluster.process(node).ifPresent(stopping::add);
            }
            ClusterDirectory.stop(stopping);
            System.out.println("stopped " + stopping.size() + " node(s)");
            return 0;
        }
    }
}
