package io.loglab.cli;

import io.loglab.broker.cluster.NodeConfig;
import io.loglab.broker.group.GroupConfig;
import io.loglab.replication.replica.CommitRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input to {@code loglab cluster} and {@code loglab node}: exit 2, an error naming what was wrong, and nothing
 * written where nothing should be. No node is started.
 */
class ClusterCommandTest
{
    @TempDir
    Path tmp;

    private final CliCapture cli = new CliCapture();

    @AfterEach
    void restore()
    {
        cli.restore();
    }

    private static long entries(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.count();
        }
    }

    @Test
    void shouldRefuseBadArgumentsToStartAndLeaveNoTrace() throws IOException
    {
        final Path dir = tmp.resolve("c");
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--nodes", "0"));
        assertTrue(cli.err().contains("--nodes 0 must be 1 to 9"), cli.err());
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--base-port", "80"));
        assertTrue(cli.err().contains("--base-port 80"), cli.err());
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--commit-rule", "quorum"));
        assertTrue(cli.err().contains("--commit-rule quorum must be isr or majority"), cli.err());
        assertFalse(Files.exists(dir), "nothing made for a refused start");
    }

    @Test
    void shouldRefuseADirectoryHoldingOtherFiles() throws IOException
    {
        final Path dir = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString()));
        assertTrue(cli.err().contains("holds files that are not a loglab cluster's"), cli.err());
        assertEquals(2, entries(dir), "the directory and its one file, untouched");
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void shouldRefuseToStartAClusterAgainOtherwiseThanItWasLaidOut() throws IOException
    {
        final Path dir = tmp.resolve("c");
        final Path nodeDir = Files.createDirectories(dir.resolve("node-1"));
        final NodeConfig laidOut = new NodeConfig(1, nodeDir, List.of(new NodeConfig.NodeAddress(1,
            ClusterDirectory.HOST, 30_000, 30_100)), List.of(new NodeConfig.MemberAddress(1, ClusterDirectory.HOST,
            30_200)), 1, CommitRule.ISR, 10_000, 1_500, 1, new GroupConfig().conclude());
        laidOut.write(nodeDir.resolve("node.properties"));
        final String before = Files.readString(nodeDir.resolve("node.properties"));
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--nodes", "1", "--base-port", "31000"));
        assertTrue(cli.err().contains("laid out from base port 30000 with commit rule isr"), cli.err());
        assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--nodes", "1", "--commit-rule",
            "majority"));
        assertTrue(cli.err().contains("start it as it was"), cli.err());
        assertEquals(before, Files.readString(nodeDir.resolve("node.properties")), "its layout untouched");
    }

    @Test
    void shouldRefuseAPortInUseBeforeWritingAnything() throws IOException
    {
        final Path dir = tmp.resolve("c");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(ClusterDirectory.HOST)))
        {
            assertEquals(2, cli.run("cluster", "start", "--dir", dir.toString(), "--nodes", "1", "--base-port",
                String.valueOf(taken.getLocalPort())));
            assertTrue(cli.err().contains("TCP port " + taken.getLocalPort()), cli.err());
        }
        assertFalse(Files.exists(dir.resolve("node-1")), "no node laid out");
    }

    @Test
    void shouldRefuseCommandsOnADirectoryWithNoCluster()
    {
        final String dir = tmp.toString();
        for (final String[] command : new String[][] {
            {"cluster", "status", "--dir", dir}, {"cluster", "stop", "--dir", dir},
            {"cluster", "kill", "--dir", dir, "1"}, {"cluster", "restart", "--dir", dir, "1"}})
        {
            assertEquals(2, cli.run(command), String.join(" ", command));
            assertTrue(cli.err().contains("no cluster in " + dir), cli.err());
        }
        assertEquals(2, cli.run("topic", "create", "--cluster", dir, "--topic", "t", "--partitions", "1"));
        assertTrue(cli.err().contains("--cluster " + dir + ": no cluster there"), cli.err());
    }

    @Test
    void shouldNameTheSettingANodeConfigGetsWrong() throws IOException
    {
        final Path config = tmp.resolve("node.properties");
        Files.writeString(config, "node.id=4\ndata.dir=" + tmp.resolve("n") + "\nnodes=1@127.0.0.1:19092:19192\n" +
            "controller.quorum=1@127.0.0.1:19292\n");
        assertEquals(2, cli.run("node", "--config", config.toString()));
        assertTrue(cli.err().contains("node.id=4 is not valid: must be one of nodes"), cli.err());
        Files.writeString(config, "node.id=1\ndata.dir=" + tmp.resolve("n") + "\nnodes=1@127.0.0.1:19092\n" +
            "controller.quorum=1@127.0.0.1:19292\n");
        assertEquals(2, cli.run("node", "--config", config.toString()));
        assertTrue(cli.err().contains("nodes: entry '1@127.0.0.1:19092' is not id@host:port:port"), cli.err());
        Files.writeString(config, "node.id=1\ndata.dir=" + tmp.resolve("n") + "\nnodes=1@127.0.0.1:19092:19192\n" +
            "controller.quorum=1@127.0.0.1:19292\nreplica.lag.ms=5\n");
        assertEquals(2, cli.run("node", "--config", config.toString()));
        assertTrue(cli.err().contains("unknown setting replica.lag.ms"), cli.err());
        assertEquals(2, cli.run("node", "--config", tmp.resolve("missing").toString()));
        assertTrue(cli.err().contains("no node config at"), cli.err());
        assertFalse(Files.exists(tmp.resolve("n")), "no data directory made for a refused config");
    }
}
