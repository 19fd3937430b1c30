package io.loglab.broker.wire;

import io.loglab.engine.topic.LogManager;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;

/**
 * InitProducerId for idempotent producers (no transactional id): always a producer id the data directory has never
 * handed out, at epoch 0, as Kafka answers it; an id and epoch the client names are not trusted (that would let any
 * client fence another producer). Transactions are not served.
 */
final class InitProducerIdHandler
{
    private final LogManager logs;

    InitProducerIdHandler(final LogManager logs)
    {
        this.logs = logs;
    }

    InitProducerIdResponseData handle(final InitProducerIdRequestData request)
    {
        final InitProducerIdResponseData response = new InitProducerIdResponseData();
        if (request.transactionalId() != null)
        {
            return response.setErrorCode(Errors.INVALID_REQUEST.code()).setProducerId(-1).setProducerEpoch((short)-1);
        }
        try
        {
            return response.setProducerId(logs.allocateProducerId()).setProducerEpoch((short)0);
        }
        catch (final IOException ex)
        {
            return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setProducerId(-1)
                .setProducerEpoch((short)-1);
        }
    }
}
