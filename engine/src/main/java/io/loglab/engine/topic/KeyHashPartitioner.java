package io.loglab.engine.topic;

import org.agrona.DirectBuffer;

/**
 * Kafka's default partitioning: a keyed record goes to {@code toPositive(murmur2(key)) % partitionCount}; a record
 * with a null key goes where the null-key partitioner says.
 */
public final class KeyHashPartitioner implements Partitioner
{
    private final Partitioner nullKeyPartitioner;

    public KeyHashPartitioner(final Partitioner nullKeyPartitioner)
    {
        this.nullKeyPartitioner = nullKeyPartitioner;
    }

    @Override
    public int partition(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength, final int count)
    {
        if (keyBuffer == null)
        {
            return nullKeyPartitioner.partition(null, 0, 0, count);
        }
        return Murmur2.toPositive(Murmur2.hash(keyBuffer, keyOffset, keyLength)) % count;
    }

    @Override
    public void onBatchComplete(final int partition, final int partitionCount)
    {
        nullKeyPartitioner.onBatchComplete(partition, partitionCount);
    }
}
