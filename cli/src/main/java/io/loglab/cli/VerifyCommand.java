package io.loglab.cli;

import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.LogVerifier;
import io.loglab.engine.topic.ReadOnlyDataDir;
import io.loglab.engine.topic.TopicMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
        "DAMAGED (naming file and byte position), then what a writer's open would do, and the files the engine",
        "did not create (left alone).",
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
        try (ReadOnlyDataDir data = ReadOnlyDataDir.open(dir))
        {
            if (topic != null && !data.topicNames().contains(topic) && !data.topicErrors().containsKey(topic))
            {
                data.metadata(topic);
            }
            for (final Map.Entry<String, String> error : data.topicErrors().entrySet())
            {
                if (topic == null || topic.equals(error.getKey()))
                {
                    System.out.println("DAMAGED " + error.getKey() + ": " + error.getValue());
                    damaged = true;
                }
            }
            for (final String name : data.topicNames())
            {
                if (topic == null || topic.equals(name))
                {
                    verifyTopic(data, name);
                }
            }
            if (topic == null)
            {
                data.foreignEntries().forEach(VerifyCommand::printForeign);
            }
        }
        return damaged ? 1 : 0;
    }

    private void verifyTopic(final ReadOnlyDataDir data, final String name) throws IOException
    {
        final TopicMetadata metadata = data.metadata(name);
        for (int p = 0; p < metadata.partitionCount(); p++)
        {
            final Path partitionDir = data.partitionDir(name, p);
            if (!Files.exists(partitionDir))
            {
                System.out.println("ok " + name + "-" + p + ": empty (never written)");
                continue;
            }
            print(name + "-" + p, LogVerifier.verify(partitionDir, metadata.config()));
        }
        data.foreignEntries(name).forEach(VerifyCommand::printForeign);
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
            System.out.println("  " + finding.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " +
                finding);
        }
        result.foreignFiles().forEach(VerifyCommand::printForeign);
    }

    private static void printForeign(final Path entry)
    {
        System.out.println("  not created by loglab, left alone: " + entry);
    }
}
