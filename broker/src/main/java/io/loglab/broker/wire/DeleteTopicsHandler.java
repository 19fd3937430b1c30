package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * DeleteTopics, by name (topic ids are not taken yet): a name given twice is INVALID_REQUEST, a topic that does not
 * exist UNKNOWN_TOPIC_OR_PARTITION, and the offsets topic is refused; the rest go to the {@link Placement}: deleted
 * at once on one node, by the controller on a cluster, where the answer waits, within the request's timeout, until
 * this broker's Metadata names the topic no more.
 */
final class DeleteTopicsHandler
{
    private final Placement placement;
    private final SocketTransferChannel channel;
    private final Runnable wakeup;

    private static final class Deletion
    {
        private final DeleteTopicsResponseData.DeletableTopicResult result;
        private CompletableFuture<Placement.Refusal> deleted;

        private Deletion(final String name)
        {
            this.result = new DeleteTopicsResponseData.DeletableTopicResult().setName(name);
        }
    }

    DeleteTopicsHandler(final Placement placement, final SocketTransferChannel channel, final Runnable wakeup)
    {
        this.placement = placement;
        this.channel = channel;
        this.wakeup = wakeup;
    }

    Response handle(final RequestContext context, final DeleteTopicsRequestData request, final long nowNs)
    {
        final List<String> names = new ArrayList<>(request.topicNames());
        request.topics().forEach(topic -> names.add(topic.name()));
        final List<Deletion> deletions = new ArrayList<>();
        for (final String name : names)
        {
            final Deletion deletion = new Deletion(name);
            deletions.add(deletion);
            if (names.indexOf(name) != names.lastIndexOf(name))
            {
                // As Kafka answers: a name given twice is refused, each time.
                deletion.result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("topic " + name + " is named more than once");
            }
            else if (placement.topic(name) == null)
            {
                deletion.result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            else if (OffsetsTopic.isInternal(name))
            {
                deletion.result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("the internal topic " + name + " holds the groups' offsets: it is not deleted");
            }
            else
            {
                deletion.deleted = placement.deleteTopic(name);
                deletion.deleted.whenComplete((refusal, failure) -> wakeup.run());
            }
        }
        final long deadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.timeoutMs()));
        return KafkaResponse.when(channel, context,
            () -> deletions.stream().allMatch(deletion -> isAnswered(deletion, System.nanoTime() - deadlineNs >= 0)),
            () ->
            {
                final DeleteTopicsResponseData response = new DeleteTopicsResponseData();
                deletions.forEach(deletion -> response.responses().add(deletion.result));
                return response;
            });
    }

    /**
     * Whether the topic is deleted and gone from this broker's Metadata, or refused; past the deadline, one still
     * being deleted is answered REQUEST_TIMED_OUT (it may yet go).
     */
    private boolean isAnswered(final Deletion deletion, final boolean pastDeadline)
    {
        if (deletion.deleted == null)
        {
            return true;
        }
        final Placement.Refusal refusal = deletion.deleted.getNow(null);
        if (deletion.deleted.isDone() && refusal != null)
        {
            deletion.result.setErrorCode(refusal.error().code()).setErrorMessage(refusal.message());
            deletion.deleted = null;
            return true;
        }
        if (deletion.deleted.isDone() && placement.topic(deletion.result.name()) == null)
        {
            deletion.deleted = null;
            return true;
        }
        if (pastDeadline)
        {
            deletion.result.setErrorCode(Errors.REQUEST_TIMED_OUT.code()).setErrorMessage("topic " +
                deletion.result.name() + " was not " + (deletion.deleted.isDone() ? "gone from this broker" :
                "deleted by the controller") + " within the request's timeout");
            deletion.deleted = null;
            return true;
        }
        return false;
    }
}
