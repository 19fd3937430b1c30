package io.loglab.cli;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code loglab verify}: read every batch of every partition, changing nothing, and say what state each is in.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Read every batch of every partition (lengths, magic, CRC32C, record framing, contiguous offsets, index",
        "entries) and each topic's metadata, without changing a byte, needing no lock or write permission.",
        "Prints one line per partition: ok, torn-tail (what a crash leaves; the next writer open cuts it) or",
        "DAMAGED (naming file and byte position), then notes and files the engine did not create.",
        "Exit status: 0 when nothing is damaged (torn tails included), 1 when something is."
    })
final class VerifyCommand implements Callable<Integer>
{
    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--topic", description = "Only this topic.")
    String topic;

    private boolean damaged;

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no data directory at " + dir);
        }
        final List<Path> topicDirs = new ArrayList<>();
        if (topic != null)
        {
            final Path topicDir = dir.resolve(topic);
            if (!Files.isRegularFile(topicDir.resolve("topic.properties")))
            {
                throw new IllegalArgumentException("no topic " + topic + " in " + dir);
            }
            topicDirs.add(topicDir);
        }
        else
        {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir, d -> Files.isRegularFile(d.resolve(
                "topic.properties"))))
            {
                dirs.forEach(topicDirs::add);
            }
            topicDirs.sort(null);
        }
        for (final Path topicDir : topicDirs)
        {
            verifyTopic(topicDir);
        }
        return damaged ? 1 : 0;
    }

    private void verifyTopic(final Path topicDir) throws IOException
    {
        final String name = topicDir.getFileName().toString();
        final Properties properties = new Properties();
        final LogConfig config;
        final int partitions;
        try
        {
            properties.load(new StringReader(Files.readString(topicDir.resolve("topic.properties"))));
            partitions = Integer.parseInt(String.valueOf(properties.remove("partitions")).trim());
            config = LogConfig.fromProperties(properties);
        }
        catch (final RuntimeException | IOException ex)
        {
            System.out.println("DAMAGED " + name + ": " + topicDir.resolve("topic.properties") + ": " + ex.getMessage());
            damaged = true;
            return;
        }
        for (int p = 0; p < partitions; p++)
        {
            final Path partitionDir = topicDir.resolve("partition-" + p);
            final String partition = name + "-" + p;
            if (!Files.isDirectory(partitionDir))
            {
                System.out.println("ok " + partition + ": empty (never written)");
                continue;
            }
            final LogVerifier.Result result = LogVerifier.verify(partitionDir, config);
            print(partition, result);
        }
    }

    private void print(final String partition, final LogVerifier.Result result)
    {
        final String summary = result.segments() + " segments, " + result.batches() + " batches, offsets " +
            result.startOffset() + " to " + (result.endOffset() - 1);
        switch (result.status())
        {
            case CLEAN -> System.out.println("ok " + partition + ": " + summary);
            case TORN_TAIL -> System.out.println("torn-tail " + partition + ": " + summary +
                " (a crash left an incomplete last batch; the next writer open cuts it)");
            case DAMAGED ->
            {
                damaged = true;
                final LogFinding first = result.findings().stream().filter(f -> f.kind().isDamage()).findFirst()
                    .orElseThrow();
                System.out.println("DAMAGED " + partition + ": " + first);
            }
        }
        for (final LogFinding finding : result.findings())
        {
            System.out.println("  " + finding.kind().name().toLowerCase().replace('_', '-') + ": " + finding);
        }
        for (final Path foreign : result.foreignFiles())
        {
            System.out.println("  not created by loglab, left alone: " + foreign);
        }
    }
}
