package io.loglab.engine.topic;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionerTest
{
    private static List<byte[]> randomKeys()
    {
        final Random random = new Random(20_240_601L);
        final List<byte[]> keys = new ArrayList<>();
        for (int length = 0; length <= 64; length++)
        {
            for (int i = 0; i < 40; i++)
            {
                final byte[] key = new byte[length];
                random.nextBytes(key);
                keys.add(key);
            }
        }
        keys.add("".getBytes(StandardCharsets.UTF_8));
        keys.add("a".getBytes(StandardCharsets.UTF_8));
        keys.add("order-12345".getBytes(StandardCharsets.UTF_8));
        keys.add("ключ".getBytes(StandardCharsets.UTF_8));
        keys.add(new byte[] {(byte)0xFF, (byte)0xFF, (byte)0xFF});
        keys.add(new byte[] {(byte)0x80, 0, 0, (byte)0x80, 1});
        return keys;
    }

    /**
     * {@code key} at a non-zero offset of a larger buffer, with junk around it.
     */
    private static UnsafeBuffer embedded(final byte[] key, final int offset)
    {
        final byte[] array = new byte[key.length + offset + 7];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = (byte)(0xC3 + i);
        }
        System.arraycopy(key, 0, array, offset, key.length);
        return new UnsafeBuffer(array);
    }

    @Test
    void shouldEqualKafkaMurmur2WhenHashingRandomKeys()
    {
        for (final byte[] key : randomKeys())
        {
            final int expected = Utils.murmur2(key);
            assertEquals(expected, Murmur2.hash(new UnsafeBuffer(key), 0, key.length), "key length " + key.length);
            assertEquals(expected, Murmur2.hash(embedded(key, 5), 5, key.length), "key at offset 5");
        }
    }

    @Test
    void shouldEqualKafkaToPositiveWhenValueIsNegative()
    {
        for (final int value : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, -123_456, 0x80000001})
        {
            assertEquals(Utils.toPositive(value), Murmur2.toPositive(value), "value " + value);
            assertTrue(Murmur2.toPositive(value) >= 0);
        }
    }

    @Test
    void shouldPickKafkaPartitionWhenKeyIsNotNull()
    {
        final KeyHashPartitioner partitioner = new KeyHashPartitioner(new RoundRobinPartitioner());
        for (final byte[] key : randomKeys())
        {
            final UnsafeBuffer buffer = embedded(key, 3);
            for (int partitions = 1; partitions <= 50; partitions++)
            {
                final int expected = Utils.toPositive(Utils.murmur2(key)) % partitions;
                final int actual = partitioner.partition(buffer, 3, key.length, partitions);
                assertEquals(expected, actual, "partitions " + partitions);
                assertEquals(BuiltInPartitioner.partitionForKey(key, partitions), actual, "partitions " + partitions);
            }
        }
    }

    @Test
    void shouldUseNullKeyPartitionerWhenKeyIsNull()
    {
        final KeyHashPartitioner partitioner = new KeyHashPartitioner(new RoundRobinPartitioner());
        final UnsafeBuffer key = new UnsafeBuffer("fixed-key".getBytes(StandardCharsets.UTF_8));
        final int keyed = partitioner.partition(key, 0, key.capacity(), 4);
        final List<Integer> nullKeyed = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            nullKeyed.add(partitioner.partition(null, 0, 0, 4));
            // Keyed records in between neither move the round robin nor follow it.
            assertEquals(keyed, partitioner.partition(key, 0, key.capacity(), 4));
        }
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3), nullKeyed);
    }

    @Test
    void shouldForwardBatchCompleteWhenNullKeyPartitionerIsSticky()
    {
        final KeyHashPartitioner partitioner = new KeyHashPartitioner(new StickyPartitioner());
        assertEquals(0, partitioner.partition(null, 0, 0, 3));
        assertEquals(0, partitioner.partition(null, 0, 0, 3));
        partitioner.onBatchComplete(0, 3);
        assertEquals(1, partitioner.partition(null, 0, 0, 3));
    }

    @Test
    void shouldCycleThroughPartitionsWhenRoundRobin()
    {
        final RoundRobinPartitioner partitioner = new RoundRobinPartitioner();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[] {1, 2, 3});
        for (int round = 0; round < 3; round++)
        {
            for (int p = 0; p < 5; p++)
            {
                assertEquals(p, partitioner.partition(round == 1 ? key : null, 0, round == 1 ? 3 : 0, 5));
            }
        }
        partitioner.onBatchComplete(2, 5);
        assertEquals(0, partitioner.partition(null, 0, 0, 5), "batch completion does not move a round robin");
    }

    @Test
    void shouldStayInRangeWhenPartitionCountShrinks()
    {
        final RoundRobinPartitioner roundRobin = new RoundRobinPartitioner();
        for (int i = 0; i < 7; i++)
        {
            roundRobin.partition(null, 0, 0, 10);
        }
        for (int i = 0; i < 20; i++)
        {
            final int p = roundRobin.partition(null, 0, 0, 3);
            assertTrue(p >= 0 && p < 3, "partition " + p);
        }

        final StickyPartitioner sticky = new StickyPartitioner();
        for (int p = 0; p < 8; p++)
        {
            sticky.onBatchComplete(p, 10);
        }
        final int p = sticky.partition(null, 0, 0, 3);
        assertTrue(p >= 0 && p < 3, "partition " + p);
    }

    @Test
    void shouldStayOnPartitionUntilBatchCompletesWhenSticky()
    {
        final StickyPartitioner partitioner = new StickyPartitioner();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[] {9});
        final int first = partitioner.partition(null, 0, 0, 4);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(first, partitioner.partition(i % 2 == 0 ? null : key, 0, i % 2 == 0 ? 0 : 1, 4));
        }

        // A batch completing on some other partition does not move it.
        partitioner.onBatchComplete((first + 2) % 4, 4);
        assertEquals(first, partitioner.partition(null, 0, 0, 4));

        partitioner.onBatchComplete(first, 4);
        final int second = partitioner.partition(null, 0, 0, 4);
        assertNotEquals(first, second);
        assertEquals((first + 1) % 4, second);
        assertEquals(second, partitioner.partition(null, 0, 0, 4));
    }

    @Test
    void shouldVisitEveryPartitionWhenBatchesCompleteInTurn()
    {
        final StickyPartitioner partitioner = new StickyPartitioner();
        final List<Integer> visited = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            final int p = partitioner.partition(null, 0, 0, 5);
            visited.add(p);
            partitioner.onBatchComplete(p, 5);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), visited);
    }
}
