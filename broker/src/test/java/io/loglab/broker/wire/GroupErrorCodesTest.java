package io.loglab.broker.wire;

import io.loglab.broker.group.GroupError;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every answer the coordinator can give has Kafka's error code of the same name.
 */
class GroupErrorCodesTest
{
    @Test
    void shouldMapEveryGroupErrorToTheKafkaErrorOfItsName()
    {
        for (final GroupError error : GroupError.values())
        {
            assertEquals(error.name(), GroupMembershipHandler.error(error).name());
        }
        assertEquals(Errors.NONE, GroupMembershipHandler.error(GroupError.NONE));
        assertEquals(79, GroupMembershipHandler.error(GroupError.MEMBER_ID_REQUIRED).code());
    }
}
