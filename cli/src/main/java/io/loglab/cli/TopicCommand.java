package io.loglab.cli;

import io.loglab.engine.log.CleanupPolicy;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogFinding;
import io.loglab.engine.log.ReadOnlyLog;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.ReadOnlyDataDir;
import io.loglab.engine.topic.Topic;
import io.loglab.engine.topic.TopicMetadata;
import io.loglab.engine.topic.TopicName;
import io.loglab.broker.wire.RemoteLogClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code loglab topic create|alter|describe}.
 */
@Command(
    name = "topic",
    mixinStandardHelpOptions = true,
    description = "Create, grow and describe topics.",
    subcommands = { TopicCommand.Create.class, TopicCommand.Alter.class, TopicCommand.Describe.class })
final class TopicCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a topic command is required");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic with N partitions.")
    static final class Create implements Callable<Integer>
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        LogSource source;

        @Option(names = "--topic", required = true, description = "Topic name (Kafka's rules: [a-zA-Z0-9._-], " +
            "at most 249 characters).")
        String topic;

        @Option(names = "--partitions", required = true,
            description = "Number of partitions, 1 to " + TopicMetadata.MAX_PARTITIONS + ".")
        int partitions;

        @Option(names = "--segment-bytes", description = "Roll a segment at this size (default: ${DEFAULT-VALUE}).")
        int segmentBytes = LogConfig.SEGMENT_BYTES_DEFAULT;

        @Option(names = "--segment-ms", description = "Roll a segment this old (default: ${DEFAULT-VALUE}).")
        long segmentMs = LogConfig.SEGMENT_MS_DEFAULT;

        @Option(names = "--retention-ms", description = "Delete segments older than this; -1 keeps them " +
            "(default: ${DEFAULT-VALUE}).")
        long retentionMs = LogConfig.RETENTION_MS_DEFAULT;

        @Option(names = "--retention-bytes", description = "Delete the oldest segments beyond this size; -1 for no " +
            "limit (default: ${DEFAULT-VALUE}).")
        long retentionBytes = LogConfig.RETENTION_BYTES_DEFAULT;

        @Option(names = "--flush", description = "every (fsync each write: group commit), interval:MS, or os " +
            "(default: ${DEFAULT-VALUE}).")
        String flush = "os";

        @Option(names = "--cleanup-policy", description = "delete (retention), compact (the latest record of each " +
            "key), or compact,delete (default: ${DEFAULT-VALUE}).")
        String cleanupPolicy = LogConfig.CLEANUP_POLICY_DEFAULT.toString();

        @Option(names = "--replication-factor", description = "Replicas of each partition, with --bootstrap or " +
            "--cluster (default: the brokers' default.replication.factor; a data directory is one replica).")
        int replicationFactor;

        @Option(names = "--min-insync-replicas", description = "The fewest in-sync replicas an acks=all produce is " +
            "taken with, with --bootstrap or --cluster (Kafka's min.insync.replicas; default 1).")
        int minInsyncReplicas;

        @Option(names = "--commit-rule", description = "With --cluster or a loglab --bootstrap: isr (Kafka's " +
            "in-sync set) or majority (a majority's storage; needs --flush every or interval:MS) (default: the " +
            "cluster's).")
        String commitRule;

        private CleanupPolicy cleanupPolicy()
        {
            try
            {
                return CleanupPolicy.parse(cleanupPolicy);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--cleanup-policy: " + ex.getMessage(), ex);
            }
        }

        @Override
        public Integer call() throws Exception
        {
            final LogConfig config = new LogConfig()
                .segmentBytes(segmentBytes)
                .segmentMs(segmentMs)
                .retentionMs(retentionMs)
                .retentionBytes(retentionBytes)
                .flush(flush)
                .cleanupPolicy(cleanupPolicy())
                .conclude();
            // Checked before the directory is opened, so a bad argument leaves no trace.
            TopicName.validate(topic);
            TopicMetadata.checkPartitionCount(partitions);
            if (replicationFactor < 0 || replicationFactor > Short.MAX_VALUE || minInsyncReplicas < 0 ||
                replicationFactor > 0 && minInsyncReplicas > replicationFactor)
            {
                throw new IllegalArgumentException("--replication-factor " + replicationFactor +
                    " and --min-insync-replicas " + minInsyncReplicas + ": each at least 1, and the second at most " +
                    "the first");
            }
            if (commitRule != null && !commitRule.equals("isr") && !commitRule.equals("majority"))
            {
                throw new IllegalArgumentException("--commit-rule " + commitRule + " must be isr or majority");
            }
            if (!source.remote() && (replicationFactor > 1 || minInsyncReplicas > 1 || commitRule != null))
            {
                throw new IllegalArgumentException("--replication-factor and --min-insync-replicas above 1, and " +
                    "--commit-rule, need brokers (--bootstrap or --cluster): a data directory is one replica");
            }
            if (source.remote())
            {
                final Map<String, String> settings = new java.util.TreeMap<>();
                config.toProperties().forEach((name, value) -> settings.put((String)name, (String)value));
                settings.keySet().retainAll(java.util.Set.of(LogConfig.SEGMENT_BYTES_PROP, LogConfig.SEGMENT_MS_PROP,
                    LogConfig.RETENTION_MS_PROP, LogConfig.RETENTION_BYTES_PROP, LogConfig.CLEANUP_POLICY_PROP));
                if (!config.flushPolicy().leftToOs())
                {
                    // loglab's own setting; a Kafka broker refuses it by name.
                    settings.put(LogConfig.FLUSH_POLICY_PROP, config.flushPolicy().toString());
                }
                if (minInsyncReplicas > 0)
                {
                    settings.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
                }
                if (commitRule != null)
                {
                    // loglab's own setting; Apache Kafka refuses it by name.
                    settings.put("commit.rule", commitRule);
                }
                try (RemoteLogClient client = source.client())
                {
                    LogSource.ask(source.bootstrap(), topic, () ->
                    {
                        client.create(topic, partitions, replicationFactor, settings);
                        return null;
                    });
                }
                System.out.println("created topic " + topic + " with " + partitions + " partitions" +
                    (replicationFactor > 0 ? ", replication factor " + replicationFactor : "") + " at " +
                    source.bootstrap() + " (" + settings + ")");
                return 0;
            }
            try (LogManager manager = CliSupport.open(source.dir))
            {
                final Topic created = manager.createTopic(topic, partitions, config);
                System.out.println("created topic " + created.name() + " with " + created.partitionCount() +
                    " partitions in " + created.dir() + " (" + Describe.settings(created.config()) + ")");
            }
            return 0;
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Grow a topic's partition count (it can never shrink).")
    static final class Alter implements Callable<Integer>
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        LogSource source;

        @Option(names = "--topic", required = true, description = "Topic name.")
        String topic;

        @Option(names = "--partitions", required = true,
            description = "New partition count, not below the current and at most " + TopicMetadata.MAX_PARTITIONS +
            ".")
        int partitions;

        @Override
        public Integer call() throws Exception
        {
            TopicMetadata.checkPartitionCount(partitions);
            if (source.remote())
            {
                try (RemoteLogClient client = source.client())
                {
                    LogSource.ask(source.bootstrap(), topic, () ->
                    {
                        client.grow(topic, partitions);
                        return null;
                    });
                }
                System.out.println("topic " + topic + " has " + partitions + " partitions");
                return 0;
            }
            try (LogManager manager = CliSupport.openExisting(source.dir))
            {
                final Topic grown = manager.growPartitions(topic, partitions);
                System.out.println("topic " + grown.name() + " has " + grown.partitionCount() + " partitions");
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = {
            "Show topics, their settings and each partition's offsets, changing nothing: no lock, no write, so it",
            "runs beside a writer. Damaged topics and partitions are named on stderr, and then the exit status is 1."
        })
    static final class Describe implements Callable<Integer>
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        LogSource source;

        @Option(names = "--topic", description = "Only this topic.")
        String topic;

        @Override
        public Integer call() throws Exception
        {
            if (source.remote())
            {
                try (RemoteLogClient client = source.client())
                {
                    final List<String> names = topic == null ? LogSource.ask(source.bootstrap(), "", client::topics) :
                        List.of(topic);
                    for (final String name : names)
                    {
                        final RemoteLogClient.TopicDetail detail =
                            LogSource.ask(source.bootstrap(), name, () -> client.describe(name));
                        System.out.println("topic " + name + " partitions=" + detail.partitions().size() + " " +
                            String.join(" ", detail.settings().entrySet().stream()
                                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList()));
                        for (final RemoteLogClient.PartitionOffsets offsets : detail.partitions())
                        {
                            System.out.println("  partition=" + offsets.partition() + " log-start-offset=" +
                                offsets.logStartOffset() + " log-end-offset=" + offsets.logEndOffset());
                        }
                    }
                }
                return 0;
            }
            try (ReadOnlyDataDir data = ReadOnlyDataDir.open(source.dir))
            {
                boolean damaged = false;
                for (final Map.Entry<String, String> error : data.topicErrors().entrySet())
                {
                    if (topic == null || topic.equals(error.getKey()))
                    {
                        System.err.println("topic " + error.getKey() + " is damaged: " + error.getValue());
                        damaged = true;
                    }
                }
                final List<String> topics = topic == null ? data.topicNames() :
                    data.topicErrors().containsKey(topic) ? List.of() : List.of(topic);
                for (final String name : topics)
                {
                    final TopicMetadata metadata = data.metadata(name);
                    System.out.println("topic " + name + " partitions=" + metadata.partitionCount() + " " +
                        settings(metadata.config()));
                    for (int p = 0; p < metadata.partitionCount(); p++)
                    {
                        damaged |= !describe(p, data.partition(name, p));
                    }
                }
                return damaged ? 1 : 0;
            }
        }

        /**
         * @return false if the partition holds damage a writer would not keep, which is named on stderr.
         */
        private static boolean describe(final int partition, final ReadOnlyLog log)
        {
            System.out.println("  partition=" + partition + " log-start-offset=" + log.logStartOffset() +
                " log-end-offset=" + log.logEndOffset() + " segments=" + log.segmentCount() +
                " bytes=" + log.sizeInBytes());
            boolean sound = true;
            for (final LogFinding finding : log.findings())
            {
                if (finding.kind().isDamage())
                {
                    System.err.println("  partition=" + partition + " damaged: " + finding);
                    sound = false;
                }
            }
            return sound;
        }

        static String settings(final LogConfig config)
        {
            return "segment.bytes=" + config.segmentBytes() + " segment.ms=" + config.segmentMs() +
                " retention.ms=" + config.retentionMs() + " retention.bytes=" + config.retentionBytes() +
                " flush=" + config.flushPolicy() + " cleanup.policy=" + config.cleanupPolicy();
        }
    }
}
