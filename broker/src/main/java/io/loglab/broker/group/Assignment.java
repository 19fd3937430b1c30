package io.loglab.broker.group;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * A set of partitions, by topic id, as the consumer group protocol (KIP-848) names them: what a member owns, is
 * assigned, or must give up. Immutable; the set operations return new ones, and a topic with no partitions left is
 * dropped, so two equal sets are always equal maps.
 */
public final class Assignment
{
    public static final Assignment EMPTY = new Assignment(Collections.emptyMap());

    private final Map<UUID, SortedSet<Integer>> partitions;

    private Assignment(final Map<UUID, SortedSet<Integer>> partitions)
    {
        this.partitions = partitions;
    }

    /**
     * A copy of {@code partitions}, without the topics that have none.
     */
    public static Assignment of(final Map<UUID, ? extends Set<Integer>> partitions)
    {
        final Map<UUID, SortedSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topicId, numbers) ->
        {
            if (!numbers.isEmpty())
            {
                copy.put(topicId, Collections.unmodifiableSortedSet(new TreeSet<>(numbers)));
            }
        });
        return copy.isEmpty() ? EMPTY : new Assignment(Collections.unmodifiableMap(copy));
    }

    /**
     * By topic id, each topic's partitions in order; no topic has an empty set.
     */
    public Map<UUID, SortedSet<Integer>> partitions()
    {
        return partitions;
    }

    public boolean isEmpty()
    {
        return partitions.isEmpty();
    }

    public boolean contains(final UUID topicId, final int partition)
    {
        final SortedSet<Integer> numbers = partitions.get(topicId);
        return numbers != null && numbers.contains(partition);
    }

    /**
     * Whether any partition of this set is also in {@code other}.
     */
    public boolean intersects(final Assignment other)
    {
        return !filter((topicId, partition) -> other.contains(topicId, partition)).isEmpty();
    }

    /**
     * Whether every partition of this set is also in {@code other}.
     */
    public boolean isSubsetOf(final Assignment other)
    {
        return minus(other).isEmpty();
    }

    public Assignment minus(final Assignment other)
    {
        return filter((topicId, partition) -> !other.contains(topicId, partition));
    }

    public Assignment intersect(final Assignment other)
    {
        return filter(other::contains);
    }

    public Assignment union(final Assignment other)
    {
        if (other.isEmpty())
        {
            return this;
        }
        final Map<UUID, Set<Integer>> union = new TreeMap<>();
        partitions.forEach((topicId, numbers) -> union.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(numbers));
        other.partitions.forEach((topicId, numbers) ->
            union.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(numbers));
        return of(union);
    }

    /**
     * The partitions that pass {@code keep}.
     */
    public Assignment filter(final BiPredicate<UUID, Integer> keep)
    {
        final Map<UUID, Set<Integer>> kept = new TreeMap<>();
        partitions.forEach((topicId, numbers) -> numbers.forEach(partition ->
        {
            if (keep.test(topicId, partition))
            {
                kept.computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
            }
        }));
        return of(kept);
    }

    /**
     * Only the partitions of the topics in {@code topicIds}.
     */
    public Assignment onlyTopics(final Set<UUID> topicIds)
    {
        return filter((topicId, partition) -> topicIds.contains(topicId));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Assignment assignment && partitions.equals(assignment.partitions);
    }

    @Override
    public int hashCode()
    {
        return partitions.hashCode();
    }

    @Override
    public String toString()
    {
        return partitions.toString();
    }
}
