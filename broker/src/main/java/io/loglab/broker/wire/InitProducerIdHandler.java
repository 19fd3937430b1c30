package io.loglab.broker.wire;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;

/**
 * InitProducerId for idempotent producers (no transactional id): always a producer id no broker of the cluster has
 * handed out ({@link Placement#newProducerId}), at epoch 0, as Kafka answers it; an id and epoch the client names are
 * not trusted (that would let any client fence another producer). Transactions are not served.
 */
final class InitProducerIdHandler
{
    private final Placement placement;

    InitProducerIdHandler(final Placement placement)
    {
        this.placement = placement;
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
            return response.setProducerId(placement.newProducerId()).setProducerEpoch((short)0);
        }
        catch (final IOException ex)
        {
            return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setProducerId(-1)
                .setProducerEpoch((short)-1);
        }
    }
}
