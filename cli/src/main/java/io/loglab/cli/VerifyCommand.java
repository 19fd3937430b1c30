package io.loglab.cli;

import io.loglab.engine.log.Corruption;
import io.loglab.engine.log.LogVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code loglab verify}: read every batch of every partition and report the first damage in each.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Read every batch of every partition (lengths, magic, CRC32C, record framing, contiguous offsets, index",
        "entries) without changing anything. Prints one line per partition and exits 1 naming the file and byte",
        "position of the first damage found."
    })
final class VerifyCommand implements Callable<Integer>
{
    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--topic", description = "Only this topic.")
    String topic;

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

        final LogVerifier verifier = new LogVerifier();
        final List<Corruption> damage = new ArrayList<>();
        for (final Path topicDir : topicDirs)
        {
            final List<Path> partitionDirs = new ArrayList<>();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(topicDir, "partition-*"))
            {
                dirs.forEach(partitionDirs::add);
            }
            partitionDirs.sort((a, b) -> Integer.compare(partitionNumber(a), partitionNumber(b)));
            for (final Path partitionDir : partitionDirs)
            {
                final int before = damage.size();
                final LogVerifier.Summary summary = verifier.verifyPartition(partitionDir, damage);
                final String name = topicDir.getFileName() + "-" + partitionNumber(partitionDir);
                if (damage.size() == before)
                {
                    System.out.println("ok " + name + ": " + summary.segments() + " segments, " + summary.batches() +
                        " batches, offsets " + summary.startOffset() + " to " + (summary.endOffset() - 1));
                }
                else
                {
                    System.out.println("DAMAGED " + name + ": " + damage.get(damage.size() - 1));
                }
            }
        }
        if (!damage.isEmpty())
        {
            System.err.println("first damage: " + damage.get(0));
            return 1;
        }
        return 0;
    }

    private static int partitionNumber(final Path partitionDir)
    {
        final String name = partitionDir.getFileName().toString();
        try
        {
            return Integer.parseInt(name.substring("partition-".length()));
        }
        catch (final NumberFormatException ex)
        {
            return Integer.MAX_VALUE;
        }
    }
}
