package io.loglab.cli;

import io.loglab.broker.cluster.NodeConfig;
import io.loglab.broker.group.GroupConfig;
import io.loglab.replication.replica.CommitRule;
import io.loglab.transport.aeron.LoopbackPorts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A local cluster's directory, as {@code loglab cluster} lays it out and the one home of that layout: for node K,
 * {@code node-K/node.properties} (its {@link NodeConfig}), {@code node-K/node.pid} (the process running it),
 * {@code node-K/node.log} (its output) and its data under {@code node-K}; {@code lib} holds the copy of the jar the
 * nodes run. Ports come from a base port: node K's Kafka
 * listener at BASE+K-1, its replica UDP port at BASE+100+K-1, its controller member's five UDP ports from
 * BASE+200+10(K-1). Up to three nodes host the controller quorum's members.
 */
final class ClusterDirectory
{
    static final String HOST = "127.0.0.1";
    private static final String CONFIG = "node.properties";
    private static final String PID = "node.pid";
    private static final String LOG = "node.log";
    private static final long START_TIMEOUT_MS = 90_000;
    private static final long STOP_TIMEOUT_S = 60;
    /** Each node's heap and collector: Kafka's broker defaults (kafka-run-class.sh), so side-by-side runs match. */
    private static final List<String> JVM_MEMORY = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20");
    /** What Agrona and Aeron need of the JDK: the jar's manifest grants it (cli/pom.xml), a class path does not. */
    private static final List<String> JVM_ACCESS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED");

    private final Path dir;

    ClusterDirectory(final Path dir)
    {
        this.dir = dir;
    }

    Path nodeDir(final int node)
    {
        return dir.resolve("node-" + node);
    }

    /**
     * Whether the directory holds a cluster {@code loglab cluster start} laid out.
     */
    boolean exists()
    {
        return Files.isRegularFile(nodeDir(1).resolve(CONFIG));
    }

    /**
     * The node ids laid out, in order.
     */
    List<Integer> nodes()
    {
        final List<Integer> nodes = new ArrayList<>();
        for (int node = 1; Files.isRegularFile(nodeDir(node).resolve(CONFIG)); node++)
        {
            nodes.add(node);
        }
        return nodes;
    }

    NodeConfig config(final int node) throws IOException
    {
        return NodeConfig.read(nodeDir(node).resolve(CONFIG));
    }

    /**
     * Lay out {@code count} nodes' configs from {@code basePort}, checking every port is free first.
     */
    void layOut(final int count, final int basePort, final CommitRule commitRule) throws IOException
    {
        final List<NodeConfig.NodeAddress> nodes = new ArrayList<>();
        final List<NodeConfig.MemberAddress> quorum = new ArrayList<>();
        for (int node = 1; node <= count; node++)
        {
            nodes.add(new NodeConfig.NodeAddress(node, HOST, basePort + node - 1, basePort + 100 + node - 1));
            if (node <= 3 && (count >= 3 || node == 1))
            {
                quorum.add(new NodeConfig.MemberAddress(node, HOST, basePort + 200 + 10 * (node - 1)));
            }
        }
        for (final NodeConfig.NodeAddress node : nodes)
        {
            requireFree(node.kafkaPort(), false);
            requireFree(node.replicaPort(), true);
        }
        for (final NodeConfig.MemberAddress member : quorum)
        {
            for (int port = member.firstPort(); port < member.firstPort() + NodeConfig.CONTROLLER_PORTS; port++)
            {
                requireFree(port, true);
            }
        }
        for (final NodeConfig.NodeAddress node : nodes)
        {
            Files.createDirectories(nodeDir(node.id()));
            new NodeConfig(node.id(), nodeDir(node.id()).toAbsolutePath(), nodes, quorum, Math.min(3, count),
                commitRule, 10_000, 1_500, 1, new GroupConfig().conclude()).write(nodeDir(node.id()).resolve(CONFIG));
        }
    }

