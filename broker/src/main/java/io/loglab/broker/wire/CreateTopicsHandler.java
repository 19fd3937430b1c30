package io.loglab.broker.wire;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.TopicMetadata;
import io.loglab.engine.topic.TopicName;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.Properties;

/**
 * CreateTopics on one node: every check first (name, partition count, replication factor 1, the configs as log
 * settings), each failure answered with Kafka's error for it, then the topic is created (unless validate-only).
 * Kafka's defaults stand in for what a request leaves out: one partition, replication factor 1.
 */
final class CreateTopicsHandler
{
    private static final int DEFAULT_PARTITIONS = 1;
    private static final short REPLICATION_FACTOR = 1;
    private static final int DEFAULT = -1;

    private final LogManager logs;

    CreateTopicsHandler(final LogManager logs)
    {
        this.logs = logs;
    }

    CreateTopicsResponseData handle(final CreateTopicsRequestData request)
    {
        final CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (final CreateTopicsRequestData.CreatableTopic topic : request.topics())
        {
            response.topics().add(create(topic, request.validateOnly()));
        }
        return response;
    }

    private CreateTopicsResponseData.CreatableTopicResult create(
        final CreateTopicsRequestData.CreatableTopic topic, final boolean validateOnly)
    {
        final CreateTopicsResponseData.CreatableTopicResult result =
            new CreateTopicsResponseData.CreatableTopicResult().setName(topic.name());
        final int partitions = topic.numPartitions() == DEFAULT ? DEFAULT_PARTITIONS : topic.numPartitions();
        try
        {
            TopicName.validate(topic.name());
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(result, Errors.INVALID_TOPIC_EXCEPTION, ex.getMessage());
        }
        if (logs.hasTopic(topic.name()) || logs.topicErrors().containsKey(topic.name()))
        {
            return fail(result, Errors.TOPIC_ALREADY_EXISTS, "topic " + topic.name() + " already exists");
        }
        if (OffsetsTopic.isInternal(topic.name()))
        {
            return fail(result, Errors.INVALID_REQUEST, "creation of internal topic " + topic.name() +
                " is prohibited: the broker creates it for the first group");
        }
        if (!topic.assignments().isEmpty())
        {
            return fail(result, Errors.INVALID_REQUEST,
                "replica assignments are not taken: one node holds every partition");
        }
        if (partitions < 1 || partitions > TopicMetadata.MAX_PARTITIONS)
        {
            return fail(result, Errors.INVALID_PARTITIONS,
                "partitions=" + partitions + ": must be 1 to " + TopicMetadata.MAX_PARTITIONS);
        }
        if (topic.replicationFactor() != DEFAULT && topic.replicationFactor() != REPLICATION_FACTOR)
        {
            return fail(result, Errors.INVALID_REPLICATION_FACTOR,
                "replication factor " + topic.replicationFactor() + ": this broker is one node, so it can only be 1");
        }
        final LogConfig config;
        try
        {
            final Properties settings = new Properties();
            topic.configs().forEach(setting -> settings.setProperty(setting.name(), String.valueOf(setting.value())));
            config = LogConfig.fromProperties(settings);
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(result, Errors.INVALID_CONFIG, ex.getMessage());
        }
        result.setNumPartitions(partitions).setReplicationFactor(REPLICATION_FACTOR);
        if (validateOnly)
        {
            return result;
        }
        try
        {
            return result.setTopicId(Partitions.kafkaId(logs.createTopic(topic.name(), partitions, config).topicId()));
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(result, Errors.INVALID_REQUEST, ex.getMessage());
        }
        catch (final IOException ex)
        {
            return fail(result, Errors.KAFKA_STORAGE_ERROR, ex.getMessage());
        }
    }

    private static CreateTopicsResponseData.CreatableTopicResult fail(
        final CreateTopicsResponseData.CreatableTopicResult result, final Errors error, final String message)
    {
        return result.setErrorCode(error.code()).setErrorMessage(message).setNumPartitions(DEFAULT)
            .setReplicationFactor((short)DEFAULT);
    }
}
