package io.loglab.broker.wire;

import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import io.loglab.engine.topic.TopicMetadata;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.Properties;
import java.util.TreeSet;

/**
 * CreatePartitions (a topic grows, never shrinks) and DescribeConfigs (a topic's log settings, by Kafka's names; the
 * broker has no settings of its own to show yet), with Kafka's errors. A node of a replicated cluster refuses the
 * first.
 */
final class TopicAdminHandler
{
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    /** Kafka's ConfigSource: set on the topic. Every setting is written in a topic's metadata, so all are. */
    private static final byte TOPIC_CONFIG = 1;

    private static final String NOT_IN_A_CLUSTER = "not served by a replicated cluster yet: its controller does not " +
        "grow topics";

    private final LogManager logs;
    /** A node of a replicated cluster: topics grow only by the controller, which does not grow them yet. */
    private final boolean replicated;

    TopicAdminHandler(final LogManager logs, final boolean replicated)
    {
        this.logs = logs;
        this.replicated = replicated;
    }

    CreatePartitionsResponseData createPartitions(final CreatePartitionsRequestData request)
    {
        final CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (final CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics())
        {
            final CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            final Topic existing = Partitions.topic(logs, topic.name());
            if (replicated)
            {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NOT_IN_A_CLUSTER);
                continue;
            }
            if (existing == null)
            {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                continue;
            }
            final int current = existing.partitionCount();
            if (topic.count() <= current || topic.count() > TopicMetadata.MAX_PARTITIONS)
            {
                result.setErrorCode(Errors.INVALID_PARTITIONS.code()).setErrorMessage("topic " + topic.name() +
                    " has " + current + " partitions; it can grow to at most " + TopicMetadata.MAX_PARTITIONS +
                    " but never shrink or stay (asked for " + topic.count() + ")");
                continue;
            }
            if (topic.assignments() != null && !topic.assignments().isEmpty())
            {
                result.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code())
                    .setErrorMessage("replica assignments are not taken: one node holds every partition");
                continue;
            }
            if (request.validateOnly())
            {
                continue;
            }
            try
            {
                logs.growPartitions(topic.name(), topic.count());
            }
            catch (final IOException ex)
            {
                result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(ex.getMessage());
            }
            catch (final IllegalArgumentException | IllegalStateException ex)
            {
                result.setErrorCode(Errors.INVALID_PARTITIONS.code()).setErrorMessage(ex.getMessage());
            }
        }
        return response;
    }

    DescribeConfigsResponseData describeConfigs(final DescribeConfigsRequestData request)
    {
        final DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (final DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources())
        {
            final DescribeConfigsResponseData.DescribeConfigsResult result =
                new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            if (resource.resourceType() == BROKER)
            {
                continue;
            }
            if (resource.resourceType() != TOPIC)
            {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("only topic and broker configs are described");
                continue;
            }
            final Topic topic = Partitions.topic(logs, resource.resourceName());
            if (topic == null)
            {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                continue;
            }
            final Properties settings = topic.config().toProperties();
            for (final String name : new TreeSet<>(settings.stringPropertyNames()))
            {
                if (resource.configurationKeys() == null || resource.configurationKeys().contains(name))
                {
                    result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName(name)
                        .setValue(settings.getProperty(name))
                        .setReadOnly(false)
                        .setConfigSource(TOPIC_CONFIG)
                        .setIsSensitive(false));
                }
            }
        }
        return response;
    }
}