    private static void requireFree(final int port, final boolean udp)
    {
        if (port > 65_535)
        {
            throw new IllegalArgumentException("port " + port + " is past 65535: give a lower --base-port");
        }
        if (!LoopbackPorts.isFree(port, udp))
        {
            throw new IllegalArgumentException((udp ? "UDP" : "TCP") + " port " + port + " on " + HOST +
                " is in use: give another --base-port");
        }
    }

    /**
     * Stop {@code processes} with SIGTERM (each node closes its logs cleanly) and wait for each; one that has not
     * stopped within a minute is killed, and said so on stderr.
     */
    static void stop(final List<ProcessHandle> processes) throws InterruptedException, ExecutionException
    {
        processes.forEach(ProcessHandle::destroy);
        for (final ProcessHandle process : processes)
        {
            try
            {
                process.onExit().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                System.err.println("pid " + process.pid() + " did not stop within " + STOP_TIMEOUT_S +
                    " s; killing it");
                process.destroyForcibly();
            }
        }
    }

    /**
     * The process running node {@code node}, if it is alive.
     */
    Optional<ProcessHandle> process(final int node) throws IOException
    {
        final Path pidFile = nodeDir(node).resolve(PID);
        if (!Files.isRegularFile(pidFile))
        {
            return Optional.empty();
        }
        final long pid;
        try
        {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        }
        catch (final NumberFormatException ex)
        {
            return Optional.empty();
        }
        // A pid the system gave again to another process is not the node: only one running its config counts.
        final String config = nodeDir(node).resolve(CONFIG).toAbsolutePath().toString();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .filter(handle -> handle.info().commandLine().map(line -> line.contains(config)).orElse(false));
    }

    /**
     * Start node {@code node} in a JVM of its own (this one's Java and class path), its output appended to its log,
     * and wait until its Kafka listener takes connections.
     *
     * @throws IllegalStateException with the end of its log if it exits or does not listen in time.
     */
    ProcessHandle launch(final int node) throws IOException, InterruptedException
    {
        final NodeConfig config = config(node);
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Path log = nodeDir(node).resolve(LOG);
        final List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_MEMORY);
        command.addAll(JVM_ACCESS);
        command.addAll(List.of("-cp", classPath(), LoglabCli.class.getName(), "node",
            "--config", nodeDir(node).resolve(CONFIG).toAbsolutePath().toString()));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
        Files.writeString(nodeDir(node).resolve(PID), process.pid() + "\n");
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!listens(config.self().kafkaPort()))
        {
            if (!process.isAlive() || System.currentTimeMillis() > deadline)
            {
                process.destroyForcibly();
                throw new IllegalStateException("node " + node + " did not start" + (process.isAlive() ? " within " +
                    START_TIMEOUT_MS / 1000 + " s" : " (exit " + process.waitFor() + ")") + "; the end of " + log +
                    ":\n" + tail(log));
            }
            Thread.sleep(50);
        }
        return process.toHandle();
    }

    /**
     * This JVM's class path; loglab's jar alone is copied into the cluster's directory first (once per build of it), so
     * rebuilding the jar never changes the classes under a running node.
     */
    private String classPath() throws IOException
    {
        final Path classPath = Path.of(System.getProperty("java.class.path"));
        if (!classPath.getFileName().toString().startsWith("loglab-cli") || !Files.isRegularFile(classPath))
        {
            return classPath.toString();
        }
        final Path copy = dir.resolve("lib").resolve(classPath.getFileName().toString().replace(".jar", "-" +
            Files.getLastModifiedTime(classPath).toMillis() + ".jar"));
        if (!Files.isRegularFile(copy))
        {
            Files.createDirectories(copy.getParent());
            final Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
            Files.copy(classPath, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return copy.toString();
    }

    private static boolean listens(final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        }
        catch (final IOException notYet)
        {
            return false;
        }
    }

    private static String tail(final Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream()
            .collect(Collectors.joining("\n"));
    }

    /**
     * Kafka's {@code bootstrap.servers} for every node.
     */
    String bootstrapServers() throws IOException
    {
        return config(1).nodes().stream().map(node -> node.host() + ":" + node.kafkaPort())
            .collect(Collectors.joining(","));
    }
}
