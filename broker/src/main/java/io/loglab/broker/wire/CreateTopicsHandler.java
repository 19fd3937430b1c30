package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.TopicMetadata;
import io.loglab.engine.topic.TopicName;
import io.loglab.replication.replica.CommitRule;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CreateTopics: every check first (name, partition count, replication factor, the configs as log settings, and
 * among them {@code min.insync.replicas} and loglab's {@code commit.rule} as the replicas' settings; majority needs a
 * flush policy that puts records on storage), each failure answered with Kafka's error for it,
 * then the {@link Placement} makes the topic (unless validate-only): at once on one node, by the controller in a
 * cluster. The answer waits, within the request's timeout, until this broker's Metadata shows every partition led,
 * so a client that produces next finds its leaders. Kafka's defaults stand in for what a request leaves out: one
 * partition, the placement's replication factor, {@code min.insync.replicas=1}.
 */
final class CreateTopicsHandler
{
    static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    /** loglab's own: when a replicated topic's records are committed, {@code isr} (Kafka's) or {@code majority}. */
    static final String COMMIT_RULE = "commit.rule";
    private static final int DEFAULT_PARTITIONS = 1;
    private static final int DEFAULT = -1;

    private final LogManager logs;
    private final Placement placement;
    private final SocketTransferChannel channel;
    private final Runnable wakeup;

    private static final class Creation
    {
        private final CreateTopicsResponseData.CreatableTopicResult result;
        private CompletableFuture<Placement.Refusal> made;

        private Creation(final CreateTopicsResponseData.CreatableTopicResult result)
        {
            this.result = result;
        }
    }

    CreateTopicsHandler(final LogManager logs, final Placement placement, final SocketTransferChannel channel,
        final Runnable wakeup)
    {
        this.logs = logs;
        this.placement = placement;
        this.channel = channel;
        this.wakeup = wakeup;
    }

    Response handle(final RequestContext context, final CreateTopicsRequestData request, final long nowNs)
    {
        final List<Creation> creations = new ArrayList<>();
        for (final CreateTopicsRequestData.CreatableTopic topic : request.topics())
        {
            creations.add(create(topic, request.validateOnly()));
        }
        final long deadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.timeoutMs()));
        return KafkaResponse.when(channel, context,
            () -> creations.stream().allMatch(creation -> isAnswered(creation, System.nanoTime() - deadlineNs >= 0)),
            () ->
            {
                final CreateTopicsResponseData response = new CreateTopicsResponseData();
                creations.forEach(creation -> response.topics().add(creation.result));
                return response;
            });
    }

    /**
     * Whether the topic is made and led here, or refused; past the deadline, one still being made is answered
     * REQUEST_TIMED_OUT (it may yet be made).
     */
    private boolean isAnswered(final Creation creation, final boolean pastDeadline)
    {
        if (creation.made == null)
        {
            return true;
        }
        final Placement.Refusal refusal = creation.made.getNow(null);
        if (creation.made.isDone() && refusal != null)
        {
            fail(creation.result, refusal.error(), refusal.message());
            creation.made = null;
            return true;
        }
        final Placement.PlacedTopic made = creation.made.isDone() ? placement.topic(creation.result.name()) : null;
        if (made != null && isLed(made))
        {
            creation.result.setTopicId(Partitions.kafkaId(made.topicId()));
            creation.made = null;
            return true;
        }
        if (pastDeadline)
        {
            fail(creation.result, Errors.REQUEST_TIMED_OUT, "topic " + creation.result.name() + " was not " +
                (creation.made.isDone() ? "led on every partition" : "made") + " within the request's timeout");
            creation.made = null;
            return true;
        }
        return false;
    }

    private boolean isLed(final Placement.PlacedTopic topic)
    {
        for (int p = 0; p < topic.partitionCount(); p++)
        {
            final Placement.Leadership leadership = placement.leadership(topic.name(), p);
            if (leadership == null || leadership.leader() == Placement.Leadership.NO_LEADER)
            {
                return false;
            }
        }
        return true;
    }

    private Creation create(final CreateTopicsRequestData.CreatableTopic topic, final boolean validateOnly)
    {
        final Creation creation = new Creation(
            new CreateTopicsResponseData.CreatableTopicResult().setName(topic.name()));
        final CreateTopicsResponseData.CreatableTopicResult result = creation.result;
        final int partitions = topic.numPartitions() == DEFAULT ? DEFAULT_PARTITIONS : topic.numPartitions();
        final int replicationFactor = topic.replicationFactor() == DEFAULT ? placement.defaultReplicationFactor() :
            topic.replicationFactor();
        try
        {
            TopicName.validate(topic.name());
        }
        catch (final IllegalArgumentException ex)
        {
            fail(result, Errors.INVALID_TOPIC_EXCEPTION, ex.getMessage());
            return creation;
        }
        if (placement.topic(topic.name()) != null || logs.topicErrors().containsKey(topic.name()))
        {
            fail(result, Errors.TOPIC_ALREADY_EXISTS, "topic " + topic.name() + " already exists");
            return creation;
        }
        if (OffsetsTopic.isInternal(topic.name()))
        {
            fail(result, Errors.INVALID_REQUEST, "creation of internal topic " + topic.name() +
                " is prohibited: the broker creates it for the first group");
            return creation;
        }
        if (!topic.assignments().isEmpty())
        {
            fail(result, Errors.INVALID_REQUEST, "replica assignments are not taken: the placement spreads replicas");
            return creation;
        }
        if (partitions < 1 || partitions > TopicMetadata.MAX_PARTITIONS)
        {
            fail(result, Errors.INVALID_PARTITIONS,
                "partitions=" + partitions + ": must be 1 to " + TopicMetadata.MAX_PARTITIONS);
            return creation;
        }
        if (replicationFactor < 1 || replicationFactor > placement.brokers().size())
        {
            fail(result, Errors.INVALID_REPLICATION_FACTOR, "replication factor " + replicationFactor +
                ": must be 1 to the " + placement.brokers().size() + " broker(s) of this cluster");
            return creation;
        }
        final Properties settings = new Properties();
        topic.configs().forEach(setting -> settings.setProperty(setting.name(), String.valueOf(setting.value())));
        final int minInsyncReplicas;
        final CommitRule commitRule;
        final LogConfig config;
        try
        {
            minInsyncReplicas = minInsyncReplicas(settings.remove(MIN_INSYNC_REPLICAS), replicationFactor);
            commitRule = commitRule(settings.remove(COMMIT_RULE), placement.defaultCommitRule());
            config = LogConfig.fromProperties(settings);
            if (commitRule == CommitRule.MAJORITY && config.flushPolicy().leftToOs())
            {
                throw new IllegalArgumentException(COMMIT_RULE + "=majority counts only what a majority has on " +
                    "storage: it needs " + LogConfig.FLUSH_POLICY_PROP + "=every or interval:MS, not os");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            fail(result, Errors.INVALID_CONFIG, ex.getMessage());
            return creation;
        }
        result.setNumPartitions(partitions).setReplicationFactor((short)replicationFactor);
        if (!validateOnly)
        {
            creation.made = placement.createTopic(topic.name(), partitions, replicationFactor, minInsyncReplicas,
                commitRule, config);
            creation.made.whenComplete((refusal, failure) -> wakeup.run());
        }
        return creation;
    }

    private static int minInsyncReplicas(final Object setting, final int replicationFactor)
    {
        if (setting == null)
        {
            return 1;
        }
        final int value;
        try
        {
            value = Integer.parseInt(setting.toString().trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + "=" + setting + " is not a whole number");
        }
        if (value < 1 || value > replicationFactor)
        {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + "=" + value + " must be 1 to the replication " +
                "factor " + replicationFactor);
        }
        return value;
    }

    /**
     * The topic's commit rule: as set, or the placement's default.
     */
    private static CommitRule commitRule(final Object setting, final CommitRule defaultRule)
    {
        if (setting == null)
        {
            return defaultRule;
        }
        return switch (setting.toString().trim())
        {
            case "isr" -> CommitRule.ISR;
            case "majority" -> CommitRule.MAJORITY;
            default -> throw new IllegalArgumentException(COMMIT_RULE + "=" + setting + " is not valid: must be isr " +
                "(Kafka's in-sync set) or majority");
        };
    }

    private static void fail(
        final CreateTopicsResponseData.CreatableTopicResult result, final Errors error, final String message)
    {
        result.setErrorCode(error.code()).setErrorMessage(message).setNumPartitions(DEFAULT)
            .setReplicationFactor((short)DEFAULT);
    }
}
